using NfOta.Emulator.Flash;
using NfOta.Esp32.Partitions;

namespace NfOta.Emulator.Device;

/// <summary>
/// ESP-IDF's <c>esp_partition_*</c> API: find partitions, and read, write and erase inside one,
/// through the encryption engine when the partition is encrypted and raw otherwise.
/// </summary>
public sealed class PartitionApi
{
    private readonly FlashDriver _flash;
    private readonly List<EspPartition> _partitions;

    internal PartitionApi(FlashDriver flash, PartitionTable table, bool flashEncryptionEnabled)
    {
        _flash = flash;
        Table = table;
        _partitions = table
            .Select((entry, i) => new EspPartition(i, entry, flashEncryptionEnabled && entry.StoredEncrypted))
            .ToList();
    }

    public PartitionTable Table { get; }

    public IReadOnlyList<EspPartition> All => _partitions;

    /// <summary><c>esp_partition_find_first</c>.</summary>
    public EspPartition? FindFirst(byte type, byte subtype, string? label = null) =>
        _partitions.FirstOrDefault(p => p.Type == type && p.Subtype == subtype && (label is null || p.Label == label));

    public EspPartition? FindByLabel(string label) => _partitions.FirstOrDefault(p => p.Label == label);

    /// <summary><c>esp_partition_verify</c>: the table's own partition object for this one, or null.</summary>
    public EspPartition? Verify(EspPartition? partition) =>
        partition is null ? null : _partitions.FirstOrDefault(p => p.Address == partition.Address && p.Size == partition.Size && p.Label == partition.Label);

    public EspPartition? At(uint address) => _partitions.FirstOrDefault(p => address >= p.Address && address < p.Address + p.Size);

    /// <summary><c>esp_partition_read</c>: decrypted when the partition is encrypted.</summary>
    public EspErr Read(EspPartition partition, uint offset, Span<byte> destination)
    {
        var check = CheckRange(partition, offset, destination.Length);
        if (check != EspErr.ESP_OK) return check;
        return partition.Encrypted
            ? _flash.ReadDecrypted(partition.Address + offset, destination)
            : _flash.Read(partition.Address + offset, destination);
    }

    /// <summary><c>esp_partition_write</c>: through the encryption engine when the partition is encrypted.</summary>
    public EspErr Write(EspPartition partition, uint offset, ReadOnlySpan<byte> data)
    {
        if (partition.ReadOnly) return EspErr.ESP_ERR_NOT_ALLOWED;
        var check = CheckRange(partition, offset, data.Length);
        if (check != EspErr.ESP_OK) return check;
        return partition.Encrypted
            ? _flash.WriteEncrypted(partition.Address + offset, data)
            : _flash.Write(partition.Address + offset, data);
    }

    /// <summary><c>esp_partition_read_raw</c>: the stored bytes, ciphertext on an encrypted partition.</summary>
    public EspErr ReadRaw(EspPartition partition, uint offset, Span<byte> destination)
    {
        var check = CheckRange(partition, offset, destination.Length);
        return check != EspErr.ESP_OK ? check : _flash.Read(partition.Address + offset, destination);
    }

    /// <summary>
    /// <c>esp_partition_write_raw</c>: bytes go to flash as given, bypassing encryption. On an
    /// encrypted partition this is the mistake nf-ota exists to prevent.
    /// </summary>
    public EspErr WriteRaw(EspPartition partition, uint offset, ReadOnlySpan<byte> data)
    {
        if (partition.ReadOnly) return EspErr.ESP_ERR_NOT_ALLOWED;
        var check = CheckRange(partition, offset, data.Length);
        return check != EspErr.ESP_OK ? check : _flash.Write(partition.Address + offset, data);
    }

    /// <summary><c>esp_partition_erase_range</c>: whole sectors only.</summary>
    public EspErr EraseRange(EspPartition partition, uint offset, uint size)
    {
        if (partition.ReadOnly) return EspErr.ESP_ERR_NOT_ALLOWED;
        if (offset > partition.Size) return EspErr.ESP_ERR_INVALID_ARG;
        if ((ulong)offset + size > partition.Size) return EspErr.ESP_ERR_INVALID_SIZE;
        if (size % FlashTiming.SectorSize != 0) return EspErr.ESP_ERR_INVALID_SIZE;
        if (offset % FlashTiming.SectorSize != 0) return EspErr.ESP_ERR_INVALID_ARG;
        return _flash.EraseRegion(partition.Address + offset, size);
    }

    private static EspErr CheckRange(EspPartition partition, uint offset, int length)
    {
        if (offset > partition.Size) return EspErr.ESP_ERR_INVALID_ARG;
        if ((ulong)offset + (ulong)length > partition.Size) return EspErr.ESP_ERR_INVALID_SIZE;
        return EspErr.ESP_OK;
    }
}
