using NfOta.Esp32.Partitions;

namespace NfOta.Emulator.Device;

/// <summary>
/// <c>esp_partition_t</c>: a table entry as the running firmware sees it. <see cref="Encrypted"/>
/// is decided at load time, as esp_partition.c does: only with flash encryption on, and then for
/// every app, otadata and nvs_keys partition and any flagged "encrypted".
/// </summary>
public sealed record EspPartition(int Index, PartitionEntry Entry, bool Encrypted)
{
    public string Label => Entry.Name;

    public uint Address => Entry.Offset;

    public uint Size => Entry.Size;

    public byte Type => Entry.Type;

    public byte Subtype => Entry.Subtype;

    public bool ReadOnly => Entry.ReadOnly;

    public override string ToString() => $"{Label} (0x{Address:X}, {Size / 1024} KiB{(Encrypted ? ", encrypted" : "")})";
}
