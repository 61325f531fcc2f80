using System.Collections.Concurrent;

namespace NfOta.Server;

/// <summary>
/// The server's request log. An entry is written when the middleware returns, which can be just
/// after the client has read the last byte of the body; <see cref="Snapshot"/> therefore waits
/// (briefly) for the requests still in flight, so whoever reads the log after a download sees it.
/// </summary>
internal sealed class RequestLog
{
    private static readonly TimeSpan InFlightWait = TimeSpan.FromSeconds(2);

    private readonly ConcurrentQueue<RequestLogEntry> _entries = new();
    private int _inFlight;

    public void Begin() => Interlocked.Increment(ref _inFlight);

    public void Finish(RequestLogEntry entry)
    {
        _entries.Enqueue(entry);
        Interlocked.Decrement(ref _inFlight);
    }

    /// <summary>Every finished request, once none is in flight (or after a short wait, for one a client holds open).</summary>
    public IReadOnlyList<RequestLogEntry> Snapshot()
    {
        SpinWait.SpinUntil(() => Volatile.Read(ref _inFlight) == 0, InFlightWait);
        return _entries.ToArray();
    }
}
