using nanoFramework.TestFramework;
using NfOta;
using NfOta.Engine;
using NfOta.Http;
using NfOta.Interop;
using NfOta.Rollback;

namespace NfOta.DeviceTests
{
    /// <summary>
    /// On a real board, against `nfota serve` on the developer's PC. The update reboots the board, so
    /// the story runs over three deployments of this test app (see firmware/tests/README.md):
    /// 1.0.0 updates to 2.0.0; 2.0.0 boots pending, confirms; 3.0.0 (whose check fails) rolls back to 2.0.0.
    /// </summary>
    [TestClass]
    public class UpdateOnDeviceTests
    {
        // Set before deploying: the PC's address and the key from `nfota keys new`.
        private const string ManifestUrl = "http://192.168.1.10:8080/latest.manifest";
        private static readonly byte[] ManifestPublicKey = new byte[65];

        [TestMethod]
        public void TheDevServersManifestVerifies()
        {
            var updater = new OtaUpdater(new HttpImageSource(null, 20), ManifestPublicKey, new UpdateOptions());
            var manifest = updater.FetchManifest(ManifestUrl);
            Assert.IsTrue(manifest.Size > 0);
        }

        [TestMethod]
        public void AValidFirmwareUpdatesAndReboots()
        {
            if (NativeOta.GetSlotState("") != NativeOtaStatus.StateValid)
            {
                return; // a pending firmware is the next test's job
            }
            var updater = new OtaUpdater(new HttpImageSource(null, 20), ManifestPublicKey, new UpdateOptions());
            var result = updater.Update(ManifestUrl); // reboots when there is something newer
            Assert.IsNull(result, "the reboot handler returned");
        }

        [TestMethod]
        public void APendingFirmwareIsConfirmedOrRolledBack()
        {
            var guard = new RollbackGuard { BudgetMilliseconds = 30000 }.Add(new VersionCheck());
            var result = guard.Run(); // 3.0.0 fails its check: the board restarts into 2.0.0 here
            Assert.IsTrue(result.Outcome == GuardOutcome.Confirmed || result.Outcome == GuardOutcome.NothingToVerify, result.ToString());
        }

        /// <summary>Fails for 3.x, the release built to be rejected.</summary>
        private sealed class VersionCheck : IHealthCheck
        {
            public string Name
            {
                get { return "not-3.x"; }
            }

            public bool Check()
            {
                return !Device.DeviceState.Read().RunningApp.Version.StartsWith("3.");
            }
        }
    }
}
