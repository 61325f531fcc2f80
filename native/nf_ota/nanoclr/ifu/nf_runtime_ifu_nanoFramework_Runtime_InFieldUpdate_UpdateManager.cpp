//
// nanoFramework.Runtime.InFieldUpdate's UpdateManager natives (native version 100.0.0.3) for nanoCLR.
//
// nfgen wrote this file's skeleton (`stubs --without-interop-code`, MetadataProcessor's form for
// nf-interpreter's own libraries: handlers on the stack frame); the bodies are nf-ota's. They only
// marshal: managed arguments and objects to nf_ota_ifu.h's structures and back. Every decision
// (sessions, tokens, verification, slots) is in native/nf_ota/src/nf_ota_ifu*.c.
//
// What the managed side leaves to us: every UpdateManager method is an InternalCall, so the argument
// checks the library documents are made here (ArgumentOutOfRangeException for a totalLength that is
// not positive, or an offset/count outside data; ArgumentNullException for a null session or data).
// Only UpdateSession.Write checks its data itself.
//

#include "nf_runtime_ifu.h"

#include <string.h>

#include <nanoHAL.h>

#include "nf_ota_ifu.h"

typedef Library_nf_runtime_ifu_nanoFramework_Runtime_InFieldUpdate_ImageInfo ImageInfoFields;
typedef Library_nf_runtime_ifu_nanoFramework_Runtime_InFieldUpdate_UpdateSession SessionFields;
typedef Library_corlib_native_System_Version VersionFields;

