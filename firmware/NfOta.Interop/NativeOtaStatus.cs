namespace NfOta.Interop
{
    /// <summary>
    /// The numbers the native component and the managed side agree on: status codes (negative),
    /// arguments, states and record layouts. native/nf_ota/include/nf_ota_status.h holds the same
    /// values; a test compares the two files.
    /// </summary>
    public static class NativeOtaStatus
    {
        // ---- status codes: 0 is success, every failure is negative ----
        public const int Ok = 0;
        /// <summary>An argument is out of its range (a bad which, flags, size or label).</summary>
        public const int InvalidArgument = -1;
        /// <summary>A buffer or string is missing (NULL from C callers).</summary>
        public const int NullArgument = -2;
        /// <summary>offset/count do not lie inside the buffer, or a record/digest buffer is too small.</summary>
        public const int OutOfRange = -3;
        /// <summary>The handle is not open (never was, already ended or aborted, or from before a restart).</summary>
        public const int UnknownHandle = -4;
        /// <summary>Every handle is in use.</summary>
        public const int NoFreeHandle = -5;
        /// <summary>No partition has this label, or there is no such slot (no next update slot, no last invalid).</summary>
        public const int NotFound = -6;
        /// <summary>The target is not an OTA app slot (factory, data partition, ...).</summary>
        public const int NotAnOtaSlot = -7;
        /// <summary>The target is the slot the app runs from.</summary>
        public const int IsRunningSlot = -8;
        /// <summary>The image does not fit the slot, or more bytes arrived than announced.</summary>
        public const int ImageTooLarge = -9;
        /// <summary>ESP-IDF rejected the image (ESP_ERR_OTA_VALIDATE_FAILED, ESP_ERR_IMAGE_INVALID): corrupt, wrong chip, bad signature.</summary>
        public const int ImageInvalid = -10;
        /// <summary>Out of memory (ESP_ERR_NO_MEM).</summary>
        public const int NoMemory = -11;
        /// <summary>The flash operation failed (ESP_ERR_FLASH_*, ESP_ERR_IMAGE_FLASH_FAIL).</summary>
        public const int FlashError = -12;
        /// <summary>Not allowed now (ESP_ERR_INVALID_STATE), e.g. writes after a failed write.</summary>
        public const int InvalidState = -13;
        /// <summary>The operation does not apply here (ESP_ERR_NOT_SUPPORTED), e.g. the state of a factory slot.</summary>
        public const int NotSupported = -14;
        /// <summary>ESP_ERR_OTA_ROLLBACK_FAILED: no valid slot to roll back to.</summary>
        public const int RollbackFailed = -15;
        /// <summary>ESP_ERR_OTA_ROLLBACK_INVALID_STATE: the running app is still pending verification; confirm or roll back first.</summary>
        public const int RollbackInvalidState = -16;
        /// <summary>ESP_ERR_OTA_SMALL_SEC_VER: the image's secure_version is below the device's eFuse counter.</summary>
        public const int SecureVersionTooLow = -17;
        /// <summary>The signature does not verify.</summary>
        public const int SignatureInvalid = -18;
        /// <summary>The public key is not a valid P-256 point.</summary>
        public const int KeyInvalid = -19;
        /// <summary>The bytes written so far are not one run from offset 0, so there is no digest of them.</summary>
        public const int DigestUnavailable = -20;
        /// <summary>ESP_ERR_OTA_SELECT_INFO_INVALID: otadata is corrupt.</summary>
        public const int OtaDataInvalid = -21;
        /// <summary>ESP_ERR_OTA_PARTITION_CONFLICT.</summary>
        public const int PartitionConflict = -22;
        /// <summary>The pre-encrypted image's GCM tag does not verify: it was altered (or cut short and padded).</summary>
        public const int TagInvalid = -23;
        /// <summary>The pre-encrypted image was not encrypted for this board's device key (another key, or the other scheme).</summary>
        public const int DeviceKeyMismatch = -24;
        /// <summary>Not an esp_encrypted_img header (bad magic), or the image ended before its announced size.</summary>
        public const int EncryptedImageInvalid = -25;
        /// <summary>The pre-encrypted file (header and ciphertext) does not hash to the SHA-256 given at OpenEncryptedImage: it is not the file the manifest signed.</summary>
        public const int HashMismatch = -26;
        /// <summary>Any other esp_err_t; see GetLastEspError.</summary>
        public const int EspFailure = -99;

        // ---- arguments ----
        /// <summary>Begin's imageSize when the length is not known in advance (OTA_SIZE_UNKNOWN).</summary>
        public const int SizeUnknown = -1;
        /// <summary>Begin's flags: erase sector by sector while writing (OTA_WITH_SEQUENTIAL_WRITES).</summary>
        public const int BeginSequentialErase = 1;
        /// <summary>
        /// Begin's flags: Write takes the ciphertext of the pre-encrypted image opened by
        /// OpenEncryptedImage (after its header) and writes the plaintext; End checks the file's
        /// SHA-256 (when OpenEncryptedImage was given one), then the GCM tag, before esp_ota_end.
        /// </summary>
        public const int BeginDecrypt = 2;

        /// <summary>EraseApp's flags: leave sectors that read as all 0xFF through decryption (nothing to load there, but not writable).</summary>
        public const int EraseSkipBlankPlaintext = 1;

        /// <summary>GetSlotInfo's which.</summary>
        public const int SlotRunning = 0;
        public const int SlotBoot = 1;
        public const int SlotNextUpdate = 2;
        public const int SlotLastInvalid = 3;

        // ---- GetSlotState results (esp_ota_img_states_t; UNDEFINED maps to 5) ----
        public const int StateNew = 0;
        public const int StatePendingVerify = 1;
        public const int StateValid = 2;
        public const int StateInvalid = 3;
        public const int StateAborted = 4;
        public const int StateUndefined = 5;

        // ---- record layouts ----
        /// <summary>
        /// GetSlotInfo's record: u32 address, u32 size (little-endian), u8 type, u8 subtype,
        /// u8 encrypted, u8 readonly, then the label: 16 bytes plus a terminating zero.
        /// </summary>
        public const int SlotRecordLength = 32;
        public const int SlotRecordLabelOffset = 12;
        public const int SlotRecordLabelLength = 17;

        /// <summary>GetAppDescription's record: ESP-IDF's esp_app_desc_t, byte for byte.</summary>
        public const int AppDescriptionLength = 256;

        public const int DigestLength = 32;
        public const int P256PublicKeyLength = 65;
        public const int P256SignatureLength = 64;

        /// <summary>GetNativeAssemblies' record never needs more (nanoCLR builds carry a few dozen native assemblies).</summary>
        public const int NativeTableMaxLength = 2048;

        /// <summary>esp_encrypted_img's header, which OpenEncryptedImage takes; the ciphertext follows it.</summary>
        public const int EncryptedHeaderLength = 512;

        /// <summary>The device key partition's schemes (label "nfota_key").</summary>
        public const int DeviceKeyRsa3072 = 1;
        public const int DeviceKeyEciesP256 = 2;

        /// <summary>Handles open at once (an update and, say, a second slot being written).</summary>
        public const int MaxHandles = 2;
    }
}
