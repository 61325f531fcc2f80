namespace NfOta.Emulator.Flash;

/// <summary>A program or erase as it was asked of the chip: enough to run it again on a copy.</summary>
public readonly record struct MutationRecord(FlashOperationKind Kind, uint Address, byte[] Data);
