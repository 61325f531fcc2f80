using NfOta.Json;

namespace NfOta.Ddi
{
    /// <summary>
    /// The base poll's answer (hawkBit's DdiControllerBase): config.polling.sleep and the links
    /// to what the server wants done. Links hawkBit may add that a board does not act on
    /// (cancelAction, installedBase, confirmationBase) are ignored.
    /// </summary>
    public sealed class DdiPoll
    {
        /// <summary>config.polling.sleep in seconds, or -1 when the server gave none.</summary>
        public int SleepSeconds { get; private set; }

        /// <summary>_links.deploymentBase.href, or null: no update for this board now.</summary>
        public string DeploymentUrl { get; private set; }

        /// <summary>_links.configData.href, or null: the server does not ask for the board's attributes.</summary>
        public string ConfigDataUrl { get; private set; }

        public static DdiPoll Parse(JsonDocument json)
        {
            if (json.Kind(JsonDocument.Root) != JsonKind.Object)
            {
                throw new OtaException(OtaError.DdiInvalid, "ddi: the base poll's answer is not a JSON object");
            }
            int sleep = json.Member(json.Path(JsonDocument.Root, "config", "polling"), "sleep");
            return new DdiPoll
            {
                SleepSeconds = sleep < 0 ? -1 : ParseSleep(json.String(sleep)),
                DeploymentUrl = Link(json, JsonDocument.Root, "deploymentBase"),
                ConfigDataUrl = Link(json, JsonDocument.Root, "configData"),
            };
        }

        /// <summary>_links.{name}.href of <paramref name="node"/>, or null when there is no such link.</summary>
        internal static string Link(JsonDocument json, int node, string name)
        {
            int link = json.Path(node, "_links", name);
            if (link < 0)
            {
                return null;
            }
            string href = json.String(json.Member(link, "href"));
            if (href == null || !(href.StartsWith("http://") || href.StartsWith("https://")))
            {
                throw new OtaException(OtaError.DdiInvalid, "ddi: the link \"" + name + "\" has no http(s) href");
            }
            return href;
        }

        /// <summary>"HH:MM:SS" (hours may have more digits) in seconds.</summary>
        public static int ParseSleep(string text)
        {
            int colon = text == null ? -1 : text.IndexOf(':');
            if (colon < 1 || text.Length != colon + 6 || text[colon + 3] != ':' || colon > 4)
            {
                throw new OtaException(OtaError.DdiInvalid, "ddi: config.polling.sleep \"" + text + "\" is not HH:MM:SS");
            }
            int hours = Digits(text, 0, colon);
            int minutes = Digits(text, colon + 1, 2);
            int seconds = Digits(text, colon + 4, 2);
            if (hours < 0 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59)
            {
                throw new OtaException(OtaError.DdiInvalid, "ddi: config.polling.sleep \"" + text + "\" is not HH:MM:SS");
            }
            return hours * 3600 + minutes * 60 + seconds;
        }

        private static int Digits(string text, int start, int count)
        {
            int value = 0;
            for (int i = start; i < start + count; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return -1;
                }
                value = value * 10 + (c - '0');
            }
            return value;
        }
    }
}
