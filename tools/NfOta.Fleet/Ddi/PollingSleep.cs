using System.Globalization;

namespace NfOta.Fleet.Ddi;

/// <summary>DDI's config.polling.sleep: "HH:mm:ss" (hours may pass 23, as in hawkBit's "12:00:00").</summary>
public static class PollingSleep
{
    public static string Format(TimeSpan interval)
    {
        var seconds = (long)Math.Max(1, Math.Round(interval.TotalSeconds));
        return string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}");
    }
}
