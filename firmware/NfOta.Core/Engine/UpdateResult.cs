namespace NfOta.Engine
{
    /// <summary>What an installed update did (returned when the reboot handler returns).</summary>
    public sealed class UpdateResult
    {
        /// <summary>The slot now set to boot.</summary>
        public string Slot { get; internal set; }

        public string Version { get; internal set; }

        /// <summary>Image bytes written to flash.</summary>
        public int BytesWritten { get; internal set; }

        /// <summary>Image bytes received from the network, resent ones included.</summary>
        public int BytesReceived { get; internal set; }

        /// <summary>How many times the download was reopened after a failure (from the first missing byte).</summary>
        public int Resumes { get; internal set; }

        /// <summary>Native Write calls made for the image.</summary>
        public int NativeWrites { get; internal set; }
    }
}
