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
            int length = NewConnection().ReadWholeWithRetries(manifestUrl, buffer);
            if (length > ManifestFormat.MaxLength)
            {
                throw new OtaException(OtaError.ManifestInvalid, "manifest: " + manifestUrl + " is longer than " + ManifestFormat.MaxLength.ToString() + " bytes");
            }
            var manifest = UpdateManifest.Parse(buffer, length);
            ManifestVerifier.Verify(manifest, _publicKey);
            return manifest;
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

        private Connection NewConnection()
        {
            return new Connection(_source, _options, Cancel, Sleep);
        }

        /// <summary>The stages every front door shares: plan, write the firmware slot (and its app), verify, finish.</summary>
        private UpdateResult Install(UpdateManifest manifest, DeviceState device)
        {
            var plan = UpdatePlan.Make(manifest, device, _options.AllowSameOrOlder);
            var connection = NewConnection();
            var result = new UpdateResult { Slot = plan.Slot, Version = manifest.Version.Text };
            var firmware = new FirmwareStage(manifest, plan, connection, result);
            // The server's length is checked before esp_ota_begin touches flash (it erases, and
            // invalidates the fallback's otadata entry).
            IImageStream first = OpenFirst(manifest, plan, connection);
            try
            {
                first = firmware.Start(first, _options.EraseAsYouGo);
            }
            catch (System.Exception)
            {
                Connection.CloseQuietly(first);
                throw;
            }
            var download = new ImageDownload(connection, result, new byte[_options.ChunkSize], Progress);
            try
            {
                // The firmware's download takes (and closes) the first stream; an app-only release's is the app's.
                IImageStream appFirst = manifest.HasFirmware ? null : first;
                firmware.Write(download, manifest.HasFirmware ? first : null);
                first = appFirst;
                if (plan.Paired)
                {
                    new AppStage(manifest, device, connection, result).Write(download, first, _options.EraseAsYouGo);
                    first = null;
                }
            }
            catch (System.Exception)
            {
                Connection.CloseQuietly(first);
                firmware.Writer.AbortQuietly();
                throw;
            }
            firmware.Finish();
            NativeFailure.Check(NativeOta.SetBootSlot(plan.Slot), "setting " + plan.Slot + " to boot");
            RestartIntoIt();
            return result;
        }

        /// <summary>Open the first file to download at its first missing byte: the firmware's (from a kept prefix), or an app-only release's app.</summary>
        private static IImageStream OpenFirst(UpdateManifest manifest, UpdatePlan plan, Connection connection)
        {
            if (manifest.HasFirmware)
            {
                return plan.Kept < manifest.Size ? connection.OpenWithRetries(manifest.Url, FirmwareStage.DownloadSize(manifest), plan.Kept) : null;
            }
            return manifest.HasApp ? connection.OpenWithRetries(manifest.AppUrl, manifest.AppSize, 0) : null;
        }

        private void RestartIntoIt()
        {
            var reboot = Reboot;
            if (reboot != null)
            {
                reboot();
            }
            else
            {
                NativeOta.Reboot();
            }
        }
    }
}
