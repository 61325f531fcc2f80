using NfOta.Interop;

namespace NfOta.Benchmarks;

/// <summary>
/// What the engine allocates and calls per chunk, counted from its progress handler after a
/// warm-up until the download's last chunk: the thread's managed allocations less what the host
/// binding and the emulator allocated inside native calls (<see cref="NativeHostRuntime.AllocatedInCalls"/>;
/// nanoCLR's interop allocates nothing of the kind), and the native calls made.
/// </summary>
internal sealed class ChunkAllocations(int warmup)
{
    private long _startBytes;
    private long _startInCalls;
    private long _startCalls;
    private int _chunks;

    public double EngineBytesPerChunk { get; private set; }

    public double InCallBytesPerChunk { get; private set; }

    public double CallsPerChunk { get; private set; }

    /// <summary>Call it from the progress handler, after each chunk.</summary>
    public void Chunk(int done, int total)
    {
        if (++_chunks == warmup)
        {
            _startBytes = GC.GetAllocatedBytesForCurrentThread();
            _startInCalls = NativeHostRuntime.AllocatedInCalls;
            _startCalls = NativeHostRuntime.CallCount;
        }
        if (done != total || _chunks <= warmup) return;
        double counted = _chunks - warmup;
        InCallBytesPerChunk = (NativeHostRuntime.AllocatedInCalls - _startInCalls) / counted;
        EngineBytesPerChunk = (GC.GetAllocatedBytesForCurrentThread() - _startBytes) / counted - InCallBytesPerChunk;
        CallsPerChunk = (NativeHostRuntime.CallCount - _startCalls) / counted;
    }
}
