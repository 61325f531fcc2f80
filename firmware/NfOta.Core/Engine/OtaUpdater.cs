using System.Threading;
using NfOta.Device;
using NfOta.Interop;
using NfOta.Manifest;
using NfOta.Model;
using NfOta.Policy;
using NfOta.Transfer;

namespace NfOta.Engine
{
    /// <summary>
    /// Finds, checks and installs an update: fetch the signed manifest, verify it with the app's key,
    /// apply the policy, stream the image in fixed chunks into the next OTA slot through ESP-IDF
    /// (encrypted path), resume a dropped download with a Range request, compare size and SHA-256,
    /// finish, set the boot slot, and hand the reboot to the app. On any failure the update slot's
    /// handle is aborted: the running firmware and otadata stay as they were.
    /// </summary>
    public sealed class OtaUpdater
    {
        private readonly IImageSource _source;
        private readonly byte[] _publicKey;
        private readonly UpdateOptions _options;

        /// <param name="source">Where manifests and images come from (HTTP(S) adapter).</param>
        /// <param name="manifestPublicKey">The release key's public half: 65 bytes, 0x04‖X‖Y (nfota keys new prints it).</param>
        /// <param name="options">Chunk size, retries; null for the defaults.</param>
        public OtaUpdater(IImageSource source, byte[] manifestPublicKey, UpdateOptions options)
        {
            if (source == null)
            {
                throw new OtaException(OtaError.NativeError, "an image source is required");
            }
            _source = source;
            _publicKey = manifestPublicKey;
            _options = options ?? new UpdateOptions();
            if (_options.ChunkSize < 16 || _options.ChunkSize % 16 != 0)
            {
                throw new OtaException(OtaError.NativeError, "ChunkSize must be a positive multiple of 16 (it is " + _options.ChunkSize.ToString() + ")");
            }
            Cancel = new CancelSignal();
        }

        /// <summary>Called after each chunk is in flash.</summary>
        public ProgressHandler Progress { get; set; }

        /// <summary>Restarts the board once the new image is set to boot. Default: NativeOta.Reboot.</summary>
        public RebootHandler Reboot { get; set; }

        /// <summary>Waits between retries. Default: Thread.Sleep.</summary>
        public SleepHandler Sleep { get; set; }

        /// <summary>Set from any thread to stop the update before the next chunk.</summary>
        public CancelSignal Cancel { get; private set; }

        /// <summary>
        /// Download, parse and verify the manifest at <paramref name="manifestUrl"/>. Returns it when it
        /// offers a newer version than the running one (or any version with AllowSameOrOlder), null otherwise.
        /// Throws <see cref="OtaException"/> for network, signature or format problems.
        /// </summary>
        public UpdateManifest CheckForUpdate(string manifestUrl)
        {
            var manifest = FetchManifest(manifestUrl);
            return Offers(manifest, DeviceState.Read()) ? manifest : null;
        }

        /// <summary>Check for an update and install it. Returns null when there is none.</summary>
        public UpdateResult Update(string manifestUrl)
        {
            var manifest = FetchManifest(manifestUrl);
            // One reading of the board serves both steps (it hashes the running app to trust its record).
            var device = DeviceState.Read();
            return Offers(manifest, device) ? Install(manifest, device) : null;
        }

        private bool Offers(UpdateManifest manifest, DeviceState device)
        {
            return _options.AllowSameOrOlder || UpdatePolicy.IsNewer(manifest, device);
        }

        /// <summary>Download and verify the manifest at <paramref name="manifestUrl"/> (no policy check).</summary>
        public UpdateManifest FetchManifest(string manifestUrl)
        {
            var buffer = new byte[ManifestFormat.MaxLength + 1];
            int failures = 0;
            while (true)
            {
                int length;
                try
                {
                    length = ReadWhole(manifestUrl, buffer);
                }
                catch (OtaException e)
                {
                    if (!e.IsTransient || ++failures > _options.MaxRetries)
                    {
                        throw;
                    }
                    Wait(failures);
                    continue;
                }
                if (length > ManifestFormat.MaxLength)
                {
                    throw new OtaException(OtaError.ManifestInvalid, "manifest: " + manifestUrl + " is longer than " + ManifestFormat.MaxLength.ToString() + " bytes");
                }
                var manifest = UpdateManifest.Parse(buffer, length);
                ManifestVerifier.Verify(manifest, _publicKey);
                return manifest;
            }
        }

