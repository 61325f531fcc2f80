using System.Runtime.CompilerServices;

namespace NfOta.Interop
{
    /// <summary>
    /// The native side of nf-ota: ESP-IDF's OTA, partition, app-description, flash-encryption and
    /// secure-boot APIs, reached through the C component in native/nf_ota. Every method returns a
    /// status where a failure is possible: 0 (or a non-negative value) on success, a negative
    /// <see cref="NativeOtaStatus"/> code otherwise; <see cref="GetLastEspError"/> then gives the raw
    /// esp_err_t. Strings and arrays must not be null (nanoCLR throws NullReferenceException before
    /// the native code runs). An empty slot label means "the default slot" as each method says.
    /// This surface is the native checksum: change it and every firmware needs a new native build.
    /// </summary>
    public static class NativeOta
    {
        /// <summary>
        /// esp_ota_begin on the slot with this label, or on esp_ota_get_next_update_partition(NULL)
        /// when the label is empty. imageSize is the image length (&gt; 0; only that much is erased), or
        /// <see cref="NativeOtaStatus.SizeUnknown"/> (the whole slot is erased).
        /// flags: <see cref="NativeOtaStatus.BeginSequentialErase"/> erases sector by sector as data arrives.
        /// Returns a handle (> 0) for the other calls, or a negative status.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Begin(string slotLabel, int imageSize, int flags);

        /// <summary>
        /// esp_ota_resume (ESP-IDF 5.5 and later): a handle that goes on writing the image in the slot
        /// with this label (empty: the next update slot) at imageOffset, a multiple of 4096, keeping the
        /// bytes before it; it erases as it writes, from imageOffset on. imageSize as for
        /// <see cref="Begin"/>. The caller vouches for the kept bytes (read them back first); esp_ota_end
        /// verifies the whole image. <see cref="NativeOtaStatus.NotSupported"/> before ESP-IDF 5.5.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Resume(string slotLabel, int imageOffset, int imageSize);

        /// <summary>esp_ota_write of buffer[offset .. offset+count) at the end of what was written so far.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Write(int handle, byte[] buffer, int offset, int count);

        /// <summary>esp_ota_write_with_offset: write buffer[offset .. offset+count) at imageOffset in the image (resume).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int WriteAt(int handle, int imageOffset, byte[] buffer, int offset, int count);

        /// <summary>
        /// Erase ahead of the next count bytes <see cref="Write"/> will append, in one step of at most
        /// one erase: a 64 KiB block, or up to three 4 KiB sectors (no longer than a block erase, ~150 ms,
        /// so Wi-Fi is never starved by one call). Call it until it returns at least count; a Write
        /// that finds its bytes erased erases nothing, so it takes only the time its programs take.
        /// Returns how many bytes from the append position are erased (never past the image's
        /// size), or a negative status. Without <see cref="NativeOtaStatus.BeginSequentialErase"/>
        /// the slot was erased in <see cref="Begin"/>: it erases nothing.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int EraseAhead(int handle, int count);

        /// <summary>
        /// SHA-256 of the image bytes written so far, in order from offset 0, into digest (32 bytes).
        /// Returns how many bytes it covers, or a negative status. Call before <see cref="End"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int GetImageDigest(int handle, byte[] digest);

        /// <summary>esp_ota_end: finish and validate the image (and its secure boot signature). Frees the handle.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int End(int handle);

        /// <summary>esp_ota_abort: give up the update and free the handle. The boot slot is untouched.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int Abort(int handle);

        /// <summary>
        /// Open a pre-encrypted image (ESP-IDF's esp_encrypted_img format) from its 512-byte
        /// header (<see cref="NativeOtaStatus.EncryptedHeaderLength"/>): read this board's device key
        /// from the "nfota_key" partition, unwrap or derive the AES key, start AES-256-GCM. Call it
        /// before <see cref="Begin"/> with <see cref="NativeOtaStatus.BeginDecrypt"/>, so an image made
        /// for another board is refused before anything is erased: <see cref="NativeOtaStatus.DeviceKeyMismatch"/>,
        /// <see cref="NativeOtaStatus.EncryptedImageInvalid"/>, <see cref="NativeOtaStatus.NotFound"/> (no
        /// device key), <see cref="NativeOtaStatus.KeyInvalid"/> (a damaged one). One image at a time.
        /// encryptedSha256: the manifest's signed SHA-256 of the whole file as served (header and
        /// ciphertext, 32 bytes), or an empty array when the manifest has none (not checked). The
        /// header and every ciphertext byte then written are hashed in order, and <see cref="End"/>
        /// refuses another digest with <see cref="NativeOtaStatus.HashMismatch"/> before it looks at
        /// the GCM tag or calls esp_ota_end.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int OpenEncryptedImage(byte[] header, byte[] encryptedSha256);

        /// <summary>esp_ota_set_boot_partition on the slot with this label: boot it at the next restart.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int SetBootSlot(string slotLabel);

        /// <summary>
        /// Describe a slot into record (<see cref="NativeOtaStatus.SlotRecordLength"/> bytes, layout in
        /// NativeOtaStatus). which: <see cref="NativeOtaStatus.SlotRunning"/>, SlotBoot, SlotNextUpdate or SlotLastInvalid.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int GetSlotInfo(int which, byte[] record);

