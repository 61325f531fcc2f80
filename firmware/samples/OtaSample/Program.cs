using System;
using System.Diagnostics;
using System.Device.Wifi;
using System.Net.NetworkInformation;
using System.Threading;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Networking;
using NfOta;
using NfOta.Ddi;
using NfOta.Engine;
using NfOta.Http;
using NfOta.Rollback;

namespace OtaSample
{
    /// <summary>
    /// A nanoFramework app that keeps itself up to date: join Wi-Fi, confirm (or reject) the firmware
    /// it just booted, then look for a newer release every few hours and install it. In battery mode
    /// it is awake a few minutes an hour: it downloads what it can, deep-sleeps (on an ESP32 a deep
    /// sleep is a reboot), and on waking goes on from the last verified block of the download.
    /// In fleet mode (DdiBaseUrl set) it polls a hawkBit DDI server (`nfota serve` in fleet mode or
    /// Eclipse hawkBit) instead of a static manifest, and reports each step of its updates there.
    /// </summary>
    public static class Program
    {
        // From your release setup: `nfota keys new` prints the public key bytes; `nfota serve` the URL.
        private const string Ssid = "your-ssid";
        private const string Password = "your-password";
        private const string ManifestUrl = "https://updates.example.com/latest.manifest";
        private const string RootCaPem = null; // the PEM of the CA behind your update server; null for http
        private static readonly byte[] ManifestPublicKey = new byte[65]; // paste `nfota keys new` output here
        private static readonly TimeSpan CheckEvery = TimeSpan.FromHours(6);

        // Fleet mode: a hawkBit DDI server; null keeps the static-manifest mode above. The controller
        // id is this board's name on the server, the token its TargetToken (or the tenant's
        // GatewayToken with DdiGatewayToken = true).
        private const string DdiBaseUrl = null; // e.g. "https://fleet.example.com"
        private const string DdiTenant = "DEFAULT";
        private const string DdiControllerId = "board-0001";
        private const string DdiToken = "your-target-token";
        private const bool DdiGatewayToken = false;

        // Battery mode: awake for AwakeFor, then deep sleep for SleepFor. A 2 MB update over a slow
        // link may take several wake-ups; each goes on from the blocks the last one verified.
        private static readonly bool BatteryMode = false;
        private static readonly TimeSpan AwakeFor = TimeSpan.FromMinutes(3);
        private static readonly TimeSpan SleepFor = TimeSpan.FromMinutes(57);

        public static void Main()
        {
            bool online = WifiNetworkHelper.ConnectDhcp(Ssid, Password, requiresDateTime: true, token: new CancellationTokenSource(30000).Token);
            Debug.WriteLine("wifi: " + (online ? "connected" : "not connected"));

            if (DdiBaseUrl != null)
            {
                RunFleet();
                return;
            }

            // First thing after boot: a new firmware must prove itself, or the board goes back to the old one.
            var guard = new RollbackGuard { BudgetMilliseconds = 60000 }
                .Add(new WifiCheck())
                .Add(new UpdateServerCheck(ManifestUrl, RootCaPem));
            // Run the guard outside Debug.WriteLine: that call is [Conditional("DEBUG")] and a Release
            // build would drop it, the guard with it (tests/NfOta.NanoFramework.Tests/ConditionalCallTests).
            var outcome = guard.Run();
            Debug.WriteLine("rollback guard: " + outcome.ToString());

            var updater = new OtaUpdater(new HttpImageSource(RootCaPem, 30), ManifestPublicKey, new UpdateOptions());
            updater.Progress = (done, total) => Debug.WriteLine("update: " + done.ToString() + " / " + total.ToString());
            if (BatteryMode)
            {
                RunOnBattery(updater);
                return;
            }
            while (true)
            {
                try
                {
                    var result = updater.Update(ManifestUrl); // reboots into the new firmware when there is one
                    Debug.WriteLine(result == null ? "no update" : "installed " + result.Version);
                }
                catch (OtaException e)
                {
                    // The running firmware and otadata are untouched; try again at the next check.
                    Debug.WriteLine("update failed [" + e.Code + "]: " + e.Message);
                }
                Thread.Sleep(CheckEvery);
            }
        }