        /// <summary>
        /// Install a manifest returned by <see cref="CheckForUpdate"/> or <see cref="FetchManifest"/>:
        /// policy, stream, verify, set the boot slot, then call <see cref="Reboot"/>.
        /// Returns when the reboot handler returns (the default one does not).
        /// <para>
        /// On a board whose OTA slots each have a paired deploy partition, the update slot gets a
        /// firmware and its app together: the release's firmware (downloaded) or a copy of the running
        /// one, and the release's app (downloaded) or a copy of the running one; both are read back and
        /// compared by SHA-256 before the slot is set to boot, so the board only ever boots a firmware
        /// with the app it was paired with.
        /// </para>
        /// </summary>
        public UpdateResult Apply(UpdateManifest manifest)
        {
            return Install(manifest, DeviceState.Read());
        }

        private UpdateResult Install(UpdateManifest manifest, DeviceState device)
        {
            if (device.RunningState == NativeOtaStatus.StatePendingVerify)
            {
                throw new OtaException(OtaError.PendingVerify,
                    "the running firmware (" + device.RunningSlot.Label + ") is still pending verification: run RollbackGuard at start-up to confirm it before updating");
            }
            if (device.BootSlot != null && device.BootSlot.Label != device.RunningSlot.Label)
            {
                // ESP-IDF 5.5 would write this update's otadata entry over the running firmware's,
                // leaving no way back to it.
                throw new OtaException(OtaError.RebootPending,
                    "an update to " + device.BootSlot.Label + " is installed and waits for a reboot: restart the board (and confirm the new firmware) before installing another");
            }
            UpdatePolicy.Check(manifest, device, _options.AllowSameOrOlder);
            bool paired = device.UpdateAppPartition != null;
            if (manifest.HasApp && !paired)
            {
                throw new OtaException(OtaError.NoAppPartition,
                    "this release carries an app, but this board's OTA slots share one deploy partition: app updates need deploy_0 and deploy_1 (native/nf-interpreter/partitions)");
            }
            if (paired)
            {
                CheckCompatible(manifest, device);
            }

            string slot = device.UpdateSlot.Label;
            var result = new UpdateResult { Slot = slot, Version = manifest.Version.Text };
            int firmwareSize = manifest.HasFirmware ? manifest.Size : RunningImage.Length("", device.RunningSlot.Size);
            // An interrupted download of this very image may have left verified blocks in the slot
            // (read back and checked against the signed block hashes: nothing else is trusted).
            // (Not for a pre-encrypted image: GCM decrypts in one pass from the start.)
            int kept = manifest.HasFirmware && !manifest.IsEncrypted ? VerifiedPrefix(slot, manifest) : 0;
            // The server's length is checked before esp_ota_begin touches flash (it erases, and
            // invalidates the fallback's otadata entry).
            IImageStream first = null;
            if (manifest.HasFirmware)
            {
                if (kept < manifest.Size)
                {
                    first = OpenWithRetries(manifest.Url, DownloadSize(manifest), kept);
                }
            }
            else if (manifest.HasApp)
            {
                first = OpenWithRetries(manifest.AppUrl, manifest.AppSize, 0);
            }
            int flags = _options.EraseAsYouGo ? NativeOtaStatus.BeginSequentialErase : 0;
            var writer = new SlotWriter();
            try
            {
                if (manifest.IsEncrypted)
                {
                    // The device key unwraps the image's key before esp_ota_begin erases anything.
                    OpenEncrypted(manifest, first, result);
                    flags |= NativeOtaStatus.BeginDecrypt;
                }
                if (kept > 0)
                {
                    int resumed = NativeOta.Resume(slot, kept, firmwareSize);
                    if (resumed == NativeOtaStatus.NotSupported)
                    {
                        // ESP-IDF before 5.5 has no esp_ota_resume: start over.
                        kept = 0;
                        CloseQuietly(first);
                        first = OpenWithRetries(manifest.Url, DownloadSize(manifest), 0);
                    }
                    else
                    {
                        writer.Handle = NativeFailure.Check(resumed, "resuming the update of " + slot + " at byte " + kept.ToString());
                        result.ResumedAt = kept;
                    }
                }
                if (kept == 0)
                {
                    writer.Handle = NativeFailure.Check(NativeOta.Begin(slot, firmwareSize, flags), "starting the update of " + slot);
                }
            }
            catch (System.Exception)
            {
                CloseQuietly(first);
                throw;
            }
            var firmwareDigest = new byte[32];
            var chunk = new byte[_options.ChunkSize];
            // A pre-encrypted file whose SHA-256 the manifest signs is checked natively at End (the
            // header and ciphertext as downloaded, before the GCM tag and esp_ota_end): the
            // plaintext's digest is compared after that verdict, so a file changed on the server is
            // reported as such (hash-mismatch, encrypted-sha256), not as a plaintext that differs.
            bool fileSigned = manifest.IsEncrypted && manifest.EncryptedSha256 != null;
            try
            {
                if (manifest.HasFirmware)
                {
                    Download(manifest.Url, manifest.Size, writer, slot, manifest, chunk, result, first, kept);
                    first = null;
                    if (result.ResumedAt > 0 || result.BlockRefetches > 0)
                    {
                        // Part of the image was kept or written again: the handle saw only the rest.
                        // The read-back after esp_ota_end compares the whole slot with the manifest.
                        System.Array.Copy(manifest.Sha256, firmwareDigest, 32);
                    }
                    else
                    {
                        CheckDigest(writer.Handle, manifest.Size, fileSigned ? null : manifest.Sha256, firmwareDigest);
                    }
                }
                else
                {
                    CopyRunningFirmware(writer, firmwareSize, chunk, result);
                    CheckDigest(writer.Handle, firmwareSize, null, firmwareDigest);
                }
                if (paired)
                {
                    WriteApp(manifest, device, chunk, result, first);
                    first = null;
                }
            }
            catch (System.Exception)
            {
                CloseQuietly(first);
                AbortQuietly(writer.Handle);
                throw;
            }
            // End frees the handle whether it succeeds or not.
            NativeFailure.Check(NativeOta.End(writer.Handle), "verifying the image in " + slot);
            if (fileSigned && !Text.Digest.Matches(firmwareDigest, manifest.Sha256, 0))
            {
                // The file is the one signed for, yet it decrypts to another image: the release was
                // packed inconsistently. ESP-IDF validated the slot, but it is not set to boot.
                throw new OtaException(OtaError.HashMismatch,
                    "the decrypted image's SHA-256 is " + Text.Hex.Encode(firmwareDigest) + " but the manifest says " + Text.Hex.Encode(manifest.Sha256)
                    + " although the pre-encrypted file matches its encrypted-sha256: the release was packed from another image; nothing is set to boot");
            }
            CheckReadBack(slot, 0, firmwareSize, firmwareDigest, "the firmware in " + slot,
                result.ResumedAt > 0 ? OtaError.HashMismatch : OtaError.FlashError, "flash did not keep what was written, or the image is not the one signed for");
            NativeFailure.Check(NativeOta.SetBootSlot(slot), "setting " + slot + " to boot");

            var reboot = Reboot;
            if (reboot != null)
            {
                reboot();
            }
            else
            {
                NativeOta.Reboot();
            }
            return result;
        }

