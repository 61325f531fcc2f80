using NfOta.Interop;
using NfOta.Text;

namespace NfOta.Device
{
    /// <summary>Turns a failed NativeOta status into the <see cref="OtaException"/> a user can act on.</summary>
    public static class NativeFailure
    {
        /// <summary>Throw unless <paramref name="status"/> is 0 or more; <paramref name="operation"/> names what failed.</summary>
        public static int Check(int status, string operation)
        {
            if (status >= 0)
            {
                return status;
            }
            throw From(status, operation);
        }

        public static OtaException From(int status, string operation)
        {
            int esp = NativeOta.GetLastEspError();
            string detail = " (" + Describe(status) + (esp != 0 ? ", esp_err_t " + Hex.Word(esp) : "") + ")";
            OtaError error;
            string message;
            switch (status)
            {
                case NativeOtaStatus.ImageInvalid:
                    error = OtaError.ImageRejected;
                    message = operation + ": ESP-IDF rejected the image: it is corrupt, for another chip, or not signed with a secure boot key this board trusts";
                    break;
                case NativeOtaStatus.TagInvalid:
                    error = OtaError.ImageRejected;
                    message = operation + ": the pre-encrypted image's GCM tag does not verify: it was altered on the way or on the server, and was not set to boot";
                    break;
                case NativeOtaStatus.HashMismatch:
                    error = OtaError.HashMismatch;
                    message = operation + ": the pre-encrypted file (header and ciphertext as downloaded) does not match the manifest's encrypted-sha256: it was changed or replaced on the server or on the way, and was not set to boot";
                    break;
                case NativeOtaStatus.EncryptedImageInvalid:
                    error = OtaError.ImageRejected;
                    message = operation + ": not a pre-encrypted image (esp_encrypted_img), or it ended before its announced size";
                    break;
                case NativeOtaStatus.DeviceKeyMismatch:
                    error = OtaError.WrongDeviceKey;
                    message = operation + ": the image was encrypted for another device key; pack it with this board's public key (nfota pack --encrypt-for)";
                    break;
                case NativeOtaStatus.SecureVersionTooLow:
                    error = OtaError.SecureVersionTooLow;
                    message = operation + ": the image's secure_version is below this board's anti-rollback counter";
                    break;
                case NativeOtaStatus.FlashError:
                case NativeOtaStatus.NoMemory:
                    error = OtaError.FlashError;
                    message = operation + ": writing flash failed";
                    break;
                case NativeOtaStatus.ImageTooLarge:
                    error = OtaError.ImageTooLarge;
                    message = operation + ": the image does not fit the update slot";
                    break;
                case NativeOtaStatus.RollbackInvalidState:
                    error = OtaError.PendingVerify;
                    message = operation + ": the running firmware is still pending verification; confirm it or roll back (RollbackGuard.Run) before updating";
                    break;
                case NativeOtaStatus.RollbackFailed:
                    error = OtaError.RollbackFailed;
                    message = operation + ": there is no valid firmware to roll back to";
                    break;
                default:
                    error = OtaError.NativeError;
                    message = operation + " failed";
                    break;
            }
            return new OtaException(error, message + detail) { NativeStatus = status, EspError = esp };
        }

        /// <summary>The status constant's name, e.g. "ImageInvalid".</summary>
        public static string Describe(int status)
        {
            switch (status)
            {
                case NativeOtaStatus.InvalidArgument: return "InvalidArgument";
                case NativeOtaStatus.NullArgument: return "NullArgument";
                case NativeOtaStatus.OutOfRange: return "OutOfRange";
                case NativeOtaStatus.UnknownHandle: return "UnknownHandle";
                case NativeOtaStatus.NoFreeHandle: return "NoFreeHandle";
                case NativeOtaStatus.NotFound: return "NotFound";
                case NativeOtaStatus.NotAnOtaSlot: return "NotAnOtaSlot";
                case NativeOtaStatus.IsRunningSlot: return "IsRunningSlot";
                case NativeOtaStatus.ImageTooLarge: return "ImageTooLarge";
                case NativeOtaStatus.ImageInvalid: return "ImageInvalid";
                case NativeOtaStatus.NoMemory: return "NoMemory";
                case NativeOtaStatus.FlashError: return "FlashError";
                case NativeOtaStatus.InvalidState: return "InvalidState";
                case NativeOtaStatus.NotSupported: return "NotSupported";
                case NativeOtaStatus.RollbackFailed: return "RollbackFailed";
                case NativeOtaStatus.RollbackInvalidState: return "RollbackInvalidState";
                case NativeOtaStatus.SecureVersionTooLow: return "SecureVersionTooLow";
                case NativeOtaStatus.SignatureInvalid: return "SignatureInvalid";
                case NativeOtaStatus.KeyInvalid: return "KeyInvalid";
                case NativeOtaStatus.DigestUnavailable: return "DigestUnavailable";
                case NativeOtaStatus.OtaDataInvalid: return "OtaDataInvalid";
                case NativeOtaStatus.PartitionConflict: return "PartitionConflict";
                case NativeOtaStatus.TagInvalid: return "TagInvalid";
                case NativeOtaStatus.DeviceKeyMismatch: return "DeviceKeyMismatch";
                case NativeOtaStatus.EncryptedImageInvalid: return "EncryptedImageInvalid";
                case NativeOtaStatus.HashMismatch: return "HashMismatch";
                default: return "status " + status.ToString();
            }
        }
    }
}
