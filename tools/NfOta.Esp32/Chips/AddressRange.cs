namespace NfOta.Esp32.Chips;

/// <summary>A half-open range [Start, End) of CPU addresses.</summary>
public readonly record struct AddressRange(uint Start, uint End)
{
    public bool Contains(uint address) => address >= Start && address < End;
}
