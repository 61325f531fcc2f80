using System.Buffers.Binary;

namespace NfOta.Esp32.OtaData;

/// <summary>
/// <c>esp_ota_select_entry_t</c>, the 32 bytes at the start of each otadata sector:
/// <c>ota_seq</c> (u32), <c>seq_label[20]</c>, <c>ota_state</c> (u32), <c>crc</c> (u32, over ota_seq only).
/// </summary>
public readonly record struct OtaSelectEntry(uint Seq, OtaImageState State, uint Crc, ulong LabelLow = ulong.MaxValue, ulong LabelMid = ulong.MaxValue, uint LabelHigh = uint.MaxValue)
{
    public const int Size = 32;

    /// <summary>The seq value of erased flash.</summary>
    public const uint EmptySeq = 0xFFFFFFFF;

    /// <summary>A well-formed entry as esp_ota_ops.c writes it (label left erased).</summary>
    public static OtaSelectEntry Create(uint seq, OtaImageState state) => new(seq, state, CrcOf(seq));

    /// <summary>The entry erased flash reads as.</summary>
    public static OtaSelectEntry Erased => new(EmptySeq, OtaImageState.Undefined, 0xFFFFFFFF);

    /// <summary><c>bootloader_common_ota_select_crc</c>: CRC-32 of the four seq bytes, seeded with 0xFFFFFFFF.</summary>
    public static uint CrcOf(uint seq)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, seq);
        return EspRomCrc32.Le(uint.MaxValue, bytes);
    }

    public bool CrcMatches => Crc == CrcOf(Seq);

    public bool IsErased => Seq == EmptySeq && (uint)State == 0xFFFFFFFF && Crc == 0xFFFFFFFF
                            && LabelLow == ulong.MaxValue && LabelMid == ulong.MaxValue && LabelHigh == uint.MaxValue;

    /// <summary><c>bootloader_common_ota_select_invalid</c>: empty, or rejected by the app or the bootloader.</summary>
    public bool IsInvalid => Seq == EmptySeq || State is OtaImageState.Invalid or OtaImageState.Aborted;

    /// <summary><c>bootloader_common_ota_select_valid</c>: may be chosen as the active entry.</summary>
    public bool IsValid => !IsInvalid && CrcMatches;

    /// <summary>Which ota_N slot this seq selects: (seq - 1) mod slot count, as ESP-IDF computes it.</summary>
    public int SlotFor(int otaSlotCount) => otaSlotCount == 0 ? -1 : (int)((Seq - 1) % (uint)otaSlotCount);

    public static OtaSelectEntry Parse(ReadOnlySpan<byte> raw)
    {
        if (raw.Length < Size) throw new ArgumentException($"an otadata entry is {Size} bytes, got {raw.Length}", nameof(raw));
        return new OtaSelectEntry(
            BinaryPrimitives.ReadUInt32LittleEndian(raw),
            (OtaImageState)BinaryPrimitives.ReadUInt32LittleEndian(raw[24..]),
            BinaryPrimitives.ReadUInt32LittleEndian(raw[28..]),
            BinaryPrimitives.ReadUInt64LittleEndian(raw[4..]),
            BinaryPrimitives.ReadUInt64LittleEndian(raw[12..]),
            BinaryPrimitives.ReadUInt32LittleEndian(raw[20..]));
    }

    public void WriteTo(Span<byte> raw)
    {
        if (raw.Length < Size) throw new ArgumentException($"an otadata entry is {Size} bytes, got {raw.Length}", nameof(raw));
        BinaryPrimitives.WriteUInt32LittleEndian(raw, Seq);
        BinaryPrimitives.WriteUInt64LittleEndian(raw[4..], LabelLow);
        BinaryPrimitives.WriteUInt64LittleEndian(raw[12..], LabelMid);
        BinaryPrimitives.WriteUInt32LittleEndian(raw[20..], LabelHigh);
        BinaryPrimitives.WriteUInt32LittleEndian(raw[24..], (uint)State);
        BinaryPrimitives.WriteUInt32LittleEndian(raw[28..], Crc);
    }

    public byte[] ToBytes()
    {
        var raw = new byte[Size];
        WriteTo(raw);
        return raw;
    }

    public OtaSelectEntry WithState(OtaImageState state) => this with { State = state };

    public override string ToString() =>
        IsErased ? "erased" : $"seq={Seq} state={State.ToShortName()} crc=0x{Crc:X8}{(CrcMatches ? "" : " (bad CRC)")}";
}
