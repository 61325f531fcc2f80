namespace NfOta.Engine
{
    /// <summary>
    /// Progress of a download, after each chunk: bytes of the file fetched and written so far, of the
    /// file's size (a pre-encrypted firmware's file counts its 512-byte header). A release with a
    /// firmware and an app reports the firmware's file, then the app's, each from its start.
    /// </summary>
    public delegate void ProgressHandler(int bytesDone, int bytesTotal);

    /// <summary>Called when the new image is set to boot; the app restarts the board (the default calls NativeOta.Reboot).</summary>
    public delegate void RebootHandler();

    /// <summary>Waits between retries (the default is Thread.Sleep).</summary>
    public delegate void SleepHandler(int milliseconds);
}