        /// <summary>esp_ota_get_state_partition of the slot (empty label: the running slot). Returns a State* value or a negative status.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int GetSlotState(string slotLabel);

        /// <summary>
        /// esp_ota_mark_app_valid_cancel_rollback: the running app is good; keep it. Final: with
        /// anti-rollback it also burns the image's secure_version into eFuse. Ok when otadata does
        /// not track the running slot (blank otadata): there is nothing to confirm.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int MarkValid();

        /// <summary>esp_ota_mark_app_invalid_rollback_and_reboot: on success the device restarts and this never returns.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int MarkInvalidAndRollback();

        /// <summary>esp_ota_check_rollback_is_possible.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern bool IsRollbackPossible();

        /// <summary>
        /// The esp_app_desc_t (<see cref="NativeOtaStatus.AppDescriptionLength"/> bytes, as ESP-IDF lays it
        /// out) of the running app (empty label) or of the image in the slot with this label.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int GetAppDescription(string slotLabel, byte[] record);

        /// <summary>
        /// The chip this firmware runs on, as app images name it (esp_image_header_t.chip_id:
        /// 0 ESP32, 2 ESP32-S2, 5 ESP32-C3, 9 ESP32-S3, 12 ESP32-C2, 13 ESP32-C6, 16 ESP32-H2); from esp_chip_info.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int GetChipId();

        /// <summary>esp_get_flash_encryption_mode: 0 disabled, 1 development, 2 release.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int GetFlashEncryptionMode();

        /// <summary>esp_secure_boot_enabled.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern bool IsSecureBootEnabled();

        /// <summary>esp_efuse_read_secure_version: the anti-rollback counter burnt in eFuse.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int GetDeviceSecureVersion();

        /// <summary>esp_partition_get_sha256 of the slot with this label (empty: the running slot) into digest (32 bytes).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int GetSlotSha256(string slotLabel, byte[] digest);

        /// <summary>
        /// Verify an ECDSA P-256 signature (64 bytes r||s, big-endian) over SHA-256(message[0 .. messageLength))
        /// with publicKey (65 bytes, 0x04||X||Y). Returns 0 when valid, <see cref="NativeOtaStatus.SignatureInvalid"/> when not.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int VerifyP256(byte[] publicKey, byte[] message, int messageLength, byte[] signature);

        /// <summary>
        /// Describe (as <see cref="GetSlotInfo"/> does) the deploy partition paired with an OTA slot: data
        /// subtype 0x84 labelled "deploy_N" for the slot of subtype ota_N (empty label: the running
        /// slot). It holds the managed app that slot's firmware runs. Returns
        /// <see cref="NativeOtaStatus.NotFound"/> when the board has no such partition (one shared
        /// "deploy" partition, as nanoFramework's own tables have).
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int GetAppPartition(string slotLabel, byte[] record);

        /// <summary>
        /// esp_partition_erase_range in the deploy partition paired with slotLabel (whole 4 KiB
        /// sectors), skipping sectors that are erased already (every stored bit 1). flags:
        /// <see cref="NativeOtaStatus.EraseSkipBlankPlaintext"/> also skips sectors that read as all
        /// 0xFF through decryption (flash encryption's first boot leaves a deploy partition so):
        /// nothing nanoCLR could load, but not writable without an erase. Never the running slot's
        /// app: that is <see cref="NativeOtaStatus.IsRunningSlot"/>.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int EraseApp(string slotLabel, int offset, int length, int flags);

        /// <summary>
        /// esp_partition_write of buffer[bufferOffset .. bufferOffset+count) at offset in the deploy
        /// partition paired with slotLabel: through the flash encryption engine when the partition is
        /// encrypted, so offset and count must be multiples of 16. Never the running slot's app.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int WriteApp(string slotLabel, int offset, byte[] buffer, int bufferOffset, int count);

        /// <summary>
        /// esp_partition_read of count bytes at offset in the partition with this label (empty: the
        /// running slot) into buffer at bufferOffset: decrypted when the partition is encrypted.
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int ReadPartition(string label, int offset, byte[] buffer, int bufferOffset, int count);

        /// <summary>
        /// SHA-256 of length bytes at offset in the partition with this label (empty: the running
        /// slot), read back through esp_partition_read, into digest (32 bytes).
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int HashPartition(string label, int offset, int length, byte[] digest);

        /// <summary>
        /// The native assemblies the running firmware provides (nanoCLR's interop table), into record:
        /// for each, its native checksum (u32, little-endian), its name's length (u8) and its name
        /// (ASCII). Returns the bytes written, or <see cref="NativeOtaStatus.OutOfRange"/> when record
        /// is too small (<see cref="NativeOtaStatus.NativeTableMaxLength"/> always suffices).
        /// </summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int GetNativeAssemblies(byte[] record);

        /// <summary>The raw esp_err_t of the last failed ESP-IDF call (0 if none since start-up).</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern int GetLastEspError();

        /// <summary>esp_restart: never returns.</summary>
        [MethodImpl(MethodImplOptions.InternalCall)]
        public static extern void Reboot();
    }
}
