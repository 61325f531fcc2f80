using System.Threading;
using NfOta.Device;
using NfOta.Interop;
using NfOta.Manifest;
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
            var device = DeviceState.Read();
            if (!_options.AllowSameOrOlder && !UpdatePolicy.IsNewer(manifest, device))
            {
                return null;
            }
            return manifest;
        }

        /// <summary>Check for an update and install it. Returns null when there is none.</summary>
        public UpdateResult Update(string manifestUrl)
        {
            var manifest = CheckForUpdate(manifestUrl);
            return manifest == null ? null : Apply(manifest);
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
        /// </summary>
        public UpdateResult Apply(UpdateManifest manifest)
        {
            var device = DeviceState.Read();
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

            string slot = device.UpdateSlot.Label;
            var result = new UpdateResult { Slot = slot, Version = manifest.Version.Text };
            // The server's length is checked before esp_ota_begin touches flash (it erases, and
            // invalidates the fallback's otadata entry).
            IImageStream first = OpenWithRetries(manifest);
            int flags = _options.EraseAsYouGo ? NativeOtaStatus.BeginSequentialErase : 0;
            int handle;
            try
            {
                handle = NativeFailure.Check(NativeOta.Begin(slot, manifest.Size, flags), "starting the update of " + slot);
            }
            catch (System.Exception)
            {
                CloseQuietly(first);
                throw;
            }
            try
            {
                Stream(manifest, handle, result, first);
                CheckDigest(manifest, handle);
            }
            catch (System.Exception)
            {
                AbortQuietly(handle);
                throw;
            }
            // End frees the handle whether it succeeds or not.
            NativeFailure.Check(NativeOta.End(handle), "verifying the image in " + slot);
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
        /// The download loop: fill one whole chunk, hand it to one native write, repeat. A chunk
        /// survives a dropped connection, so a resume asks for exactly the next missing byte and
        /// nothing received is fetched twice. No allocation per chunk.
        /// </summary>
        private void Stream(UpdateManifest manifest, int handle, UpdateResult result, IImageStream first)
        {
            int size = manifest.Size;
            var chunk = new byte[_options.ChunkSize];
            int written = 0; // in flash
            int filled = 0;  // in chunk, not yet written
            int failures = 0;
            IImageStream stream = first; // opened by Apply; every later open is a resume
            try
            {
                while (written < size)
                {
                    if (Cancel.IsCancelled)
                    {
                        throw new OtaException(OtaError.Cancelled, "the update was cancelled after " + written.ToString() + " of " + size.ToString() + " bytes; the running firmware is unchanged");
                    }
                    try
                    {
                        if (stream == null)
                        {
                            result.Resumes++;
                            stream = Open(manifest, written + filled);
                        }
                        int want = size - written < chunk.Length ? size - written : chunk.Length;
                        while (filled < want)
                        {
                            int n = stream.Read(chunk, filled, want - filled);
                            if (n <= 0)
                            {
                                throw new OtaException(OtaError.Network,
                                    "the image download ended after " + (written + filled).ToString() + " of " + size.ToString() + " bytes") { IsTransient = true };
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

                    int status = NativeOta.Write(handle, chunk, 0, filled);
                    if (status < 0)
                    {
                        // The message is built only on failure: the chunk loop allocates nothing.
                        throw NativeFailure.From(status, "writing the image at byte " + written.ToString());
                    }
                    result.NativeWrites++;
                    written += filled;
                    filled = 0;
                    result.BytesWritten = written;
                    var progress = Progress;
                    if (progress != null)
                    {
                        progress(written, size);
                    }
                }

                // Everything announced has arrived; a byte more means the image is not the one signed for.
                if (stream != null && ProbeForMore(stream, chunk))
                {
                    throw new OtaException(OtaError.SizeMismatch, "the image at " + manifest.Url + " is longer than the manifest's " + size.ToString() + " bytes");
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
        private IImageStream OpenWithRetries(UpdateManifest manifest)
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
                    return Open(manifest, 0);
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

        private IImageStream Open(UpdateManifest manifest, int offset)
        {
            var stream = _source.Open(manifest.Url, offset);
            int total = stream.TotalLength;
            if (total >= 0 && total != manifest.Size)
            {
                CloseQuietly(stream);
                throw new OtaException(OtaError.SizeMismatch,
                    "the image at " + manifest.Url + " is " + total.ToString() + " bytes but the manifest says " + manifest.Size.ToString() + ": the server holds another build");
            }
            return stream;
        }

        private static void CheckDigest(UpdateManifest manifest, int handle)
        {
            var digest = new byte[32];
            int covered = NativeFailure.Check(NativeOta.GetImageDigest(handle, digest), "hashing the image");
            if (covered != manifest.Size)
            {
                throw new OtaException(OtaError.SizeMismatch, "wrote " + covered.ToString() + " bytes but the manifest says " + manifest.Size.ToString());
            }
            for (int i = 0; i < 32; i++)
            {
                if (digest[i] != manifest.Sha256[i])
                {
                    throw new OtaException(OtaError.HashMismatch,
                        "the downloaded image's SHA-256 is " + Text.Hex.Encode(digest) + " but the manifest says " + Text.Hex.Encode(manifest.Sha256) + ": the image was corrupted or replaced");
                }
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
