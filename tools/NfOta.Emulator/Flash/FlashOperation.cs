namespace NfOta.Emulator.Flash;

/// <summary>One SPI flash command as the chip saw it, with the device time the model charged for it.</summary>
public readonly record struct FlashOperation(int Sequence, FlashOperationKind Kind, uint Address, int Length, TimeSpan Duration, bool Interrupted = false)
{
    public bool IsMutation => Kind != FlashOperationKind.Read;

    public override string ToString() =>
        $"#{Sequence} {Kind} 0x{Address:X6}+{Length} ({Duration.TotalMilliseconds:F3} ms){(Interrupted ? " INTERRUPTED" : "")}";
}
