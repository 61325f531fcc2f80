namespace NfOta.Ddi
{
    /// <summary>What one <see cref="DdiClient.Poll"/> found and did.</summary>
    public enum DdiOutcome
    {
        /// <summary>No deployment for this board.</summary>
        Idle,
        /// <summary>The deployment says not now (download or update "skip", maintenance window unavailable).</summary>
        Deferred,
        /// <summary>Installed and set to boot; returned only when the reboot handler returns.</summary>
        Installed,
        /// <summary>Installed earlier, waiting for the board to restart.</summary>
        AwaitingReboot,
        /// <summary>Running the release, pending verification: reported as proceeding.</summary>
        RebootedPending,
        /// <summary>Running the release, confirmed: reported closed/success.</summary>
        Confirmed,
        /// <summary>The release booted and was rolled back: reported closed/failure.</summary>
        RolledBack,
        /// <summary>The engine refused the release (or it is not an nf-ota release): reported closed/failure with the code.</summary>
        Refused,
        /// <summary>A transient failure (network, 5xx) stopped the install: reported as proceeding, tried again at the next poll.</summary>
        Retrying,
    }
}