namespace
{
// Sessions never outlive the CLR that opened them: a CLR-only restart (a deployment, a soft reboot)
// runs nanoHAL_Uninitialize, which calls the soft-reboot handlers. nanoCLR offers no start-up hook
// to a native assembly, so the handler is registered on the first call of any IFU native
// (HAL_AddSoftRebootHandler ignores a handler it already has); a power-on starts with no session.
void ReleaseAllSessions()
{
    nf_ota_ifu_release_all();
}

void EnsureReleasedWithTheClr()
{
    static bool registered = false;

    if (!registered)
    {
        HAL_AddSoftRebootHandler(ReleaseAllSessions);
        registered = true;
    }
}

HRESULT FindType(const char *name, const char *nameSpace, CLR_RT_TypeDef_Index &index)
{
    return g_CLR_RT_TypeSystem.FindTypeDef(name, nameSpace, index) ? S_OK : CLR_E_FAIL;
}

// System.Version from MCUboot's version: Major, Minor, Build = revision, Revision = build number
// (1.2.3+4 reads 1.2.3.4), into a field or slot that is already reachable by the GC.
HRESULT NewVersion(CLR_RT_HeapBlock &target, const nf_ota_ifu_version_t &version)
{
    NANOCLR_HEADER();

    CLR_RT_TypeDef_Index versionType;
    CLR_RT_HeapBlock *fields;

    NANOCLR_CHECK_HRESULT(FindType("Version", "System", versionType));
    NANOCLR_CHECK_HRESULT(g_CLR_RT_ExecutionEngine.NewObjectFromIndex(target, versionType));

    fields = target.Dereference();
    FAULT_ON_NULL(fields);
    fields[VersionFields::FIELD___Major].SetInteger((CLR_INT32)version.major);
    fields[VersionFields::FIELD___Minor].SetInteger((CLR_INT32)version.minor);
    fields[VersionFields::FIELD___Build].SetInteger((CLR_INT32)version.revision);
    fields[VersionFields::FIELD___Revision].SetInteger((CLR_INT32)version.build);

    NANOCLR_NOCLEANUP();
}

// An ImageInfo (fields 1..10) into target, which the GC already sees (the return slot or an
// array element). The object is dereferenced again after each allocation.
HRESULT NewImageInfo(CLR_RT_HeapBlock &target, const nf_ota_ifu_image_info_t &info)
{
    NANOCLR_HEADER();

    CLR_RT_TypeDef_Index imageInfoType;
    CLR_RT_HeapBlock *fields;

    NANOCLR_CHECK_HRESULT(FindType("ImageInfo", "nanoFramework.Runtime.InFieldUpdate", imageInfoType));
    NANOCLR_CHECK_HRESULT(g_CLR_RT_ExecutionEngine.NewObjectFromIndex(target, imageInfoType));

    fields = target.Dereference();
    FAULT_ON_NULL(fields);
    fields[ImageInfoFields::FIELD__Image].SetInteger((CLR_INT32)info.image);
    fields[ImageInfoFields::FIELD__Slot].SetInteger((CLR_INT32)info.slot);
    fields[ImageInfoFields::FIELD__HasValidHeader].SetBoolean(info.has_valid_header);
    fields[ImageInfoFields::FIELD__IsActive].SetBoolean(info.is_active);
    fields[ImageInfoFields::FIELD__IsConfirmed].SetBoolean(info.is_confirmed);
    fields[ImageInfoFields::FIELD__IsPending].SetBoolean(info.is_pending);
    fields[ImageInfoFields::FIELD__IsBootable].SetBoolean(info.is_bootable);
    fields[ImageInfoFields::FIELD__IsRollbackPending].SetBoolean(info.is_rollback_pending);

    if (info.has_version)
    {
        NANOCLR_CHECK_HRESULT(NewVersion(fields[ImageInfoFields::FIELD__Version], info.version));
    }

    if (info.has_hash)
    {
        fields = target.Dereference();
        NANOCLR_CHECK_HRESULT(CLR_RT_HeapBlock_Array::CreateInstance(
            fields[ImageInfoFields::FIELD__ImageHash],
            (CLR_UINT32)sizeof(info.hash),
            g_CLR_RT_WellKnownTypes.m_UInt8));

        fields = target.Dereference();
        memcpy(
            fields[ImageInfoFields::FIELD__ImageHash].DereferenceArray()->GetFirstElement(),
            info.hash,
            sizeof(info.hash));
    }

    NANOCLR_NOCLEANUP();
}

// The fields the runtime owns, refreshed from the C session after every call that may move them:
// NextOffset, IsResumed, Version (null until the header is seen), HeaderSize, ImageSize.
HRESULT RefreshSession(CLR_RT_HeapBlock &sessionRef, const nf_ota_ifu_session_t &session)
{
    NANOCLR_HEADER();

    CLR_RT_HeapBlock *fields = sessionRef.Dereference();
    FAULT_ON_NULL(fields);

    fields[SessionFields::FIELD__NextOffset].SetInteger((CLR_INT32)session.next_offset);
    fields[SessionFields::FIELD__IsResumed].SetBoolean(session.resumed);
    fields[SessionFields::FIELD__HeaderSize].SetInteger((CLR_INT32)(session.header_seen ? session.header_size : 0));
    fields[SessionFields::FIELD__ImageSize].SetInteger((CLR_INT32)(session.header_seen ? session.image_size : 0));

    if (!session.header_seen)
    {
        fields[SessionFields::FIELD__Version].SetObjectReference(nullptr);
    }
    else if (fields[SessionFields::FIELD__Version].Dereference() == nullptr)
    {
        NANOCLR_CHECK_HRESULT(NewVersion(fields[SessionFields::FIELD__Version], session.version));
    }
    else
    {
        CLR_RT_HeapBlock *version = fields[SessionFields::FIELD__Version].Dereference();
        version[VersionFields::FIELD___Major].SetInteger((CLR_INT32)session.version.major);
        version[VersionFields::FIELD___Minor].SetInteger((CLR_INT32)session.version.minor);
        version[VersionFields::FIELD___Build].SetInteger((CLR_INT32)session.version.revision);
        version[VersionFields::FIELD___Revision].SetInteger((CLR_INT32)session.version.build);
    }

    NANOCLR_NOCLEANUP();
}

// The UpdateSession argument as the C structure: image and token identify it; the rest is what the
// object shows, which the C side reads back from its own registry and never trusts.
HRESULT ReadSession(CLR_RT_HeapBlock &sessionRef, nf_ota_ifu_session_t &session)
{
    NANOCLR_HEADER();

    CLR_RT_HeapBlock *fields = sessionRef.Dereference();

    if (fields == nullptr)
    {
        NANOCLR_SET_AND_LEAVE(CLR_E_ARGUMENT_NULL);
    }

    memset(&session, 0, sizeof(session));
    session.image = fields[SessionFields::FIELD__Image].NumericByRef().s4;
    session.token = fields[SessionFields::FIELD__Token].NumericByRef().u4;
    session.total_length = fields[SessionFields::FIELD__TotalLength].NumericByRef().s4;
    session.next_offset = fields[SessionFields::FIELD__NextOffset].NumericByRef().s4;
    session.resumed = fields[SessionFields::FIELD__IsResumed].NumericByRef().u1 != 0;

    NANOCLR_NOCLEANUP();
}

// Start and Resume: the result, and the session (or null) through the out parameter.
HRESULT ReturnSession(CLR_RT_StackFrame &stack, CLR_RT_HeapBlock &outArg, int32_t result, const nf_ota_ifu_session_t &session)
{
    NANOCLR_HEADER();

    CLR_RT_HeapBlock sessionRef;
    sessionRef.SetObjectReference(nullptr);
    CLR_RT_ProtectFromGC gc(sessionRef);

    if (result == NF_OTA_IFU_SUCCESS)
    {
        CLR_RT_TypeDef_Index sessionType;
        CLR_RT_HeapBlock *fields;

        NANOCLR_CHECK_HRESULT(FindType("UpdateSession", "nanoFramework.Runtime.InFieldUpdate", sessionType));
        NANOCLR_CHECK_HRESULT(g_CLR_RT_ExecutionEngine.NewObjectFromIndex(sessionRef, sessionType));

        fields = sessionRef.Dereference();
        FAULT_ON_NULL(fields);
        fields[SessionFields::FIELD__Image].SetInteger((CLR_INT32)session.image);
        fields[SessionFields::FIELD__Token].SetInteger((CLR_UINT32)session.token);
        fields[SessionFields::FIELD__TotalLength].SetInteger((CLR_INT32)session.total_length);
        NANOCLR_CHECK_HRESULT(RefreshSession(sessionRef, session));
    }

    NANOCLR_CHECK_HRESULT(sessionRef.StoreToReference(outArg, 0));
    stack.SetResult_I4(result);

    NANOCLR_NOCLEANUP();
}

HRESULT GetImageInfoForSlot(CLR_RT_StackFrame &stack, int32_t slot)
{
    NANOCLR_HEADER();

    EnsureReleasedWithTheClr();

    nf_ota_ifu_image_info_t info;
    memset(&info, 0, sizeof(info));

    if (nf_ota_ifu_get_image_info(stack.Arg0().NumericByRef().s4, slot, &info) != NF_OTA_IFU_SUCCESS)
    {
        // NO_IMAGE, NO_SLOT or an image id the runtime does not know: the documented null
        stack.SetResult_Object(nullptr);
    }
    else
    {
        CLR_RT_HeapBlock &top = stack.PushValueAndClear();
        NANOCLR_CHECK_HRESULT(NewImageInfo(top, info));
    }

    NANOCLR_NOCLEANUP();
}
} // namespace

