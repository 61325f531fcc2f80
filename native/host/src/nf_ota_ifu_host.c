/*
 * The host library's in-field-update entry points for the .NET host binding
 * (firmware/NfOta.InFieldUpdate.Host): each calls nf_ota_ifu.h inside an unwind frame, as the
 * generated NfOta.Interop exports do, so a restart or power cut of the emulated chip mid-call
 * abandons the C stack as the chip would.
 */
#include <setjmp.h>
#include <string.h>

#include "nf_host_unwind.h"
#include "nf_ota_ifu.h"

/* One exported call: `call` runs in an unwind frame; *unwound says why it was abandoned, if it was. */
#define HOST_CALL(call)                     \
    nf_host_frame_t frame;                  \
    nf_host_enter(&frame);                  \
    if (setjmp(frame.jump) == 0)            \
    {                                       \
        nf_host_before_call();              \
        call;                               \
    }                                       \
    *unwound = nf_host_leave(&frame)

NF_HOST_EXPORT int32_t nf_ota_host_ifu_get_status(int32_t image, int32_t *unwound)
{
    volatile int32_t result = NF_OTA_IFU_STATUS_UNKNOWN;
    HOST_CALL(result = nf_ota_ifu_get_status(image));
    return result;
}

NF_HOST_EXPORT int32_t nf_ota_host_ifu_get_image_info(int32_t image, int32_t slot, nf_ota_ifu_image_info_t *info, int32_t *unwound)
{
    volatile int32_t result = NF_OTA_IFU_FLASH_ERROR;
    HOST_CALL(result = nf_ota_ifu_get_image_info(image, slot, info));
    return result;
}

NF_HOST_EXPORT int32_t nf_ota_host_ifu_erase_secondary(int32_t image, int32_t *unwound)
{
    volatile int32_t result = NF_OTA_IFU_FLASH_ERROR;
    HOST_CALL(result = nf_ota_ifu_erase_secondary(image));
    return result;
}

NF_HOST_EXPORT int32_t nf_ota_host_ifu_start(int32_t image, int32_t total_length, int32_t owner, nf_ota_ifu_session_t *session, int32_t *unwound)
{
    volatile int32_t result = NF_OTA_IFU_FLASH_ERROR;
    HOST_CALL(result = nf_ota_ifu_start(image, total_length, owner, session));
    return result;
}

NF_HOST_EXPORT int32_t nf_ota_host_ifu_resume(int32_t image, int32_t total_length, const uint8_t *expected_header, int32_t expected_length,
    int32_t owner, nf_ota_ifu_session_t *session, int32_t *unwound)
{
    volatile int32_t result = NF_OTA_IFU_BAD_ARGUMENT;
    if (expected_length < 0)
    {
        *unwound = 0;
        return result;
    }
    HOST_CALL(result = nf_ota_ifu_resume(image, total_length, expected_header, (size_t)expected_length, owner, session));
    return result;
}

NF_HOST_EXPORT int32_t nf_ota_host_ifu_store(nf_ota_ifu_session_t *session, const uint8_t *data, int32_t count, int32_t *unwound)
{
    volatile int32_t result = NF_OTA_IFU_BAD_ARGUMENT;
    if (count < 0)
    {
        *unwound = 0;
        return result;
    }
    HOST_CALL(result = nf_ota_ifu_store(session, data, (size_t)count));
    return result;
}

NF_HOST_EXPORT int32_t nf_ota_host_ifu_complete(nf_ota_ifu_session_t *session, int32_t *unwound)
{
    volatile int32_t result = NF_OTA_IFU_FLASH_ERROR;
    HOST_CALL(result = nf_ota_ifu_complete(session));
    return result;
}

NF_HOST_EXPORT int32_t nf_ota_host_ifu_abort(const nf_ota_ifu_session_t *session, int32_t erase_slot, int32_t *unwound)
{
    volatile int32_t result = NF_OTA_IFU_FLASH_ERROR;
    HOST_CALL(result = nf_ota_ifu_abort(session, erase_slot != 0));
    return result;
}

NF_HOST_EXPORT int32_t nf_ota_host_ifu_get_owner(int32_t image, int32_t *unwound)
{
    volatile int32_t result = NF_OTA_IFU_OWNER_NONE;
    HOST_CALL(result = nf_ota_ifu_get_owner(image));
    return result;
}

NF_HOST_EXPORT int32_t nf_ota_host_ifu_confirm_deployment(int32_t *unwound)
{
    volatile int32_t result = 0;
    HOST_CALL(result = nf_ota_ifu_confirm_deployment() ? 1 : 0);
    return result;
}

NF_HOST_EXPORT int32_t nf_ota_host_ifu_request_deployment_revert(int32_t *unwound)
{
    volatile int32_t result = 0;
    HOST_CALL(result = nf_ota_ifu_request_deployment_revert() ? 1 : 0);
    return result;
}

NF_HOST_EXPORT int32_t nf_ota_host_ifu_request_clr_revert(int32_t *unwound)
{
    volatile int32_t result = 0;
    HOST_CALL(result = nf_ota_ifu_request_clr_revert() ? 1 : 0);
    return result;
}

NF_HOST_EXPORT void nf_ota_host_ifu_request_reboot(int32_t *unwound)
{
    HOST_CALL(nf_ota_ifu_request_reboot());
}

/* A CLR restart without a chip restart: every session ends. */
NF_HOST_EXPORT void nf_ota_host_ifu_release_all(int32_t *unwound)
{
    HOST_CALL(nf_ota_ifu_release_all());
}

NF_HOST_EXPORT int32_t nf_ota_host_ifu_last_detail(void)
{
    return nf_ota_ifu_last_detail();
}
