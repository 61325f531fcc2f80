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

    /// <summary>
    /// The fastest single piece of two jobs measured in alternation, for a ratio of their speeds:
    /// each job is <paramref name="pieces"/> equal pieces (<c>a(i)</c> runs piece i), each piece
    /// timed on its own. Rounds alternate which job goes first; one untimed pass of each warms up.
    /// </summary>
    /// <remarks>
    /// On a shared machine a neighbour's load comes and goes, and a scheduler time slice is a few
    /// milliseconds: a job measured whole is cut more often the longer it runs, so the slower side
    /// of a ratio would pay more for the same load. Small pieces, timed alternately, each keeping
    /// its best, give both sides the same chance of an undisturbed run.
    /// </remarks>
    public static (double A, double B) BestPieceSecondsInterleaved(Action<int> a, Action<int> b, int pieces, int rounds)
    {
        for (var i = 0; i < pieces; i++) a(i);
        for (var i = 0; i < pieces; i++) b(i);
        var bestA = double.MaxValue;
        var bestB = double.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            if (round % 2 == 0)
            {
                bestA = Math.Min(bestA, BestPiece(a, pieces));
                bestB = Math.Min(bestB, BestPiece(b, pieces));
            }
            else
            {
                bestB = Math.Min(bestB, BestPiece(b, pieces));
                bestA = Math.Min(bestA, BestPiece(a, pieces));
            }
        }
        return (bestA, bestB);
    }

    private static double BestPiece(Action<int> action, int pieces)
    {
        var best = double.MaxValue;
        for (var i = 0; i < pieces; i++)
        {
            var start = Stopwatch.GetTimestamp();
            action(i);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return best;
    }

    public static string MBps(long bytes, double seconds) => $"{bytes / seconds / 1e6,9:F1} MB/s";
}
