namespace NfOta.Esp32.Partitions;

/// <summary>One 32-byte entry of an ESP-IDF partition table (<c>esp_partition_info_t</c>).</summary>
public sealed record PartitionEntry(string Name, byte Type, byte Subtype, uint Offset, uint Size, uint Flags = 0)
{
    public const uint EncryptedFlag = 1u << 0;
    public const uint ReadOnlyFlag = 1u << 1;

    /// <summary>The partition is stored encrypted when flash encryption is on (app partitions always are).</summary>
    public bool Encrypted => (Flags & EncryptedFlag) != 0;

    public bool ReadOnly => (Flags & ReadOnlyFlag) != 0;

    public uint End => Offset + Size;

    public bool IsApp => Type == PartitionKinds.App;

    public bool IsOtaApp => Type == PartitionKinds.App && Subtype is >= PartitionKinds.AppOtaMin and < PartitionKinds.AppOtaMin + PartitionKinds.AppOtaCount;

    /// <summary>For ota_N partitions, N; otherwise -1.</summary>
    public int OtaSlot => IsOtaApp ? Subtype - PartitionKinds.AppOtaMin : -1;

    public bool IsFactory => Type == PartitionKinds.App && Subtype == PartitionKinds.AppFactory;

    public bool IsTest => Type == PartitionKinds.App && Subtype == PartitionKinds.AppTest;

    public bool IsOtaData => Type == PartitionKinds.Data && Subtype == PartitionKinds.DataOta;

    /// <summary>
    /// Whether the flash-encryption engine covers this partition once encryption is on. ESP-IDF
    /// encrypts every app partition and every partition flagged "encrypted"; otadata is written
    /// encrypted because the bootloader reads it through decryption.
    /// </summary>
    public bool StoredEncrypted => IsApp || Encrypted || IsOtaData || (Type == PartitionKinds.Data && Subtype == PartitionKinds.DataNvsKeys);

    public string TypeName => PartitionKinds.TypeName(Type);

    public string SubtypeName => PartitionKinds.SubtypeName(Type, Subtype);

    public bool Contains(uint address) => address >= Offset && address < End;

    public override string ToString() => $"{Name} ({TypeName}/{SubtypeName}) at 0x{Offset:X}, 0x{Size:X} bytes";
}
