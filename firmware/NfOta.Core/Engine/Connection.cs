using System.Threading;
using NfOta.Transfer;

namespace NfOta.Engine
{
    /// <summary>
    /// The engine's side of the network: opening a file at an offset with its length checked against
    /// the manifest's, retrying transient failures with a growing delay, reading a small file whole,
    /// and the cancel check between chunks. One per update (it holds the retry handler in use then).
    /// </summary>
    internal sealed class Connection
    {
        private readonly IImageSource _source;
        private readonly UpdateOptions _options;
        private readonly CancelSignal _cancel;
        private readonly SleepHandler _sleep;

        public Connection(IImageSource source, UpdateOptions options, CancelSignal cancel, SleepHandler sleep)
        {
            _source = source;
            _options = options;
            _cancel = cancel;
            _sleep = sleep;
        }

        public int MaxRetries
        {
            get { return _options.MaxRetries; }
        }

        /// <summary>Open the file at <paramref name="offset"/>, retrying transient failures as the download loop does.</summary>
        public IImageStream OpenWithRetries(string url, int size, int offset)
        {
            int failures = 0;
            while (true)
            {
                if (_cancel.IsCancelled)
                {
                    throw new OtaException(OtaError.Cancelled, "the update was cancelled before the download started; the running firmware is unchanged");
                }
                try
                {
                    return Open(url, size, offset);
                }
                catch (OtaException e)
                {
                    if (!e.IsTransient || ++failures > _options.MaxRetries)
                    {
                        throw;
                    }
                    Wait(failures);
                }
            }
        }

        /// <summary>Open the file at <paramref name="offset"/>; a length other than <paramref name="size"/> is another build.</summary>
        public IImageStream Open(string url, int size, int offset)
        {
            var stream = _source.Open(url, offset);
            int total = stream.TotalLength;
            if (total >= 0 && total != size)
            {
                CloseQuietly(stream);
                throw new OtaException(OtaError.SizeMismatch,
                    "the image at " + url + " is " + total.ToString() + " bytes but the manifest says " + size.ToString() + ": the server holds another build");
            }
            return stream;
        }

        /// <summary>Read a whole small file (the manifest) into buffer, retrying transient failures; returns its length (buffer.Length means "too long").</summary>
        public int ReadWholeWithRetries(string url, byte[] buffer)
        {
            int failures = 0;
            while (true)
            {
                try
                {
                    return ReadWhole(url, buffer);
                }
                catch (OtaException e)
                {
                    if (!e.IsTransient || ++failures > _options.MaxRetries)
                    {
                        throw;
                    }
                    Wait(failures);
                }
            }
        }

        private int ReadWhole(string url, byte[] buffer)
        {
            var stream = _source.Open(url, 0);
            try
            {
                int length = 0;
                while (length < buffer.Length)
                {
                    int n = stream.Read(buffer, length, buffer.Length - length);
                    if (n <= 0)
                    {
                        break;
                    }
                    length += n;
                }
                if (stream.TotalLength >= 0 && length < stream.TotalLength && length < buffer.Length)
                {
                    throw new OtaException(OtaError.Network, "the manifest download ended after " + length.ToString() + " of " + stream.TotalLength.ToString() + " bytes") { IsTransient = true };
                }
                return length;
            }
            finally
            {
                CloseQuietly(stream);
            }
        }

        /// <summary>The delay before retry number <paramref name="failures"/>: doubling from the first, up to the maximum.</summary>
        public void Wait(int failures)
        {
            int delay = _options.RetryDelayMilliseconds;
            for (int i = 1; i < failures && delay < _options.MaxRetryDelayMilliseconds; i++)
            {
                delay *= 2;
            }
            if (delay > _options.MaxRetryDelayMilliseconds)
            {
                delay = _options.MaxRetryDelayMilliseconds;
            }
            if (_sleep != null)
            {
                _sleep(delay);
            }
            else
            {
                Thread.Sleep(delay);
            }
        }

        public void CheckCancelled(int done, int size)
        {
            if (_cancel.IsCancelled)
            {
                throw new OtaException(OtaError.Cancelled, "the update was cancelled after " + done.ToString() + " of " + size.ToString() + " bytes; the running firmware is unchanged");
            }
        }

        /// <summary>
        /// Whether the body goes on past the announced length. A transient failure here proves
        /// nothing either way: every announced byte is in flash, and the size and SHA-256 checks
        /// that follow decide.
        /// </summary>
        public static bool ProbeForMore(IImageStream stream, byte[] buffer)
        {
            try
            {
                return stream.Read(buffer, 0, 1) > 0;
            }
            catch (OtaException e)
            {
                if (!e.IsTransient)
                {
                    throw;
                }
                return false;
            }
        }

        public static void CloseQuietly(IImageStream stream)
        {
            if (stream == null)
            {
                return;
            }
            try
            {
                stream.Close();
            }
            catch (OtaException)
            {
                // Closing a broken connection may fail too; the failure that matters is already on its way.
            }
        }
    }
}