        /// <summary>
        /// How many bytes at the start of the slot are whole blocks of this manifest's image, each
        /// read back through decryption and matching its signed SHA-256, stopping at the first that
        /// does not (0 for an erased slot, another image, or a manifest without block hashes).
        /// </summary>
        private int VerifiedPrefix(string slot, UpdateManifest manifest)
        {
            if (manifest.BlockSize == 0)
            {
                return 0;
            }
            // Only a slot otadata would not boot: esp_ota_begin invalidated a fallback's entry when
            // the interrupted attempt started; a slot still tracked as bootable was never begun over.
            int state = NativeOta.GetSlotState(slot);
            if (state >= 0 && state != NativeOtaStatus.StateInvalid && state != NativeOtaStatus.StateAborted)
            {
                return 0;
            }
            var digest = new byte[32];
            int kept = 0;
            for (int block = 0; block < manifest.BlockCount; block++)
            {
                int start = block * manifest.BlockSize;
                int length = manifest.Size - start < manifest.BlockSize ? manifest.Size - start : manifest.BlockSize;
                // A last block that is not whole 16-byte units may still sit in ESP-IDF's buffer: redo it.
                if (start + length == manifest.Size && manifest.Size % 16 != 0)
                {
                    break;
                }
                if (!BlockMatches(slot, manifest, block, start, length, digest))
                {
                    break;
                }
                kept = start + length;
            }
            return kept;
        }