        /// <summary>
        /// Fleet mode: poll the DDI server before the guard (it reports "rebooted, pending" for a new
        /// firmware), run the guard, then poll at the server's interval: it installs what the server
        /// assigns and reports confirmed, rolled back or refused (with the engine's code) on its own.
        /// </summary>
        private static void RunFleet()
        {
            var settings = new DdiSettings
            {
                BaseUrl = DdiBaseUrl, Tenant = DdiTenant, ControllerId = DdiControllerId, Token = DdiToken, GatewayToken = DdiGatewayToken,
            };
            // The token goes with downloads from the DDI server only, never to a CDN the links may name.
            var images = new HttpImageSource(RootCaPem, 30) { Authorization = settings.Authorization, AuthorizedPrefix = DdiBaseUrl };
            var ddi = new DdiClient(new HttpJsonClient(RootCaPem, 30), settings, images, ManifestPublicKey, new UpdateOptions());
            ddi.Progress = (done, total) => Debug.WriteLine("update: " + done.ToString() + " / " + total.ToString());
            PollOnce(ddi);

            var guard = new RollbackGuard { BudgetMilliseconds = 60000 }
                .Add(new WifiCheck())
                .Add(new DdiServerCheck(settings, RootCaPem));
            var outcome = guard.Run();
            Debug.WriteLine("rollback guard: " + outcome.ToString());
            while (true)
            {
                PollOnce(ddi); // reboots into a new firmware when the server assigned one
                Thread.Sleep(ddi.PollSeconds * 1000);
            }
        }

        private static void PollOnce(DdiClient ddi)
        {
            try
            {
                var done = ddi.Poll();
                Debug.WriteLine("ddi: " + done.ToString());
            }
            catch (OtaException e)
            {
                // Unreachable or unhappy server: nothing was changed; the next poll tries again.
                Debug.WriteLine("ddi poll failed [" + e.Code + "]: " + e.Message);
            }
        }

        /// <summary>One wake-up: update for at most AwakeFor, then deep-sleep (never returns).</summary>
        private static void RunOnBattery(OtaUpdater updater)
        {
            // When the budget is spent the engine stops before its next chunk; the blocks already
            // verified stay in the update slot for the next wake-up.
            var budget = new Timer(_ => updater.Cancel.Cancel(), null, (int)AwakeFor.TotalMilliseconds, Timeout.Infinite);
            try
            {
                var result = updater.Update(ManifestUrl); // reboots into the new firmware when it is complete
                Debug.WriteLine(result == null ? "no update" : "installed " + result.Version);
            }
            catch (OtaException e)
            {
                Debug.WriteLine("update paused or failed [" + e.Code + "]: " + e.Message);
            }
            finally
            {
                budget.Dispose();
            }
            Sleep.EnableWakeupByTimer(SleepFor);
            Sleep.StartDeepSleep();
        }
    }

    /// <summary>The new firmware can still join the network.</summary>
    internal sealed class WifiCheck : IHealthCheck
    {
        public string Name
        {
            get { return "wifi"; }
        }

        public bool Check()
        {
            var interfaces = NetworkInterface.GetAllNetworkInterfaces();
            return interfaces.Length > 0 && interfaces[0].IPv4Address != "0.0.0.0";
        }
    }

    /// <summary>The new firmware can still reach and verify the update server, so it can be fixed by another update.</summary>
    internal sealed class UpdateServerCheck : IHealthCheck
    {
        private readonly string _url;
        private readonly string _rootCa;

        public UpdateServerCheck(string url, string rootCa)
        {
            _url = url;
            _rootCa = rootCa;
        }

        public string Name
        {
            get { return "update-server"; }
        }

        public bool Check()
        {
            var stream = new HttpImageSource(_rootCa, 20).Open(_url, 0);
            stream.Close();
            return true;
        }
    }

    /// <summary>The new firmware can still reach the DDI server with its token, so the fleet can fix it.</summary>
    internal sealed class DdiServerCheck : IHealthCheck
    {
        private readonly DdiSettings _settings;
        private readonly string _rootCa;

        public DdiServerCheck(DdiSettings settings, string rootCa)
        {
            _settings = settings;
            _rootCa = rootCa;
        }

        public string Name
        {
            get { return "ddi-server"; }
        }

        public bool Check()
        {
            var answer = new HttpJsonClient(_rootCa, 20).Send(new NfOta.Transfer.JsonHttpRequest
            {
                Method = "GET", Url = _settings.ControllerUrl, Authorization = _settings.Authorization,
            });
            return answer.Status == 200;
        }
    }
}