HRESULT Library_nf_runtime_ifu_nanoFramework_Runtime_InFieldUpdate_UpdateManager::GetStatus___STATIC__nanoFrameworkRuntimeInFieldUpdateUpdateStatus__nanoFrameworkRuntimeInFieldUpdateImageType( CLR_RT_StackFrame &stack )
{
    NANOCLR_HEADER();

    EnsureReleasedWithTheClr();
    stack.SetResult_I4(nf_ota_ifu_get_status(stack.Arg0().NumericByRef().s4));

    NANOCLR_NOCLEANUP_NOLABEL();
}

HRESULT Library_nf_runtime_ifu_nanoFramework_Runtime_InFieldUpdate_UpdateManager::GetPrimaryImageInfo___STATIC__nanoFrameworkRuntimeInFieldUpdateImageInfo__nanoFrameworkRuntimeInFieldUpdateImageType( CLR_RT_StackFrame &stack )
{
    return GetImageInfoForSlot(stack, NF_OTA_IFU_SLOT_PRIMARY);
}

HRESULT Library_nf_runtime_ifu_nanoFramework_Runtime_InFieldUpdate_UpdateManager::GetSecondaryImageInfo___STATIC__nanoFrameworkRuntimeInFieldUpdateImageInfo__nanoFrameworkRuntimeInFieldUpdateImageType( CLR_RT_StackFrame &stack )
{
    return GetImageInfoForSlot(stack, NF_OTA_IFU_SLOT_SECONDARY);
}

