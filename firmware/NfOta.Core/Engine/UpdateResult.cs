namespace NfOta.Engine
{
    /// <summary>What an installed update did (returned when the reboot handler returns).</summary>
    public sealed class UpdateResult
    {
        /// <summary>The slot now set to boot.</summary>
        public string Slot { get; internal set; }

        public string Version { get; internal set; }

        /// <summary>Firmware image bytes written to the update slot (downloaded or copied).</summary>
        public int BytesWritten { get; internal set; }

        /// <summary>Bytes received from the network for the firmware and the app, resent ones included.</summary>
        public int BytesReceived { get; internal set; }

        /// <summary>How many times the download was reopened after a failure (from the first missing byte).</summary>
        public int Resumes { get; internal set; }

        /// <summary>App bytes written to the paired deploy partition (0: the board has none paired).</summary>
        public int AppBytesWritten { get; internal set; }

        /// <summary>Bytes copied on the board instead of downloaded: the running firmware (app-only release) or the running app (firmware-only release).</summary>
        public int BytesCopied { get; internal set; }

        /// <summary>Where the firmware download started: 0, or the end of the verified blocks an interrupted attempt left in the slot.</summary>
        public int ResumedAt { get; internal set; }

        /// <summary>Blocks that failed their signed SHA-256 as they landed and were fetched and written again.</summary>
        public int BlockRefetches { get; internal set; }

        /// <summary>Native Write calls made for the image.</summary>
        public int NativeWrites { get; internal set; }
    }
}
