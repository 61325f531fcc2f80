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
        }

        /// <summary>Bytes handed to flash per native call (default 4 KiB, one flash sector); a multiple of 16.</summary>
        public int ChunkSize { get; set; }

        /// <summary>Consecutive failed attempts (without new bytes) before giving up (default 5).</summary>
        public int MaxRetries { get; set; }

        /// <summary>First wait before a retry; doubled each time up to <see cref="MaxRetryDelayMilliseconds"/>.</summary>
        public int RetryDelayMilliseconds { get; set; }

        public int MaxRetryDelayMilliseconds { get; set; }

        /// <summary>Install even when the version is not newer (re-flash or deliberate downgrade). The secure_version rule still holds.</summary>
        public bool AllowSameOrOlder { get; set; }
    }
}