        /// <summary>Whether block <paramref name="block"/> of the slot reads back as the manifest says.</summary>
        private static bool BlockMatches(string slot, UpdateManifest manifest, int block, int start, int length, byte[] digest)
        {
            int status = NativeOta.HashPartition(slot, start, length, digest);
            if (status < 0)
            {
                throw NativeFailure.From(status, "reading back block " + block.ToString() + " of " + slot);
            }
            return Text.Digest.Matches(digest, manifest.BlockSha256, Text.Digest.Length * block);
        }

        /// <summary>
        /// The app the update slot will run must bind to the firmware it will run with: every native
        /// assembly it needs, with the same checksum. Checked before anything is written.
        /// </summary>
        private static void CheckCompatible(UpdateManifest manifest, DeviceState device)
        {
            NativeAssemblyList provided = manifest.HasFirmware ? manifest.FirmwareNatives : DeviceState.ReadFirmwareNatives();
            NativeAssemblyList needs = manifest.HasApp ? manifest.AppNatives : device.RunningAppImage.Needs;
            if (provided == null)
            {
                // The packer could not read the new firmware's table: nanoCLR decides at boot, and an
                // app that does not start never confirms, so the boot guard rolls both back.
                return;
            }
            string mismatch = provided.Mismatch(needs);
            if (mismatch != null)
            {
                throw new OtaException(OtaError.IncompatibleFirmware,
                    (manifest.HasFirmware ? "the release's firmware" : "the running firmware") + " cannot run "
                    + (manifest.HasApp ? "the release's app" : "the running app") + ": " + mismatch + "; nothing was written");
            }
        }

        /// <summary>Copy the running firmware image into the update slot: read through decryption, written through esp_ota_write (encrypted).</summary>
        private void CopyRunningFirmware(SlotWriter writer, int size, byte[] chunk, UpdateResult result)
        {
            for (int done = 0; done < size;)
            {
                CheckCancelled(done, size);
                int n = size - done < chunk.Length ? size - done : chunk.Length;
                int status = NativeOta.ReadPartition("", done, chunk, 0, n);
                if (status < 0)
                {
                    throw NativeFailure.From(status, "reading the running firmware at byte " + done.ToString());
                }
                status = writer.Write(chunk, n);
                if (status < 0)
                {
                    throw NativeFailure.From(status, "copying the running firmware at byte " + done.ToString());
                }
                result.NativeWrites++;
                done += n;
                result.BytesWritten = done;
                result.BytesCopied += n;
            }
        }

        /// <summary>
        /// The app half: the deploy partition paired with the update slot gets the release's app
        /// (downloaded) or the running app (copied), then nf-ota's release record; both read back.
        /// The record sector is erased first, so an update cut short leaves no record and the next
        /// attempt erases everything it cannot vouch for; anything past the new app that an older one
        /// left is erased, because nanoCLR walks the whole partition.
        /// </summary>
        private void WriteApp(UpdateManifest manifest, DeviceState device, byte[] chunk, UpdateResult result, IImageStream first)
        {
            string slot = device.UpdateSlot.Label;
            SlotInfo target = device.UpdateAppPartition;
            DeployedApp old = DeployedApp.Read(target);
            int capacity = UpdatePolicy.AppCapacity(target);
            int recordAt = Model.AppRecord.OffsetIn(target.Size);
            NativeFailure.Check(NativeOta.EraseApp(slot, recordAt, Model.AppRecord.SectorSize, 0), "erasing the app record in " + target.Label);

            int size = manifest.HasApp ? manifest.AppSize : AppLength(device.RunningAppImage);
            if (size > capacity)
            {
                throw new OtaException(OtaError.ImageTooLarge, (manifest.HasApp ? "the release's app is " : "the running app is ") + size.ToString() + " bytes but " + target.Label + " holds " + capacity.ToString());
            }
            byte[] sha256;
            // [0] erased up to here; [1] the partition's flash address (blocks are aligned on the
            // flash); [2] where the app's sectors end (nothing past it is erased ahead in blocks).
            var erased = new int[] { 0, target.Address, Sectors(size) < recordAt ? Sectors(size) : recordAt };
            if (!_options.EraseAsYouGo && erased[2] > 0)
            {
                // In bulk, as esp_ota_begin erases the firmware: the app's whole span in one call.
                int status = NativeOta.EraseApp(slot, 0, erased[2], 0);
                if (status < 0)
                {
                    throw NativeFailure.From(status, "erasing the app partition");
                }
                erased[0] = erased[2];
            }
            if (manifest.HasApp)
            {
                sha256 = manifest.AppSha256;
                Download(manifest.AppUrl, size, slot, chunk, result, first, erased);
            }
            else
            {
                CopyRunningApp(device.RunningAppPartition.Label, slot, size, chunk, erased, result);
                sha256 = new byte[32];
                NativeFailure.Check(NativeOta.HashPartition(device.RunningAppPartition.Label, 0, size, sha256), "hashing the running app");
            }
            int stale = old.Record != null ? Sectors(old.Record.AppLength) : recordAt;
            // What lies past the new app only has to hold nothing nanoCLR could load.
            EraseAppTo(slot, erased, stale < recordAt ? stale : recordAt, NativeOtaStatus.EraseSkipBlankPlaintext);
            // A downloaded app went to flash unhashed (no SHA-256 in managed code): reading it back is
            // the first check of the download too.
            CheckReadBack(target.Label, 0, size, sha256, "the app in " + target.Label,
                manifest.HasApp ? OtaError.HashMismatch : OtaError.FlashError,
                manifest.HasApp ? "the app was corrupted on the way or replaced on the server (or flash did not keep it)" : "flash did not keep what was written");

            byte[] record = Model.AppRecord.Build(size, sha256, manifest.Version.Text);
            var padded = new byte[(record.Length + 15) & ~15];
            System.Array.Copy(record, padded, record.Length);
            NativeFailure.Check(NativeOta.WriteApp(slot, recordAt, padded, 0, padded.Length), "writing the app record in " + target.Label);
            result.AppBytesWritten = size;
        }

