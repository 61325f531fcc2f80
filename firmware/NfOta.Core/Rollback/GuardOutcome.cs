namespace NfOta.Rollback
{
    /// <summary>What <see cref="RollbackGuard.Run"/> found and did.</summary>
    public enum GuardOutcome
    {
        /// <summary>The running firmware was pending verification, passed every check and is now kept.</summary>
        Confirmed,
        /// <summary>The running firmware was already confirmed: nothing to do.</summary>
        NothingToVerify,
        /// <summary>
        /// The bootloader does not track this firmware's state (built without
        /// CONFIG_BOOTLOADER_APP_ROLLBACK_ENABLE, or running from the factory slot): a bad update
        /// cannot be rolled back automatically.
        /// </summary>
        RollbackNotEnabled,
        /// <summary>
        /// A check failed and rollback was asked for. On a device the board restarts into the
        /// previous firmware and Run never returns this; an app only sees it from a custom
        /// <see cref="RollbackGuard.RollBack"/> handler that returns.
        /// </summary>
        RolledBack,
    }
}
