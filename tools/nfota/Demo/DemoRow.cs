namespace NfOta.Cli.Demo;

/// <summary>One line of the demo's closing table.</summary>
public sealed record DemoRow(string Step, string Version, string Slot, string State, long Bytes, TimeSpan FlashTime, string Outcome);