HRESULT Library_nf_runtime_ifu_nanoFramework_Runtime_InFieldUpdate_UpdateManager::GetImageList___STATIC__SZARRAY_nanoFrameworkRuntimeInFieldUpdateImageInfo( CLR_RT_StackFrame &stack )
{
    NANOCLR_HEADER();

    // Every image/slot pair the board has (a slot the C side reports as NO_SLOT is left out; an
    // empty one is listed with nothing set), in image then slot order.
    nf_ota_ifu_image_info_t infos[NF_OTA_IFU_IMAGE_COUNT * 2];
    CLR_UINT32 count = 0;
    CLR_RT_TypeDef_Index imageInfoType;

    EnsureReleasedWithTheClr();

    for (int32_t image = 0; image < NF_OTA_IFU_IMAGE_COUNT; image++)
    {
        for (int32_t slot = NF_OTA_IFU_SLOT_PRIMARY; slot <= NF_OTA_IFU_SLOT_SECONDARY; slot++)
        {
            nf_ota_ifu_image_info_t &info = infos[count];
            memset(&info, 0, sizeof(info));

            int32_t result = nf_ota_ifu_get_image_info(image, slot, &info);

            if (result == NF_OTA_IFU_NO_IMAGE)
            {
                memset(&info, 0, sizeof(info));
            }
            else if (result != NF_OTA_IFU_SUCCESS)
            {
                continue;
            }

            info.image = image;
            info.slot = slot;
            count++;
        }
    }

    NANOCLR_CHECK_HRESULT(FindType("ImageInfo", "nanoFramework.Runtime.InFieldUpdate", imageInfoType));

    {
        CLR_RT_HeapBlock &top = stack.PushValueAndClear();
        NANOCLR_CHECK_HRESULT(CLR_RT_HeapBlock_Array::CreateInstance(top, count, imageInfoType));

        for (CLR_UINT32 i = 0; i < count; i++)
        {
            CLR_RT_HeapBlock *element = (CLR_RT_HeapBlock *)top.DereferenceArray()->GetElement(i);
            NANOCLR_CHECK_HRESULT(NewImageInfo(*element, infos[i]));
        }
    }

    NANOCLR_NOCLEANUP();
}

HRESULT Library_nf_runtime_ifu_nanoFramework_Runtime_InFieldUpdate_UpdateManager::EraseSecondaryImage___STATIC__nanoFrameworkRuntimeInFieldUpdateUpdateSessionResult__nanoFrameworkRuntimeInFieldUpdateImageType( CLR_RT_StackFrame &stack )
{
    NANOCLR_HEADER();

    EnsureReleasedWithTheClr();
    stack.SetResult_I4(nf_ota_ifu_erase_secondary(stack.Arg0().NumericByRef().s4));

    NANOCLR_NOCLEANUP_NOLABEL();
}

HRESULT Library_nf_runtime_ifu_nanoFramework_Runtime_InFieldUpdate_UpdateManager::StartUpdateSession___STATIC__nanoFrameworkRuntimeInFieldUpdateUpdateSessionResult__nanoFrameworkRuntimeInFieldUpdateImageType__I4__BYREF_nanoFrameworkRuntimeInFieldUpdateUpdateSession( CLR_RT_StackFrame &stack )
{
    NANOCLR_HEADER();

    int32_t image = stack.Arg0().NumericByRef().s4;
    int32_t totalLength = stack.Arg1().NumericByRef().s4;
    nf_ota_ifu_session_t session;
    memset(&session, 0, sizeof(session));

    EnsureReleasedWithTheClr();

    if (totalLength <= 0)
    {
        NANOCLR_SET_AND_LEAVE(CLR_E_OUT_OF_RANGE);
    }

    NANOCLR_SET_AND_LEAVE(ReturnSession(
        stack,
        stack.Arg2(),
        nf_ota_ifu_start(image, totalLength, NF_OTA_IFU_OWNER_MANAGED, &session),
        session));

    NANOCLR_NOCLEANUP();
}

