namespace NfOta.Rollback
{
    /// <summary>
    /// One thing the app must be able to do before a new firmware is kept (join Wi-Fi, reach the
    /// server, read a sensor). Return false or throw to reject the firmware.
    /// </summary>
    public interface IHealthCheck
    {
        /// <summary>A short name for logs and the guard's result ("wifi", "mqtt").</summary>
        string Name { get; }

        bool Check();
    }
}
