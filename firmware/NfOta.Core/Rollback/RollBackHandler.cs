namespace NfOta.Rollback
{
    /// <summary>Rejects the running firmware (see <see cref="RollbackGuard.RollBack"/>).</summary>
    public delegate void RollBackHandler(GuardResult result);
}