HRESULT Library_nf_runtime_ifu_nanoFramework_Runtime_InFieldUpdate_UpdateManager::ResumeUpdateSession___STATIC__nanoFrameworkRuntimeInFieldUpdateUpdateSessionResult__nanoFrameworkRuntimeInFieldUpdateImageType__I4__SZARRAY_U1__BYREF_nanoFrameworkRuntimeInFieldUpdateUpdateSession( CLR_RT_StackFrame &stack )
{
    NANOCLR_HEADER();

    int32_t image = stack.Arg0().NumericByRef().s4;
    int32_t totalLength = stack.Arg1().NumericByRef().s4;
    CLR_RT_HeapBlock_Array *expected = stack.Arg2().DereferenceArray();
    const uint8_t *expectedHeader = nullptr;
    size_t expectedLength = 0;
    nf_ota_ifu_session_t session;
    memset(&session, 0, sizeof(session));

    EnsureReleasedWithTheClr();

    if (totalLength <= 0)
    {
        NANOCLR_SET_AND_LEAVE(CLR_E_OUT_OF_RANGE);
    }

    // null skips the header check, as the library documents
    if (expected != nullptr)
    {
        expectedHeader = expected->GetFirstElement();
        expectedLength = expected->m_numOfElements;
    }

    NANOCLR_SET_AND_LEAVE(ReturnSession(
        stack,
        stack.Arg3(),
        nf_ota_ifu_resume(image, totalLength, expectedHeader, expectedLength, NF_OTA_IFU_OWNER_MANAGED, &session),
        session));

    NANOCLR_NOCLEANUP();
}

HRESULT Library_nf_runtime_ifu_nanoFramework_Runtime_InFieldUpdate_UpdateManager::StoreImageChunk___STATIC__nanoFrameworkRuntimeInFieldUpdateUpdateSessionResult__nanoFrameworkRuntimeInFieldUpdateUpdateSession__SZARRAY_U1__I4__I4( CLR_RT_StackFrame &stack )
{
    NANOCLR_HEADER();

    nf_ota_ifu_session_t session;
    CLR_RT_HeapBlock_Array *data;
    CLR_INT32 offset = stack.Arg2().NumericByRef().s4;
    CLR_INT32 count = stack.Arg3().NumericByRef().s4;
    int32_t result;

    EnsureReleasedWithTheClr();

    NANOCLR_CHECK_HRESULT(ReadSession(stack.Arg0(), session));

    data = stack.Arg1().DereferenceArray();
    if (data == nullptr)
    {
        NANOCLR_SET_AND_LEAVE(CLR_E_ARGUMENT_NULL);
    }

    // Stream.Write's rule, overflow-safe: offset and count not negative, offset + count <= Length
    if (offset < 0 || count < 0 || (CLR_UINT32)offset > data->m_numOfElements ||
        (CLR_UINT32)count > data->m_numOfElements - (CLR_UINT32)offset)
    {
        NANOCLR_SET_AND_LEAVE(CLR_E_OUT_OF_RANGE);
    }

    result = nf_ota_ifu_store(&session, data->GetFirstElement() + offset, (size_t)count);

    // A session the runtime did not recognise is not refreshed: it shows what it showed.
    if (result != NF_OTA_IFU_BAD_TOKEN)
    {
        NANOCLR_CHECK_HRESULT(RefreshSession(stack.Arg0(), session));
    }

    stack.SetResult_I4(result);

    NANOCLR_NOCLEANUP();
}

