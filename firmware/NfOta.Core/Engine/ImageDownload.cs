using NfOta.Transfer;

namespace NfOta.Engine
{
    /// <summary>
    /// The download loop: fill one whole chunk, hand it to one native write, repeat. A chunk
    /// survives a dropped connection, so a resume asks for exactly the next missing byte and
    /// nothing received is fetched twice. No allocation per chunk.
    /// </summary>
    internal sealed class ImageDownload
    {
        private readonly Connection _connection;
        private readonly UpdateResult _result;
        private readonly ProgressHandler _progress;

        // The file being downloaded: its URL, and its header (a pre-encrypted firmware's, already
        // read): the stream's offsets run that far ahead of the image's.
        private string _url;
        private int _header;
        private IImageStream _stream;
        private bool _opened;
        private int _failures;

        public ImageDownload(Connection connection, UpdateResult result, byte[] chunk, ProgressHandler progress)
        {
            _connection = connection;
            _result = result;
            Chunk = chunk;
            _progress = progress;
        }

        /// <summary>The one chunk buffer of the update (copies use it too).</summary>
        public byte[] Chunk { get; private set; }

        /// <summary>
        /// Image bytes [startAt, size) of the file at <paramref name="url"/> into <paramref name="sink"/>.
        /// <paramref name="first"/>: the stream opened before anything was written (then the first
        /// open is not a resume), or null. The stream is closed at the end, whatever happens.
        /// </summary>
        public void Run(ChunkSink sink, string url, int size, int header, int startAt, IImageStream first)
        {
            _url = url;
            _header = header;
            _stream = first;
            _opened = first != null;
            _failures = 0;
            int written = startAt; // in flash
            int filled = 0;  // in the chunk, not yet written
            try
            {
                while (written < size)
                {
                    _connection.CheckCancelled(written, size);
                    if (!Fill(ref filled, written, size))
                    {
                        continue;
                    }
                    sink.Write(written, Chunk, filled);
                    written += filled;
                    filled = 0;
                    int again = sink.Written(written);
                    if (again >= 0)
                    {
                        // Fetch the block alone again, from its start.
                        CloseStream();
                        written = again;
                        continue;
                    }
                    var progress = _progress;
                    if (progress != null)
                    {
                        // As fetched: a pre-encrypted file's header counts (it was downloaded too).
                        progress(written + header, size + header);
                    }
                }
                // Everything announced has arrived; a byte more means the image is not the one signed for.
                if (_stream != null && Connection.ProbeForMore(_stream, Chunk))
                {
                    throw new OtaException(OtaError.SizeMismatch, "the image at " + url + " is longer than the manifest's " + size.ToString() + " bytes");
                }
            }
            finally
            {
                CloseStream();
            }
        }

        /// <summary>
        /// Fill the chunk up to what is left of the image, (re)opening the stream where the next
        /// missing byte is. False when a transient failure was waited out: try again.
        /// </summary>
        private bool Fill(ref int filled, int written, int size)
        {
            try
            {
                if (_stream == null)
                {
                    if (_opened)
                    {
                        _result.Resumes++;
                    }
                    _opened = true;
                    _stream = _connection.Open(_url, size + _header, written + filled + _header);
                }
                int want = size - written < Chunk.Length ? size - written : Chunk.Length;
                while (filled < want)
                {
                    int n = _stream.Read(Chunk, filled, want - filled);
                    if (n <= 0)
                    {
                        throw new OtaException(OtaError.Network,
                            "the download of " + _url + " ended after " + (written + filled).ToString() + " of " + size.ToString() + " bytes") { IsTransient = true };
                    }
                    filled += n;
                    _result.BytesReceived += n;
                    _failures = 0;
                }
                return true;
            }
            catch (OtaException e)
            {
                CloseStream();
                if (!e.IsTransient || ++_failures > _connection.MaxRetries)
                {
                    throw;
                }
                _connection.Wait(_failures);
                return false;
            }
        }

        private void CloseStream()
        {
            Connection.CloseQuietly(_stream);
            _stream = null;
        }
    }
}
