using NfOta.Device;
using NfOta.Engine;
using NfOta.Interop;
using NfOta.Json;
using NfOta.Manifest;
using NfOta.Transfer;

namespace NfOta.Ddi
{
    /// <summary>
    /// A hawkBit Direct Device Integration client for nf-ota releases. Each <see cref="Poll"/>:
    /// GET the controller's base resource, PUT configData when asked (or after a change), GET the
    /// deploymentBase if there is one, fetch and verify its *.manifest artifact with the engine,
    /// then act on where that release stands on the board (<see cref="ReleaseOnBoard"/>): install
    /// it, or report rebooted-pending, confirmed or rolled back. The server is trusted for nothing
    /// but what to do next: the signed manifest and the engine's checks decide what is installed.
    /// Call it at start-up before the rollback guard (to report rebooted-pending), after the guard
    /// (to report confirmed), then every <see cref="PollSeconds"/>.
    /// </summary>
    public sealed class DdiClient
    {
        private readonly IJsonHttp _http;
        private readonly DdiSettings _settings;
        private readonly IImageSource _images;
        private readonly byte[] _publicKey;
        private readonly UpdateOptions _options;
        private bool _configDirty = true;
        private string _lastReport;

        /// <param name="http">The JSON exchanges with the DDI server.</param>
        /// <param name="settings">Server, tenant, controller id, token.</param>
        /// <param name="images">Where the engine downloads from (an artifact's link or the manifest's URL).</param>
        /// <param name="manifestPublicKey">The release key's public half, as for <see cref="OtaUpdater"/>.</param>
        /// <param name="options">The engine's options; null for the defaults.</param>
        public DdiClient(IJsonHttp http, DdiSettings settings, IImageSource images, byte[] manifestPublicKey, UpdateOptions options)
        {
            if (http == null || settings == null || images == null)
            {
                throw new OtaException(OtaError.DdiInvalid, "ddi: a transport, settings and an image source are required");
            }
            settings.Check();
            _http = http;
            _settings = settings;
            _images = images;
            _publicKey = manifestPublicKey;
            _options = options;
            PollSeconds = 300;
            Cancel = new CancelSignal();
        }

        /// <summary>
        /// Set from any thread to stop an install before its next chunk (battery mode: the wake-up's
        /// budget is spent). The action stays open; the verified blocks stay in the update slot and
        /// the next client's poll (after the deep sleep) goes on from them. Once set, it stays set.
        /// </summary>
        public CancelSignal Cancel { get; private set; }

        /// <summary>The server's config.polling.sleep from the last poll, in seconds (300 until it says).</summary>
        public int PollSeconds { get; private set; }

        /// <summary>"[code] message" of the last update that failed on this board since start-up, or null; sent as configData's lastError.</summary>
        public string LastError { get; private set; }

        /// <summary>Restarts the board after an install (default NativeOta.Reboot), as <see cref="OtaUpdater.Reboot"/>.</summary>
        public RebootHandler Reboot { get; set; }

        /// <summary>Passed to the engine: waits between retries.</summary>
        public SleepHandler Sleep { get; set; }

        /// <summary>Passed to the engine: download progress.</summary>
        public ProgressHandler Progress { get; set; }

        /// <summary>
        /// One poll. Throws <see cref="OtaException"/> when the server cannot be reached or answers
        /// with an error or with something that is not DDI; the board then simply polls again later.
        /// </summary>
        public DdiOutcome Poll()
        {
            var poll = DdiPoll.Parse(GetJson(_settings.ControllerUrl));
            if (poll.SleepSeconds >= 0)
            {
                PollSeconds = poll.SleepSeconds;
            }
            if (poll.ConfigDataUrl != null || _configDirty)
            {
                PutConfigData(poll.ConfigDataUrl);
            }
            if (poll.DeploymentUrl == null)
            {
                return DdiOutcome.Idle;
            }
            var deployment = DdiDeployment.Parse(GetJson(poll.DeploymentUrl));
            if (deployment.Download == "skip" || deployment.MaintenanceWindow == "unavailable")
            {
                // The engine downloads straight into the update slot: nothing to do until both are allowed.
                return DdiOutcome.Deferred;
            }
            return Handle(deployment);
        }

        private DdiOutcome Handle(DdiDeployment deployment)
        {
            UpdateManifest manifest;
            try
            {
                manifest = Updater(deployment).FetchManifest(deployment.Manifest.DownloadUrl);
            }
            catch (OtaException e)
            {
                return Failed(deployment.ActionId, e);
            }
            var device = DeviceState.Read();
            string release = manifest.Version.Text;
            switch (ReleaseOnBoard.Find(manifest, device))
            {
                case ReleasePlace.AwaitingReboot:
                    return DdiOutcome.AwaitingReboot;
                case ReleasePlace.RunningPending:
                    Report(deployment.ActionId, DdiFeedback.Proceeding, DdiFeedback.None,
                        "[rebooted-pending] running " + release + " in " + device.RunningSlot.Label + ", waiting for its health checks", false);
                    return DdiOutcome.RebootedPending;
                case ReleasePlace.RunningConfirmed:
                    Report(deployment.ActionId, DdiFeedback.Closed, DdiFeedback.Success,
                        "[confirmed] running " + release + " in " + device.RunningSlot.Label + ", confirmed", true);
                    _configDirty = true;
                    return DdiOutcome.Confirmed;
                case ReleasePlace.RolledBack:
                    LastError = "[rolled-back] " + release + " booted in " + device.UpdateSlot.Label + " and was rolled back; running " + device.RunningSlot.Label + " again";
                    Report(deployment.ActionId, DdiFeedback.Closed, DdiFeedback.Failure, LastError, true);
                    _configDirty = true;
                    return DdiOutcome.RolledBack;
            }
            return Install(deployment, manifest);
        }

