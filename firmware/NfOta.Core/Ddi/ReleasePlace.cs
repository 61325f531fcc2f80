namespace NfOta.Ddi
{
    /// <summary>Where a release stands on this board, read from flash and otadata (see <see cref="ReleaseOnBoard"/>).</summary>
    public enum ReleasePlace
    {
        /// <summary>Not installed: install it (or resume an interrupted download of it).</summary>
        Nowhere,
        /// <summary>Installed and set to boot, but the board has not restarted into it yet.</summary>
        AwaitingReboot,
        /// <summary>Running, booted for the first time after the update: PENDING_VERIFY until the rollback guard decides.</summary>
        RunningPending,
        /// <summary>Running and confirmed (otadata VALID, or a bootloader that does not track states).</summary>
        RunningConfirmed,
        /// <summary>In the other slot, whole, and marked INVALID or ABORTED: it booted and was rolled back.</summary>
        RolledBack,
    }
}
