using NfOta.Device;
using NfOta.Interop;
using NfOta.Manifest;
using NfOta.Transfer;

namespace NfOta.Engine
{
    /// <summary>
    /// The write-a-slot stage for the firmware: open a pre-encrypted image with the device key,
    /// begin (or resume) the update slot through esp_ota_*, stream the release's image into it (or
    /// copy the running firmware), check the handle's digest, then esp_ota_end and the read-back.
    /// </summary>
    internal sealed class FirmwareStage
    {
        private readonly UpdateManifest _manifest;
        private readonly UpdatePlan _plan;
        private readonly Connection _connection;
        private readonly UpdateResult _result;
        // The digest of what the slot must hold, for the read-back after esp_ota_end.
        private readonly byte[] _digest = new byte[32];
        private int _startAt;

        public FirmwareStage(UpdateManifest manifest, UpdatePlan plan, Connection connection, UpdateResult result)
        {
            _manifest = manifest;
            _plan = plan;
            _connection = connection;
            _result = result;
            Writer = new SlotWriter();
        }

        public SlotWriter Writer { get; private set; }

        /// <summary>
        /// A pre-encrypted file whose SHA-256 the manifest signs is checked natively at End (the
        /// header and ciphertext as downloaded, before the GCM tag and esp_ota_end): the plaintext's
        /// digest is compared after that verdict, so a file changed on the server is reported as
        /// such (hash-mismatch, encrypted-sha256), not as a plaintext that differs.
        /// </summary>
        private bool FileSigned
        {
            get { return _manifest.IsEncrypted && _manifest.EncryptedSha256 != null; }
        }

        /// <summary>Bytes to download for the firmware part: the image, or its pre-encrypted file (header and ciphertext).</summary>
        public static int DownloadSize(UpdateManifest manifest)
        {
            return manifest.IsEncrypted ? manifest.EncryptedSize : manifest.Size;
        }

        /// <summary>
        /// Begin or resume the slot (after the device key opened a pre-encrypted image: before
        /// anything is erased). Returns the stream to download from: <paramref name="first"/>, or a
        /// new one from byte 0 when ESP-IDF cannot resume (before 5.5).
        /// </summary>
        public IImageStream Start(IImageStream first, bool eraseAsYouGo)
        {
            int flags = eraseAsYouGo ? NativeOtaStatus.BeginSequentialErase : 0;
            if (_manifest.IsEncrypted)
            {
                PreEncryptedHeader.Open(_manifest, first, _result);
                flags |= NativeOtaStatus.BeginDecrypt;
            }
            _startAt = _plan.Kept;
            if (_startAt > 0)
            {
                int resumed = NativeOta.Resume(_plan.Slot, _startAt, _plan.FirmwareSize);
                if (resumed == NativeOtaStatus.NotSupported)
                {
                    // ESP-IDF before 5.5 has no esp_ota_resume: start over.
                    _startAt = 0;
                    Connection.CloseQuietly(first);
                    first = _connection.OpenWithRetries(_manifest.Url, DownloadSize(_manifest), 0);
                }
                else
                {
                    Writer.Handle = NativeFailure.Check(resumed, "resuming the update of " + _plan.Slot + " at byte " + _startAt.ToString());
                    _result.ResumedAt = _startAt;
                }
            }
            if (_startAt == 0)
            {
                Writer.Handle = NativeFailure.Check(NativeOta.Begin(_plan.Slot, _plan.FirmwareSize, flags), "starting the update of " + _plan.Slot);
            }
            return first;
        }

        /// <summary>The release's image downloaded into the slot (it closes <paramref name="first"/>), or the running firmware copied; then the handle's digest checked.</summary>
        public void Write(ImageDownload download, IImageStream first)
        {
            if (!_manifest.HasFirmware)
            {
                CopyRunning(download.Chunk);
                SlotReadBack.CheckDigest(Writer.Handle, _plan.FirmwareSize, null, _digest);
                return;
            }
            int header = _manifest.IsEncrypted ? ManifestFormat.EncryptedHeaderLength : 0;
            download.Run(new FirmwareSink(Writer, _plan.Slot, _manifest, _result), _manifest.Url, _manifest.Size, header, _startAt, first);
            if (_result.ResumedAt > 0 || _result.BlockRefetches > 0)
            {
                // Part of the image was kept or written again: the handle saw only the rest.
                // The read-back after esp_ota_end compares the whole slot with the manifest.
                System.Array.Copy(_manifest.Sha256, _digest, 32);
            }
            else
            {
                SlotReadBack.CheckDigest(Writer.Handle, _manifest.Size, FileSigned ? null : _manifest.Sha256, _digest);
            }
        }

        /// <summary>esp_ota_end (it frees the handle whether it succeeds or not), then the slot read back against what it must hold.</summary>
        public void Finish()
        {
            NativeFailure.Check(NativeOta.End(Writer.Handle), "verifying the image in " + _plan.Slot);
            if (FileSigned && !Text.Digest.Matches(_digest, _manifest.Sha256, 0))
            {
                // The file is the one signed for, yet it decrypts to another image: the release was
                // packed inconsistently. ESP-IDF validated the slot, but it is not set to boot.
                throw new OtaException(OtaError.HashMismatch,
                    "the decrypted image's SHA-256 is " + Text.Hex.Encode(_digest) + " but the manifest says " + Text.Hex.Encode(_manifest.Sha256)
                    + " although the pre-encrypted file matches its encrypted-sha256: the release was packed from another image; nothing is set to boot");
            }
            SlotReadBack.CheckReadBack(_plan.Slot, _plan.FirmwareSize, _digest, "the firmware in " + _plan.Slot,
                _result.ResumedAt > 0 ? OtaError.HashMismatch : OtaError.FlashError, "flash did not keep what was written, or the image is not the one signed for");
        }

        /// <summary>Copy the running firmware image into the update slot: read through decryption, written through esp_ota_write (encrypted).</summary>
        private void CopyRunning(byte[] chunk)
        {
            int size = _plan.FirmwareSize;
            for (int done = 0; done < size;)
            {
                _connection.CheckCancelled(done, size);
                int n = size - done < chunk.Length ? size - done : chunk.Length;
                int status = NativeOta.ReadPartition("", done, chunk, 0, n);
                if (status < 0)
                {
                    throw NativeFailure.From(status, "reading the running firmware at byte " + done.ToString());
                }
                status = Writer.Write(chunk, n);
                if (status < 0)
                {
                    throw NativeFailure.From(status, "copying the running firmware at byte " + done.ToString());
                }
                _result.NativeWrites++;
                done += n;
                _result.BytesWritten = done;
                _result.BytesCopied += n;
            }
        }
    }
}
