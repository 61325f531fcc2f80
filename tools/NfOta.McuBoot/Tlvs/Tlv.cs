namespace NfOta.McuBoot.Tlvs;

/// <summary>One TLV: its type, its data, and where the data sits in the image.</summary>
public sealed record Tlv(ushort Type, int Offset, ReadOnlyMemory<byte> Data)
{
    /// <summary>The 4-byte header before each TLV's data (u16 type, u16 length).</summary>
    public const int HeaderSize = 4;

    public int Length => Data.Length;
}
