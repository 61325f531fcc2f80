namespace NfOta.Transfer
{
    /// <summary>
    /// Where manifests and images come from: the engine's own small interface, since the device's
    /// mscorlib has no Stream. Adapters: HTTP(S) with Range on the device (nanoFramework.System.Net.Http)
    /// and on .NET (HttpClient).
    /// </summary>
    public interface IImageSource
    {
        /// <summary>
        /// Start reading <paramref name="url"/> at byte <paramref name="offset"/> (an HTTP Range request when
        /// offset &gt; 0). The stream's first byte must be the resource's byte at <paramref name="offset"/>.
        /// Throws <see cref="OtaException"/>: Network (IsTransient) or HttpStatus (IsTransient for 5xx).
        /// </summary>
        IImageStream Open(string url, int offset);
    }

    /// <summary>An open download. Close it when done, whatever happened.</summary>
    public interface IImageStream
    {
        /// <summary>The whole resource's length when the server said it, otherwise -1.</summary>
        int TotalLength { get; }

        /// <summary>
        /// Up to <paramref name="count"/> bytes into buffer[offset..]; 0 at the end of the body. Throws
        /// <see cref="OtaException"/> (Network, IsTransient) when the connection fails or stalls.
        /// </summary>
        int Read(byte[] buffer, int offset, int count);

        void Close();
    }
}