HRESULT Library_nf_runtime_ifu_nanoFramework_Runtime_InFieldUpdate_UpdateManager::CompleteUpdateSession___STATIC__nanoFrameworkRuntimeInFieldUpdateUpdateSessionResult__nanoFrameworkRuntimeInFieldUpdateUpdateSession( CLR_RT_StackFrame &stack )
{
    NANOCLR_HEADER();

    nf_ota_ifu_session_t session;
    int32_t result;

    EnsureReleasedWithTheClr();

    NANOCLR_CHECK_HRESULT(ReadSession(stack.Arg0(), session));

    result = nf_ota_ifu_complete(&session);

    if (result != NF_OTA_IFU_BAD_TOKEN)
    {
        NANOCLR_CHECK_HRESULT(RefreshSession(stack.Arg0(), session));
    }

    stack.SetResult_I4(result);

    NANOCLR_NOCLEANUP();
}

HRESULT Library_nf_runtime_ifu_nanoFramework_Runtime_InFieldUpdate_UpdateManager::AbortUpdateSession___STATIC__nanoFrameworkRuntimeInFieldUpdateUpdateSessionResult__nanoFrameworkRuntimeInFieldUpdateUpdateSession__BOOLEAN( CLR_RT_StackFrame &stack )
{
    NANOCLR_HEADER();

    nf_ota_ifu_session_t session;

    EnsureReleasedWithTheClr();

    NANOCLR_CHECK_HRESULT(ReadSession(stack.Arg0(), session));

    stack.SetResult_I4(nf_ota_ifu_abort(&session, stack.Arg1().NumericByRef().u1 != 0));

    NANOCLR_NOCLEANUP();
}

HRESULT Library_nf_runtime_ifu_nanoFramework_Runtime_InFieldUpdate_UpdateManager::GetUpdateSessionOwner___STATIC__nanoFrameworkRuntimeInFieldUpdateUpdateSessionOwner__nanoFrameworkRuntimeInFieldUpdateImageType( CLR_RT_StackFrame &stack )
{
    NANOCLR_HEADER();

    EnsureReleasedWithTheClr();
    stack.SetResult_I4(nf_ota_ifu_get_owner(stack.Arg0().NumericByRef().s4));

    NANOCLR_NOCLEANUP_NOLABEL();
}

HRESULT Library_nf_runtime_ifu_nanoFramework_Runtime_InFieldUpdate_UpdateManager::ConfirmDeploymentImage___STATIC__BOOLEAN( CLR_RT_StackFrame &stack )
{
    NANOCLR_HEADER();

    EnsureReleasedWithTheClr();
    stack.SetResult_Boolean(nf_ota_ifu_confirm_deployment());

    NANOCLR_NOCLEANUP_NOLABEL();
}

HRESULT Library_nf_runtime_ifu_nanoFramework_Runtime_InFieldUpdate_UpdateManager::RequestDeploymentRevert___STATIC__BOOLEAN( CLR_RT_StackFrame &stack )
{
    NANOCLR_HEADER();

    EnsureReleasedWithTheClr();
    stack.SetResult_Boolean(nf_ota_ifu_request_deployment_revert());

    NANOCLR_NOCLEANUP_NOLABEL();
}

HRESULT Library_nf_runtime_ifu_nanoFramework_Runtime_InFieldUpdate_UpdateManager::RequestClrRevert___STATIC__BOOLEAN( CLR_RT_StackFrame &stack )
{
    NANOCLR_HEADER();

    EnsureReleasedWithTheClr();
    stack.SetResult_Boolean(nf_ota_ifu_request_clr_revert());

    NANOCLR_NOCLEANUP_NOLABEL();
}

HRESULT Library_nf_runtime_ifu_nanoFramework_Runtime_InFieldUpdate_UpdateManager::RequestReboot___STATIC__VOID( CLR_RT_StackFrame &stack )
{
    NANOCLR_HEADER();

    (void)stack;
    EnsureReleasedWithTheClr();
    nf_ota_ifu_request_reboot();

    NANOCLR_NOCLEANUP_NOLABEL();
}
