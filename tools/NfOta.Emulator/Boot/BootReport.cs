using NfOta.Esp32.Images;
using NfOta.Esp32.OtaData;
using NfOta.Esp32.Partitions;

namespace NfOta.Emulator.Boot;

/// <summary>What the bootloader decided and why, step by step, in the spirit of its serial log.</summary>
public sealed record BootReport
{
    /// <summary>The partition the app was loaded from; null when nothing could boot.</summary>
    public PartitionEntry? Partition { get; init; }

    /// <summary>-1 factory, 0.. ota slot, -2 test, int.MinValue none.</summary>
    public int Index { get; init; } = int.MinValue;

    public AppDescription? App { get; init; }

    public bool Booted => Partition is not null;

    /// <summary>The otadata entries as read at the start of the boot, and as left at its end.</summary>
    public OtaDataSectors? OtadataBefore { get; init; }

    public OtaDataSectors? OtadataAfter { get; init; }

    /// <summary>One sentence: why this partition.</summary>
    public string Reason { get; init; } = "";

    public IReadOnlyList<string> Log { get; init; } = [];

    public override string ToString() =>
        Booted ? $"booted {Partition!.Name} ({App?.Version ?? "no app description"}): {Reason}" : $"did not boot: {Reason}";
}
