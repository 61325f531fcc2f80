namespace NfOta.Ddi
{
    /// <summary>
    /// Where a board finds its hawkBit DDI server and who it is there: the controller's URL is
    /// {BaseUrl}/{Tenant}/controller/v1/{ControllerId}, every request carries
    /// "Authorization: TargetToken {Token}" (or "GatewayToken {Token}" for a tenant-wide token).
    /// </summary>
    public sealed class DdiSettings
    {
        public DdiSettings()
        {
            Tenant = "DEFAULT";
        }

        /// <summary>The server, e.g. "https://fleet.example.com" (no trailing path).</summary>
        public string BaseUrl { get; set; }

        /// <summary>hawkBit's tenant ("DEFAULT" on a fresh server).</summary>
        public string Tenant { get; set; }

        /// <summary>The board's id on the server.</summary>
        public string ControllerId { get; set; }

        /// <summary>The security token; null or empty sends no Authorization header.</summary>
        public string Token { get; set; }

        /// <summary>True: the token is the tenant's gateway token (GatewayToken), not the device's own (TargetToken).</summary>
        public bool GatewayToken { get; set; }

        /// <summary>The controller resource: the base poll's URL and the root of every other one.</summary>
        public string ControllerUrl
        {
            get
            {
                string root = BaseUrl;
                while (root.Length > 0 && root[root.Length - 1] == '/')
                {
                    root = root.Substring(0, root.Length - 1);
                }
                return root + "/" + Tenant + "/controller/v1/" + ControllerId;
            }
        }

        /// <summary>The Authorization header's value, or null.</summary>
        public string Authorization
        {
            get
            {
                if (Token == null || Token.Length == 0)
                {
                    return null;
                }
                return (GatewayToken ? "GatewayToken " : "TargetToken ") + Token;
            }
        }

        internal void Check()
        {
            if (BaseUrl == null || !(BaseUrl.StartsWith("http://") || BaseUrl.StartsWith("https://")))
            {
                throw new OtaException(OtaError.DdiInvalid, "ddi: the base URL \"" + BaseUrl + "\" is not an http:// or https:// address");
            }
            if (Tenant == null || Tenant.Length == 0 || ControllerId == null || ControllerId.Length == 0)
            {
                throw new OtaException(OtaError.DdiInvalid, "ddi: a tenant and a controller id are needed");
            }
        }
    }
}
