using System.Diagnostics;

namespace NfOta.Benchmarks;

/// <summary>Best-of-N wall-clock timing; both sides of a ratio are measured in the same run.</summary>
internal static class Measure
{
    public static double BestSeconds(Action action, int warmups = 3, int runs = 15)
    {
        for (var i = 0; i < warmups; i++) action();
        var best = double.MaxValue;
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            best = Math.Min(best, sw.Elapsed.TotalSeconds);
        }
        return best;
    }

    public static string MBps(long bytes, double seconds) => $"{bytes / seconds / 1e6,9:F1} MB/s";
}
