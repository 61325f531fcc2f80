using System.Text;

namespace NfOta.Interop;

/// <summary>
/// What the generated host binding needs beyond P/Invoke: UTF-8 strings as nanoCLR passes them,
/// and turning an unwound native call (the emulated chip restarted, lost power or panicked
/// inside it) into the exception the emulator recorded.
/// </summary>
public static class NativeHostRuntime
{
    /// <summary>The call returned normally.</summary>
    public const int NotUnwound = 0;

    /// <summary>The emulated chip stopped inside the call; <see cref="PendingException"/> says how.</summary>
    public const int UnwoundByDevice = 1;

    /// <summary>No emulated device was attached to the native library.</summary>
    public const int UnwoundNotAttached = 2;

    /// <summary>
    /// Set by the emulator bridge (NfOta.NativeHost): hands over, once, the exception that ended the
    /// native call (a restart, a power cut, a panic).
    /// </summary>
    public static Func<Exception?>? PendingException { get; set; }

    private static long s_calls;

    /// <summary>Native calls made through the binding since the process started (benchmarks count calls per chunk).</summary>
    public static long CallCount => Interlocked.Read(ref s_calls);

    /// <summary>
    /// Called at the end of every native call, returned or unwound (benchmarks mark the flash log
    /// there to time each call's flash work). Null by default.
    /// </summary>
    public static Action? CallEnded { get; set; }

    [ThreadStatic] private static long t_callStartBytes;
    [ThreadStatic] private static bool t_inCall;
    [ThreadStatic] private static long t_bytesInCalls;

    /// <summary>
    /// Bytes this thread allocated inside native calls (the binding's marshalling and the emulator
    /// behind it): a benchmark subtracts them from the thread's total to get what managed code
    /// allocated itself, exactly (nanoCLR's interop allocates nothing of the kind).
    /// </summary>
    public static long AllocatedInCalls => t_bytesInCalls;

    /// <summary>At the start of every generated binding method, before any marshalling.</summary>
    public static void BeforeCall()
    {
        t_inCall = true;
        t_callStartBytes = GC.GetAllocatedBytesForCurrentThread();
    }

    /// <summary>
    /// After a native call made in an unwind frame (the generated binding's, or the emulator bridge's
    /// own exports): nothing if it returned, otherwise the exception that stopped it.
    /// </summary>
    public static void AfterCall(int unwound)
    {
        if (t_inCall)
        {
            t_bytesInCalls += GC.GetAllocatedBytesForCurrentThread() - t_callStartBytes;
            t_inCall = false;
        }
        Interlocked.Increment(ref s_calls);
        CallEnded?.Invoke();
        switch (unwound)
        {
            case NotUnwound:
                return;
            case UnwoundNotAttached:
                throw new InvalidOperationException("no emulated device is attached to the native library: use NativeHost.Attach(device) first");
            default:
                throw PendingException?.Invoke()
                    ?? new InvalidOperationException($"the native call was abandoned (reason {unwound}) and the host recorded no cause");
        }
    }

    /// <summary>A NUL-terminated UTF-8 copy of the string, as nanoCLR's Interop_Marshal_LPCSTR hands it over.</summary>
    internal static byte[] Utf8Z(string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }
}