        private DdiOutcome Install(DdiDeployment deployment, UpdateManifest manifest)
        {
            string action = deployment.ActionId;
            Report(action, DdiFeedback.Download, DdiFeedback.None, "downloading nf-ota release " + manifest.Version.Text, false);
            var updater = Updater(deployment);
            var appReboot = Reboot;
            updater.Reboot = () =>
            {
                // Every byte is in flash and verified, and the slot is set to boot.
                Report(action, DdiFeedback.Downloaded, DdiFeedback.None, "downloaded and verified " + manifest.Version.Text, false);
                Report(action, DdiFeedback.Proceeding, DdiFeedback.None, "[installing] " + manifest.Version.Text + " is set to boot; restarting into it", false);
                if (appReboot != null)
                {
                    appReboot();
                }
                else
                {
                    NativeOta.Reboot();
                }
            };
            try
            {
                updater.Apply(manifest);
            }
            catch (OtaException e)
            {
                return Failed(action, e);
            }
            return DdiOutcome.Installed;
        }

        /// <summary>A transient failure, or a board not ready, leaves the action open (the next poll resumes); any other closes it as failed with the engine's code.</summary>
        private DdiOutcome Failed(string action, OtaException e)
        {
            string detail = "[" + e.Code + "] " + e.Message;
            // Pending verification, a reboot owed, the app's cancel: this board, not the release, is not ready.
            if (e.IsTransient || e.Error == OtaError.PendingVerify || e.Error == OtaError.RebootPending || e.Error == OtaError.Cancelled)
            {
                Report(action, DdiFeedback.Proceeding, DdiFeedback.None, detail + "; trying again at the next poll", false);
                return DdiOutcome.Retrying;
            }
            LastError = detail;
            _configDirty = true;
            Report(action, DdiFeedback.Closed, DdiFeedback.Failure, detail, true);
            return DdiOutcome.Refused;
        }

        private OtaUpdater Updater(DdiDeployment deployment)
        {
            var updater = new OtaUpdater(new DdiArtifactSource(_images, deployment), _publicKey, _options) { Sleep = Sleep };
            var progress = Progress;
            var signal = Cancel;
            // The engine's own signal is its own: pass ours on before it starts and after each chunk.
            updater.Progress = (done, total) =>
            {
                if (signal.IsCancelled)
                {
                    updater.Cancel.Cancel();
                }
                if (progress != null)
                {
                    progress(done, total);
                }
            };
            if (signal.IsCancelled)
            {
                updater.Cancel.Cancel();
            }
            return updater;
        }

        /// <summary>
        /// POST feedback. A closing one must arrive (a failure throws, and the next poll, finding
        /// the same state on the board, sends it again); an intermediate one is best effort, never
        /// allowed to stop an install, and not repeated while the board stays in the same state.
        /// </summary>
        private void Report(string action, string execution, string finished, string detail, bool closing)
        {
            string key = action + " " + execution + " " + detail;
            if (!closing && key == _lastReport)
            {
                return;
            }
            string url = _settings.ControllerUrl + "/deploymentBase/" + action + "/feedback";
            try
            {
                Send("POST", url, DdiFeedback.Body(execution, finished, detail));
                _lastReport = key;
            }
            catch (OtaException)
            {
                if (closing)
                {
                    throw;
                }
            }
        }

        private void PutConfigData(string url)
        {
            var body = DdiConfigData.Body(DeviceState.Read(), LastError);
            Send("PUT", url ?? _settings.ControllerUrl + "/configData", body);
            _configDirty = false;
        }

        private JsonDocument GetJson(string url)
        {
            var response = Send("GET", url, null);
            return JsonDocument.Parse(response.Body, response.Length, null);
        }

        private JsonHttpResponse Send(string method, string url, byte[] body)
        {
            var response = _http.Send(new JsonHttpRequest { Method = method, Url = url, Authorization = _settings.Authorization, Body = body });
            int status = response.Status;
            if (status < 200 || status > 299)
            {
                throw new OtaException(OtaError.HttpStatus, "ddi: " + method + " " + url + " answered " + status.ToString())
                {
                    HttpStatus = status,
                    IsTransient = status >= 500 || status == 429,
                };
            }
            return response;
        }
    }
}