        private void CopyRunningApp(string source, string slot, int size, byte[] chunk, int[] erased, UpdateResult result)
        {
            for (int done = 0; done < size;)
            {
                CheckCancelled(done, size);
                int n = size - done < chunk.Length ? size - done : chunk.Length;
                int status = NativeOta.ReadPartition(source, done, chunk, 0, n);
                if (status < 0)
                {
                    throw NativeFailure.From(status, "reading the running app at byte " + done.ToString());
                }
                WriteAppChunk(slot, done, chunk, n, erased);
                done += n;
                result.BytesCopied += n;
            }
        }

        /// <summary>One chunk into the paired deploy partition, its sectors erased first; a short last chunk is padded with 0xFF to 16 bytes (the encrypted path's unit).</summary>
        private static void WriteAppChunk(string slot, int offset, byte[] chunk, int count, int[] erased)
        {
            EraseAppTo(slot, erased, offset + count, 0);
            int padded = (count + 15) & ~15;
            for (int i = count; i < padded; i++)
            {
                chunk[i] = 0xFF;
            }
            int status = NativeOta.WriteApp(slot, offset, chunk, 0, padded);
            if (status < 0)
            {
                throw NativeFailure.From(status, "writing the app at byte " + offset.ToString());
            }
        }

        private static int AppLength(DeployedApp running)
        {
            return running.Record != null ? running.Record.AppLength : running.Length;
        }

        /// <summary>
        /// Erase the paired deploy partition up to <paramref name="end"/> (rounded up to a sector), from
        /// where erasing stopped: a whole 64 KiB block at a time where the block is aligned on the flash
        /// and lies inside the app's span (one block erase, ~150 ms, instead of sixteen of ~45 ms),
        /// otherwise a sector.
        /// </summary>
        private static void EraseAppTo(string slot, int[] erased, int end, int flags)
        {
            int to = Sectors(end);
            while (erased[0] < to)
            {
                int length = (erased[1] + erased[0]) % AppEraseBlock == 0 && erased[0] + AppEraseBlock <= erased[2] ? AppEraseBlock : Model.AppRecord.SectorSize;
                int status = NativeOta.EraseApp(slot, erased[0], length, flags);
                if (status < 0)
                {
                    // The message is built only on failure: the chunk loop allocates nothing.
                    throw NativeFailure.From(status, "erasing the app partition at byte " + erased[0].ToString());
                }
                erased[0] += length;
            }
        }

        /// <summary>A flash block: what one block erase takes.</summary>
        private const int AppEraseBlock = 0x10000;

        private static int Sectors(int bytes)
        {
            return (bytes + Model.AppRecord.SectorSize - 1) & ~(Model.AppRecord.SectorSize - 1);
        }

