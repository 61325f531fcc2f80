using NfOta.Device;
using NfOta.Interop;
using NfOta.Manifest;
using NfOta.Model;
using NfOta.Policy;
using NfOta.Transfer;

namespace NfOta.Engine
{
    /// <summary>
    /// The write-a-slot stage for the app: the deploy partition paired with the update slot gets the
    /// release's app (downloaded) or the running app (copied), then nf-ota's release record; the app
    /// is read back. The record sector is erased first, so an update cut short leaves no record and
    /// the next attempt erases everything it cannot vouch for; anything past the new app that an
    /// older one left is erased, because nanoCLR walks the whole partition.
    /// </summary>
    internal sealed class AppStage
    {
        private readonly UpdateManifest _manifest;
        private readonly DeviceState _device;
        private readonly Connection _connection;
        private readonly UpdateResult _result;

        public AppStage(UpdateManifest manifest, DeviceState device, Connection connection, UpdateResult result)
        {
            _manifest = manifest;
            _device = device;
            _connection = connection;
            _result = result;
        }

        /// <summary>Write the app; <paramref name="first"/> is the app's stream when it was opened before anything was written (an app-only release), else null.</summary>
        public void Write(ImageDownload download, IImageStream first, bool eraseAsYouGo)
        {
            string slot = _device.UpdateSlot.Label;
            SlotInfo target = _device.UpdateAppPartition;
            DeployedApp old = DeployedApp.Read(target);
            int recordAt = Model.AppRecord.OffsetIn(target.Size);
            NativeFailure.Check(NativeOta.EraseApp(slot, recordAt, Model.AppRecord.SectorSize, 0), "erasing the app record in " + target.Label);

            int size = _manifest.HasApp ? _manifest.AppSize : AppLength(_device.RunningAppImage);
            int capacity = UpdatePolicy.AppCapacity(target);
            if (size > capacity)
            {
                throw new OtaException(OtaError.ImageTooLarge, (_manifest.HasApp ? "the release's app is " : "the running app is ") + size.ToString() + " bytes but " + target.Label + " holds " + capacity.ToString());
            }
            int span = AppSlotWriter.Sectors(size) < recordAt ? AppSlotWriter.Sectors(size) : recordAt;
            var app = new AppSlotWriter(slot, target.Address, span);
            if (!eraseAsYouGo)
            {
                app.EraseSpanAtOnce();
            }
            byte[] sha256 = Fill(download, first, app, size);
            int stale = old.Record != null ? AppSlotWriter.Sectors(old.Record.AppLength) : recordAt;
            // What lies past the new app only has to hold nothing nanoCLR could load.
            app.EraseTo(stale < recordAt ? stale : recordAt, NativeOtaStatus.EraseSkipBlankPlaintext);
            // A downloaded app went to flash unhashed (no SHA-256 in managed code): reading it back is
            // the first check of the download too.
            SlotReadBack.CheckReadBack(target.Label, size, sha256, "the app in " + target.Label,
                _manifest.HasApp ? OtaError.HashMismatch : OtaError.FlashError,
                _manifest.HasApp ? "the app was corrupted on the way or replaced on the server (or flash did not keep it)" : "flash did not keep what was written");
            WriteRecord(slot, recordAt, size, sha256, target.Label);
            _result.AppBytesWritten = size;
        }

        /// <summary>The app's bytes into the partition; returns the SHA-256 they must read back as.</summary>
        private byte[] Fill(ImageDownload download, IImageStream first, AppSlotWriter app, int size)
        {
            if (_manifest.HasApp)
            {
                download.Run(new AppSink(app), _manifest.AppUrl, size, 0, 0, first);
                return _manifest.AppSha256;
            }
            string source = _device.RunningAppPartition.Label;
            CopyRunning(source, app, size, download.Chunk);
            var sha256 = new byte[32];
            NativeFailure.Check(NativeOta.HashPartition(source, 0, size, sha256), "hashing the running app");
            return sha256;
        }

        private void CopyRunning(string source, AppSlotWriter app, int size, byte[] chunk)
        {
            for (int done = 0; done < size;)
            {
                _connection.CheckCancelled(done, size);
                int n = size - done < chunk.Length ? size - done : chunk.Length;
                int status = NativeOta.ReadPartition(source, done, chunk, 0, n);
                if (status < 0)
                {
                    throw NativeFailure.From(status, "reading the running app at byte " + done.ToString());
                }
                app.WriteChunk(done, chunk, n);
                done += n;
                _result.BytesCopied += n;
            }
        }

        private void WriteRecord(string slot, int recordAt, int size, byte[] sha256, string label)
        {
            byte[] record = Model.AppRecord.Build(size, sha256, _manifest.Version.Text);
            var padded = new byte[(record.Length + 15) & ~15];
            System.Array.Copy(record, padded, record.Length);
            NativeFailure.Check(NativeOta.WriteApp(slot, recordAt, padded, 0, padded.Length), "writing the app record in " + label);
        }

        private static int AppLength(DeployedApp running)
        {
            return running.Record != null ? running.Record.AppLength : running.Length;
        }
    }
}
