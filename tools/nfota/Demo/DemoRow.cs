using System.Text.Json.Serialization;

namespace NfOta.Cli.Demo;

/// <summary>One line of the demo's closing table; in JSON the flash time is "flashSeconds".</summary>
public sealed record DemoRow(string Step, string Version, string Slot, string State, long Bytes,
    [property: JsonPropertyName("flashSeconds")] TimeSpan FlashTime, string Outcome);