        /// <summary>SHA-256 of what the slot holds now, read back through decryption, against what was meant to be written.</summary>
        private static void CheckReadBack(string label, int offset, int length, byte[] expected, string what, OtaError error, string cause)
        {
            var digest = new byte[32];
            NativeFailure.Check(NativeOta.HashPartition(label, offset, length, digest), "reading back " + what);
            if (!Text.Digest.Matches(digest, expected, 0))
            {
                throw new OtaException(error,
                    "reading back " + what + " gives SHA-256 " + Text.Hex.Encode(digest) + " instead of " + Text.Hex.Encode(expected) + ": " + cause + "; nothing is set to boot");
            }
        }

        private void CheckCancelled(int done, int size)
        {
            if (Cancel.IsCancelled)
            {
                throw new OtaException(OtaError.Cancelled, "the update was cancelled after " + done.ToString() + " of " + size.ToString() + " bytes; the running firmware is unchanged");
            }
        }

        /// <summary>
        /// The download loop: fill one whole chunk, hand it to one native write, repeat. A chunk
        /// survives a dropped connection, so a resume asks for exactly the next missing byte and
        /// nothing received is fetched twice. No allocation per chunk. The bytes go to the OTA
        /// handle, or (appSlot not null) into the deploy partition paired with that slot.
        /// </summary>
        /// <summary>The firmware image into the OTA handle, from <paramref name="startAt"/>, block by block when the manifest has block hashes.</summary>
        private void Download(string url, int size, SlotWriter writer, string slot, UpdateManifest manifest, byte[] chunk, UpdateResult result, IImageStream first, int startAt)
        {
            Download(url, size, writer, slot, manifest, null, chunk, result, first, null, startAt);
        }

        /// <summary>Bytes to download for the firmware part: the image, or its pre-encrypted file (header and ciphertext).</summary>
        private static int DownloadSize(UpdateManifest manifest)
        {
            return manifest.IsEncrypted ? manifest.EncryptedSize : manifest.Size;
        }

        /// <summary>
        /// Read the pre-encrypted image's header from the opened stream and open it natively: the
        /// device key must unwrap it. With the manifest's encrypted-sha256 the native side hashes the
        /// header and every ciphertext byte written, and End refuses another digest (HashMismatch);
        /// older manifests pass an empty digest (not checked). The stream is left at the
        /// ciphertext's first byte.
        /// </summary>
        private static void OpenEncrypted(UpdateManifest manifest, IImageStream stream, UpdateResult result)
        {
            string url = manifest.Url;
            var header = new byte[NativeOtaStatus.EncryptedHeaderLength];
            int filled = 0;
            while (filled < header.Length)
            {
                int n = stream.Read(header, filled, header.Length - filled);
                if (n <= 0)
                {
                    throw new OtaException(OtaError.Network, "the download of " + url + " ended inside the pre-encrypted image's header") { IsTransient = true };
                }
                filled += n;
            }
            result.BytesReceived += filled;
            int status = NativeOta.OpenEncryptedImage(header, manifest.EncryptedSha256 != null ? manifest.EncryptedSha256 : new byte[0]);
            if (status == NativeOtaStatus.NotFound || status == NativeOtaStatus.KeyInvalid)
            {
                throw new OtaException(OtaError.NoDeviceKey,
                    "the release is pre-encrypted, but this board's device key partition (nfota_key) is " + (status == NativeOtaStatus.NotFound ? "missing or blank" : "damaged or stored unencrypted")
                    + ": provision it (nfota keys device-partition) or publish the release unencrypted; nothing was written") { NativeStatus = status };
            }
            NativeFailure.Check(status, "opening the pre-encrypted image at " + url);
        }

        /// <summary>The app into the deploy partition paired with <paramref name="appSlot"/>.</summary>
        private void Download(string url, int size, string appSlot, byte[] chunk, UpdateResult result, IImageStream first, int[] erased)
        {
            Download(url, size, null, null, null, appSlot, chunk, result, first, erased, 0);
        }

