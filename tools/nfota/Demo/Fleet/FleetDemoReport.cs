namespace NfOta.Cli.Demo.Fleet;

/// <summary>One release's rollout as the fleet demo ends it: boards offered it, confirmed, failed, never offered, and whether it paused.</summary>
public sealed record FleetRollout(string Version, int Targeted, int Confirmed, int Failed, int Untouched, bool Paused, string State, string? Reason);

/// <summary>What the fleet demo did; AsExpected when the good release reached every board and the bad one paused itself.</summary>
public sealed record FleetDemoReport(string Chip, int Boards, IReadOnlyList<FleetRollout> Rollouts, int Rounds, bool AsExpected, string Summary, string Database);
