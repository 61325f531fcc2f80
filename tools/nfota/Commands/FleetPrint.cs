using System.Globalization;
using System.Text.Json;
using NfOta.Cli.Cli;

namespace NfOta.Cli.Commands;

/// <summary>How `nfota fleet` prints the admin API's answers for people: one line per rollout or device.</summary>
public static class FleetPrint
{
    public static void Rollouts(TextWriter output, JsonElement? answer)
    {
        var list = answer?.EnumerateArray().ToList() ?? [];
        if (list.Count == 0)
        {
            output.WriteLine("no rollouts");
        }
        list.ForEach(r => Rollout(output, r));
    }

    public static void Rollout(TextWriter output, JsonElement? answer)
    {
        if (answer is not { } r)
        {
            return;
        }
        var counts = r.GetProperty("counts");
        var waves = r.GetProperty("waves");
        var wave = r.GetProperty("wave").GetInt32();
        var percent = waves[wave - 1].GetProperty("percent").GetDouble().ToString(CultureInfo.InvariantCulture);
        var reason = r.GetProperty("reason").ValueKind == JsonValueKind.String ? $" ({r.GetProperty("reason").GetString()})" : "";
        output.WriteLine(TerminalText.Escape(
            $"rollout {r.GetProperty("id").GetInt64()}: {r.GetProperty("version").GetString()} to cohort {r.GetProperty("cohort").GetString()}, "
            + $"{r.GetProperty("state").GetString()}{reason}, wave {wave} of {waves.GetArrayLength()} ({percent} %): "
            + $"offered {counts.GetProperty("offered").GetInt32()}, confirmed {counts.GetProperty("confirmed").GetInt32()}, "
            + $"failed {counts.GetProperty("failed").GetInt32()}, open {counts.GetProperty("open").GetInt32()}"));
    }

    public static void Devices(TextWriter output, JsonElement? answer)
    {
        var list = answer?.EnumerateArray().ToList() ?? [];
        if (list.Count == 0)
        {
            output.WriteLine("no devices");
        }
        foreach (var d in list)
        {
            var state = Text(d, "state") ?? "idle";
            var rollout = d.GetProperty("rollout").ValueKind == JsonValueKind.Number ? $" rollout {d.GetProperty("rollout").GetInt64()} {Text(d, "version")}" : "";
            var error = Text(d, "errorCode") is { } e ? $" error {e}" : "";
            var seen = Text(d, "lastSeen") is { } s ? $" seen {s}" : " never seen";
            output.WriteLine(TerminalText.Escape($"{d.GetProperty("controllerId").GetString()} {state}{rollout}{error}{seen}"));
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
