namespace NfOta.Cli.Demo;

/// <summary>What the demo did, and whether the board ended where it should (v2 running, confirmed; v3 rejected).</summary>
public sealed record DemoReport(string Chip, IReadOnlyList<DemoRow> Rows, bool AsExpected, string Summary, string DumpPath, string FlashKeyPath, string SecureBootKeyPath, int HttpRequests, uint TableOffset);
