//-----------------------------------------------------------------------------
//
//                   ** WARNING! ** 
//    This file was generated automatically by a tool.
//    Re-running the tool will overwrite this file.
//    You should copy this file to a custom location
//    before adding any customization in the copy to
//    prevent loss of your changes when the tool is
//    re-run.
//
//-----------------------------------------------------------------------------

#ifndef NFOTA_INTEROP_NFOTA_INTEROP_NFOTA_INTEROP_NATIVEOTA_H
#define NFOTA_INTEROP_NFOTA_INTEROP_NFOTA_INTEROP_NATIVEOTA_H

namespace NfOta_Interop
{
    namespace NfOta_Interop
    {
        struct NativeOta
        {
            // Helper Functions to access fields of managed object
            // Declaration of stubs. These functions are implemented by Interop code developers

            static signed int Begin( const char* param0, signed int param1, signed int param2, HRESULT &hr );

            static signed int Resume( const char* param0, signed int param1, signed int param2, HRESULT &hr );

            static signed int Write( signed int param0, CLR_RT_TypedArray_UINT8 param1, signed int param2, signed int param3, HRESULT &hr );

            static signed int WriteAt( signed int param0, signed int param1, CLR_RT_TypedArray_UINT8 param2, signed int param3, signed int param4, HRESULT &hr );

            static signed int EraseAhead( signed int param0, signed int param1, HRESULT &hr );

            static signed int GetImageDigest( signed int param0, CLR_RT_TypedArray_UINT8 param1, HRESULT &hr );

            static signed int End( signed int param0, HRESULT &hr );

            static signed int Abort( signed int param0, HRESULT &hr );

            static signed int OpenEncryptedImage( CLR_RT_TypedArray_UINT8 param0, CLR_RT_TypedArray_UINT8 param1, HRESULT &hr );

            static signed int SetBootSlot( const char* param0, HRESULT &hr );

            static signed int GetSlotInfo( signed int param0, CLR_RT_TypedArray_UINT8 param1, HRESULT &hr );

            static signed int GetSlotState( const char* param0, HRESULT &hr );

            static signed int MarkValid(  HRESULT &hr );

            static signed int MarkInvalidAndRollback(  HRESULT &hr );

            static bool IsRollbackPossible(  HRESULT &hr );

            static signed int GetAppDescription( const char* param0, CLR_RT_TypedArray_UINT8 param1, HRESULT &hr );

            static signed int GetChipId(  HRESULT &hr );

            static signed int GetFlashEncryptionMode(  HRESULT &hr );

            static bool IsSecureBootEnabled(  HRESULT &hr );

            static signed int GetDeviceSecureVersion(  HRESULT &hr );

            static signed int GetSlotSha256( const char* param0, CLR_RT_TypedArray_UINT8 param1, HRESULT &hr );

            static signed int VerifyP256( CLR_RT_TypedArray_UINT8 param0, CLR_RT_TypedArray_UINT8 param1, signed int param2, CLR_RT_TypedArray_UINT8 param3, HRESULT &hr );

            static signed int GetAppPartition( const char* param0, CLR_RT_TypedArray_UINT8 param1, HRESULT &hr );

            static signed int EraseApp( const char* param0, signed int param1, signed int param2, signed int param3, HRESULT &hr );

            static signed int WriteApp( const char* param0, signed int param1, CLR_RT_TypedArray_UINT8 param2, signed int param3, signed int param4, HRESULT &hr );

            static signed int ReadPartition( const char* param0, signed int param1, CLR_RT_TypedArray_UINT8 param2, signed int param3, signed int param4, HRESULT &hr );

            static signed int HashPartition( const char* param0, signed int param1, signed int param2, CLR_RT_TypedArray_UINT8 param3, HRESULT &hr );

            static signed int GetNativeAssemblies( CLR_RT_TypedArray_UINT8 param0, HRESULT &hr );

            static signed int GetLastEspError(  HRESULT &hr );

            static void Reboot(  HRESULT &hr );

        };
    }
}

#endif // NFOTA_INTEROP_NFOTA_INTEROP_NFOTA_INTEROP_NATIVEOTA_H
