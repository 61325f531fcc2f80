namespace NfOta.Engine
{
    /// <summary>How an update runs. The defaults suit an ESP32 on Wi-Fi.</summary>
    public sealed class UpdateOptions
    {
        public UpdateOptions()
        {
            ChunkSize = 4096;
            MaxRetries = 5;
            RetryDelayMilliseconds = 500;
            MaxRetryDelayMilliseconds = 8000;
            EraseAsYouGo = true;
        }

        /// <summary>Bytes handed to flash per native call (default 4 KiB, one flash sector); a multiple of 16.</summary>
        public int ChunkSize { get; set; }

        /// <summary>Consecutive failed attempts (without new bytes) before giving up (default 5).</summary>
        public int MaxRetries { get; set; }

        /// <summary>First wait before a retry; doubled each time up to <see cref="MaxRetryDelayMilliseconds"/>.</summary>
        public int RetryDelayMilliseconds { get; set; }

        public int MaxRetryDelayMilliseconds { get; set; }

        /// <summary>
        /// Erase the update slot sector by sector as chunks arrive (ESP-IDF's OTA_WITH_SEQUENTIAL_WRITES,
        /// the default), so no native call blocks for more than a few sector erases (~50 ms per 4 KiB
        /// chunk). False erases the whole image's extent when the update begins: less flash time in
        /// total (64 KiB block erases), but one call that stalls nanoCLR for seconds on a large slot.
        /// </summary>
        public bool EraseAsYouGo { get; set; }

        /// <summary>Install even when the version is not newer (re-flash or deliberate downgrade). The secure_version rule still holds.</summary>
        public bool AllowSameOrOlder { get; set; }
    }
}