        private void Download(string url, int size, SlotWriter writer, string slot, UpdateManifest blocks, string appSlot, byte[] chunk, UpdateResult result, IImageStream first, int[] erased, int startAt)
        {
            int written = startAt; // in flash
            int filled = 0;  // in chunk, not yet written
            // A pre-encrypted firmware's file starts with its header (already read): the stream's
            // offsets run that far ahead of the image's, and decryption runs in one pass.
            bool encrypted = blocks != null && blocks.IsEncrypted;
            int header = encrypted ? ManifestFormat.EncryptedHeaderLength : 0;
            int failures = 0;
            int failingBlock = -1; // a block that failed its check once and is being fetched again
            var digest = blocks != null && blocks.BlockSize > 0 ? new byte[32] : null;
            IImageStream stream = first; // opened by Apply, or null: then the first open is not a resume
            bool opened = first != null;
            try
            {
                while (written < size)
                {
                    CheckCancelled(written, size);
                    try
                    {
                        if (stream == null)
                        {
                            if (opened)
                            {
                                result.Resumes++;
                            }
                            opened = true;
                            stream = Open(url, size + header, written + filled + header);
                        }
                        int want = size - written < chunk.Length ? size - written : chunk.Length;
                        while (filled < want)
                        {
                            int n = stream.Read(chunk, filled, want - filled);
                            if (n <= 0)
                            {
                                throw new OtaException(OtaError.Network,
                                    "the download of " + url + " ended after " + (written + filled).ToString() + " of " + size.ToString() + " bytes") { IsTransient = true };
                            }
                            filled += n;
                            result.BytesReceived += n;
                            failures = 0;
                        }
                    }
                    catch (OtaException e)
                    {
                        CloseQuietly(stream);
                        stream = null;
                        if (!e.IsTransient || ++failures > _options.MaxRetries)
                        {
                            throw;
                        }
                        Wait(failures);
                        continue;
                    }

                    if (appSlot != null)
                    {
                        WriteAppChunk(appSlot, written, chunk, filled, erased);
                    }
                    else
                    {
                        int status = writer.Write(chunk, filled);
                        if (status < 0)
                        {
                            // The message is built only on failure: the chunk loop allocates nothing.
                            throw NativeFailure.From(status, "writing the image at byte " + written.ToString());
                        }
                        result.NativeWrites++;
                    }
                    written += filled;
                    filled = 0;
                    if (appSlot == null)
                    {
                        result.BytesWritten = written;
                    }

                    if (digest != null && (written % blocks.BlockSize == 0 || (written == size && size % 16 == 0)))
                    {
                        int block = (written - 1) / blocks.BlockSize;
                        int start = block * blocks.BlockSize;
                        if (!BlockMatches(slot, blocks, block, start, written - start, digest))
                        {
                            if (block == failingBlock || encrypted)
                            {
                                throw new OtaException(OtaError.HashMismatch,
                                    "block " + block.ToString() + " (bytes " + start.ToString() + " to " + (written - 1).ToString() + ") of " + url
                                    + (encrypted ? " does not match the manifest's block-sha256 (a pre-encrypted image is decrypted in one pass, so the block cannot be fetched again alone): the image on the server is not the one signed for"
                                                 : " does not match the manifest's block-sha256 twice in a row: the image on the server is not the one signed for"));
                            }
                            // Write the block again from its start, and fetch it alone again.
                            failingBlock = block;
                            result.BlockRefetches++;
                            CloseQuietly(stream);
                            stream = null;
                            // Resume before the old handle goes: the native side erases the header of
                            // a slot whose last session was aborted with its whole image written (as
                            // when the last block is the bad one), unless another handle carries on.
                            int resumed = NativeOta.Resume(slot, start, size);
                            AbortQuietly(writer.Handle);
                            writer.Handle = 0;
                            if (resumed == NativeOtaStatus.NotSupported)
                            {
                                throw new OtaException(OtaError.HashMismatch,
                                    "block " + block.ToString() + " of " + url + " was damaged on the way, and ESP-IDF before 5.5 cannot rewrite one block: run the update again");
                            }
                            writer.Handle = NativeFailure.Check(resumed, "rewriting block " + block.ToString() + " of " + slot);
                            written = start;
                            result.BytesWritten = written;
                            continue;
                        }
                        failingBlock = -1;
                    }

                    var progress = Progress;
                    if (progress != null)
                    {
                        // As fetched: a pre-encrypted file's header counts (it was downloaded too).
                        progress(written + header, size + header);
                    }
                }

                // Everything announced has arrived; a byte more means the image is not the one signed for.
                if (stream != null && ProbeForMore(stream, chunk))
                {
                    throw new OtaException(OtaError.SizeMismatch, "the image at " + url + " is longer than the manifest's " + size.ToString() + " bytes");
                }
            }
            finally
            {
                CloseQuietly(stream);
            }
        }

