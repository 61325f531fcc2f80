namespace NfOta.Server;

/// <summary>
/// The server's request log: the last <see cref="UpdateServerOptions.RecentRequests"/> entries, with
/// paths cut to <see cref="MaxPathLength"/> characters, and running totals. A server runs for days;
/// a log that kept every raw URL grew without bound (8,000 requests with 8 KB paths: +126 MB).
/// An entry is written when the middleware returns, which can be just after the client has read
/// the last byte of the body; <see cref="Snapshot"/> therefore waits (briefly) for the requests
/// still in flight, so whoever reads the log after a download sees it.
/// </summary>
internal sealed class RequestLog(int capacity)
{
    /// <summary>Longest path an entry keeps; longer ones are cut and say how long they were.</summary>
    public const int MaxPathLength = 512;

    private static readonly TimeSpan InFlightWait = TimeSpan.FromSeconds(2);

    private readonly Queue<RequestLogEntry> _recent = new();
    private readonly Lock _lock = new();
    private int _inFlight;
    private long _total;
    private long _bytesSent;

    public long Total { get { lock (_lock) return _total; } }

    public long BytesSent { get { lock (_lock) return _bytesSent; } }

    public void Begin() => Interlocked.Increment(ref _inFlight);

    public void Finish(RequestLogEntry entry)
    {
        lock (_lock)
        {
            _recent.Enqueue(entry);
            while (_recent.Count > capacity) _recent.Dequeue();
            _total++;
            _bytesSent += entry.BodyBytes;
        }
        Interlocked.Decrement(ref _inFlight);
    }

    /// <summary>The path as an entry keeps it: whole, or its first <see cref="MaxPathLength"/> characters and its length.</summary>
    public static string Shorten(string path) =>
        path.Length <= MaxPathLength ? path : $"{path[..MaxPathLength]}... ({path.Length} characters)";

    /// <summary>The entries kept, oldest first, once no request is in flight (or after a short wait, for one a client holds open).</summary>
    public IReadOnlyList<RequestLogEntry> Snapshot()
    {
        SpinWait.SpinUntil(() => Volatile.Read(ref _inFlight) == 0, InFlightWait);
        lock (_lock) return [.. _recent];
    }
}
