namespace NfOta.Engine
{
    /// <summary>Progress of the image download: bytes written to flash so far, of the total.</summary>
    public delegate void ProgressHandler(int bytesDone, int bytesTotal);

    /// <summary>Called when the new image is set to boot; the app restarts the board (the default calls NativeOta.Reboot).</summary>
    public delegate void RebootHandler();

    /// <summary>Waits between retries (the default is Thread.Sleep).</summary>
    public delegate void SleepHandler(int milliseconds);
}