        /// <summary>
        /// Whether the body goes on past the announced length. A transient failure here proves
        /// nothing either way: every announced byte is in flash, and the size and SHA-256 checks
        /// that follow decide.
        /// </summary>
        private static bool ProbeForMore(IImageStream stream, byte[] buffer)
        {
            try
            {
                return stream.Read(buffer, 0, 1) > 0;
            }
            catch (OtaException e)
            {
                if (!e.IsTransient)
                {
                    throw;
                }
                return false;
            }
        }

        /// <summary>Open the image at byte 0, retrying transient failures as the download loop does.</summary>
        private IImageStream OpenWithRetries(string url, int size, int offset)
        {
            int failures = 0;
            while (true)
            {
                if (Cancel.IsCancelled)
                {
                    throw new OtaException(OtaError.Cancelled, "the update was cancelled before the download started; the running firmware is unchanged");
                }
                try
                {
                    return Open(url, size, offset);
                }
                catch (OtaException e)
                {
                    if (!e.IsTransient || ++failures > _options.MaxRetries)
                    {
                        throw;
                    }
                    Wait(failures);
                }
            }
        }

        private IImageStream Open(string url, int size, int offset)
        {
            var stream = _source.Open(url, offset);
            int total = stream.TotalLength;
            if (total >= 0 && total != size)
            {
                CloseQuietly(stream);
                throw new OtaException(OtaError.SizeMismatch,
                    "the image at " + url + " is " + total.ToString() + " bytes but the manifest says " + size.ToString() + ": the server holds another build");
            }
            return stream;
        }

        /// <summary>
        /// The handle's digest of every byte written, against the manifest's (null: none to compare
        /// with, a copy); left in <paramref name="digest"/> for the read-back after esp_ota_end.
        /// </summary>
        private static void CheckDigest(int handle, int size, byte[] expected, byte[] digest)
        {
            int covered = NativeFailure.Check(NativeOta.GetImageDigest(handle, digest), "hashing the image");
            if (covered != size)
            {
                throw new OtaException(OtaError.SizeMismatch, "wrote " + covered.ToString() + " bytes but the manifest says " + size.ToString());
            }
            if (expected != null && !Text.Digest.Matches(digest, expected, 0))
            {
                throw new OtaException(OtaError.HashMismatch,
                    "the downloaded image's SHA-256 is " + Text.Hex.Encode(digest) + " but the manifest says " + Text.Hex.Encode(expected) + ": the image was corrupted or replaced");
            }
        }

        /// <summary>Read a whole small resource (the manifest) into buffer; returns its length (buffer.Length means "too long").</summary>
        private int ReadWhole(string url, byte[] buffer)
        {
            var stream = _source.Open(url, 0);
            try
            {
                int length = 0;
                while (length < buffer.Length)
                {
                    int n = stream.Read(buffer, length, buffer.Length - length);
                    if (n <= 0)
                    {
                        break;
                    }
                    length += n;
                }
                if (stream.TotalLength >= 0 && length < stream.TotalLength && length < buffer.Length)
                {
                    throw new OtaException(OtaError.Network, "the manifest download ended after " + length.ToString() + " of " + stream.TotalLength.ToString() + " bytes") { IsTransient = true };
                }
                return length;
            }
            finally
            {
                CloseQuietly(stream);
            }
        }

        private void Wait(int failures)
        {
            int delay = _options.RetryDelayMilliseconds;
            for (int i = 1; i < failures && delay < _options.MaxRetryDelayMilliseconds; i++)
            {
                delay *= 2;
            }
            if (delay > _options.MaxRetryDelayMilliseconds)
            {
                delay = _options.MaxRetryDelayMilliseconds;
            }
            var sleep = Sleep;
            if (sleep != null)
            {
                sleep(delay);
            }
            else
            {
                Thread.Sleep(delay);
            }
        }

        /// <summary>
        /// Give the update slot's handle back after a failure. The first failure is the one to report;
        /// if the abort fails too (the chip is restarting, the handle is gone) that adds nothing to it.
        /// </summary>
        private static void AbortQuietly(int handle)
        {
            try
            {
                NativeOta.Abort(handle);
            }
            catch (System.Exception)
            {
            }
        }

        private static void CloseQuietly(IImageStream stream)
        {
            if (stream == null)
            {
                return;
            }
            try
            {
                stream.Close();
            }
            catch (OtaException)
            {
                // Closing a broken connection may fail too; the failure that matters is already on its way.
            }
        }
    }
}
