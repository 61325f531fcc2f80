using System.Security.Cryptography;
using NfOta.Esp32.Images;
using NfOta.Esp32.OtaData;
using NfOta.Esp32.Partitions;

namespace NfOta.Emulator.Device;

/// <summary>
/// ESP-IDF's OTA API (app_update/esp_ota_ops.c, v5.x) on the virtual board, call for call and
/// error for error. Handle bookkeeping lives in RAM, so it is gone after a restart or power cut,
/// as on the chip. Follows ESP-IDF v5.5 (see native/README.md, "ESP-IDF version"), or v6.0 where
/// <see cref="DeviceConfig.EspIdf"/> says so and the two differ.
/// </summary>
public sealed class EspOta
{
    /// <summary>OTA_SIZE_UNKNOWN: erase the whole partition in begin.</summary>
    public const uint SizeUnknown = 0xFFFFFFFF;

    /// <summary>OTA_WITH_SEQUENTIAL_WRITES: erase sector by sector as writes arrive.</summary>
    public const uint WithSequentialWrites = 0xFFFFFFFE;

    private readonly VirtualEsp32 _device;
    private readonly List<Operation> _operations = [];
    private uint _lastHandle;

    internal EspOta(VirtualEsp32 device) => _device = device;

    private PartitionApi Partitions => _device.Partitions!;

    private bool FlashEncryptionEnabled => _device.EFuses.FlashEncryptionEnabled;

    /// <summary>Handles currently open.</summary>
    public int OpenHandles => _operations.Count;

    public EspErr Begin(EspPartition? partition, uint imageSize, out uint handle)
    {
        handle = 0;
        if (partition is null) return EspErr.ESP_ERR_INVALID_ARG;
        partition = Partitions.Verify(partition);
        if (partition is null) return EspErr.ESP_ERR_NOT_FOUND;
        if (partition.Type == PartitionKinds.App)
        {
            if (!IsOtaPartition(partition)) return EspErr.ESP_ERR_INVALID_ARG;
            var running = GetRunningPartition();
            if (partition == running) return EspErr.ESP_ERR_OTA_PARTITION_CONFLICT;
            if (_device.Config.AppRollback && GetStatePartition(running, out var runningState) == EspErr.ESP_OK
                && runningState == OtaImageState.PendingVerify)
            {
                return EspErr.ESP_ERR_OTA_ROLLBACK_INVALID_STATE;
            }
        }

        var operation = new Operation(++_lastHandle, partition) { NeedErase = imageSize == WithSequentialWrites };
        _operations.Insert(0, operation);
        handle = operation.Handle;

        if (imageSize != WithSequentialWrites)
        {
            var eraseSize = imageSize is 0 or SizeUnknown ? partition.Size : AlignUp(imageSize, 0x1000);
            var err = Partitions.EraseRange(partition, 0, eraseSize);
            if (err != EspErr.ESP_OK) return err; // ESP-IDF leaves the handle registered here
        }

        if (_device.Config.AppRollback && IsOtaPartition(partition))
        {
            EraseLastBootAppPartition(skipAppErase: true);
        }
        return EspErr.ESP_OK;
    }

    /// <summary>
    /// <c>esp_ota_resume</c> (ESP-IDF v5.5 and later): a handle that goes on writing at
    /// <paramref name="imageOffset"/> of a partly written slot, erasing nothing now; with
    /// <see cref="WithSequentialWrites"/> later writes erase as they go, from the next sector
    /// boundary on. The caller vouches for the bytes before the offset (ESP-IDF does not check them;
    /// esp_ota_end verifies the whole image).
    /// </summary>
    public EspErr Resume(EspPartition? partition, uint eraseSize, uint imageOffset, out uint handle)
    {
        handle = 0;
        if (partition is null) return EspErr.ESP_ERR_INVALID_ARG;
        if (imageOffset > partition.Size) return EspErr.ESP_ERR_INVALID_ARG;
        partition = Partitions.Verify(partition);
        if (partition is null) return EspErr.ESP_ERR_NOT_FOUND;
        if (partition.Type == PartitionKinds.App && !IsOtaPartition(partition)) return EspErr.ESP_ERR_INVALID_ARG;
        if (partition == GetRunningPartition()) return EspErr.ESP_ERR_OTA_PARTITION_CONFLICT;

        var operation = new Operation(++_lastHandle, partition) { NeedErase = eraseSize == WithSequentialWrites, WroteSize = imageOffset };
        _operations.Insert(0, operation);
        handle = operation.Handle;
        return EspErr.ESP_OK;
    }

    public EspErr Write(uint handle, ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) return EspErr.ESP_OK;
        var it = Find(handle);
        if (it is null) return EspErr.ESP_ERR_INVALID_ARG;

        if (it.NeedErase)
        {
            var first = it.WroteSize / 0x1000;
            var last = (it.WroteSize + (uint)data.Length - 1) / 0x1000;
            var err = EspErr.ESP_OK;
            if (it.WroteSize % 0x1000 == 0) err = Partitions.EraseRange(it.Partition, it.WroteSize, (last - first + 1) * 0x1000);
            else if (first != last) err = Partitions.EraseRange(it.Partition, (first + 1) * 0x1000, (last - first) * 0x1000);
            if (err != EspErr.ESP_OK) return err;
        }

        if (it.WroteSize == 0 && it.PartialBytes == 0 && it.Partition.Type == PartitionKinds.App && data[0] != ImageHeader.Magic)
        {
            return EspErr.ESP_ERR_OTA_VALIDATE_FAILED;
        }

        if (FlashEncryptionEnabled)
        {
            // Encrypted writes take whole 16-byte blocks; ESP-IDF keeps the tail in RAM until the next call.
            if (it.PartialBytes != 0)
            {
                var copy = Math.Min(16 - it.PartialBytes, data.Length);
                data[..copy].CopyTo(it.PartialData.AsSpan(it.PartialBytes));
                it.PartialBytes += copy;
                if (it.PartialBytes != 16) return EspErr.ESP_OK;
                var err = Partitions.Write(it.Partition, it.WroteSize, it.PartialData);
                if (err != EspErr.ESP_OK) return err;
                it.PartialBytes = 0;
                it.PartialData.AsSpan().Fill(0xFF);
                it.WroteSize += 16;
                data = data[copy..];
            }
            it.PartialBytes = data.Length % 16;
            if (it.PartialBytes != 0)
            {
                data[^it.PartialBytes..].CopyTo(it.PartialData);
                data = data[..^it.PartialBytes];
            }
        }

        var result = Partitions.Write(it.Partition, it.WroteSize, data);
        if (result == EspErr.ESP_OK) it.WroteSize += (uint)data.Length;
        return result;
    }

    public EspErr WriteWithOffset(uint handle, ReadOnlySpan<byte> data, uint offset)
    {
        var it = Find(handle);
        if (it is null) return EspErr.ESP_ERR_INVALID_ARG;
        if (it.NeedErase)
        {
            throw new DevicePanicException("assert failed: it->need_erase == 0 && \"must erase the partition before writing to it\" (esp_ota_write_with_offset on a sequential-write handle)");
        }
        if (FlashEncryptionEnabled && data.Length % 16 != 0) return EspErr.ESP_ERR_INVALID_ARG;
        var result = Partitions.Write(it.Partition, offset, data);
        if (result == EspErr.ESP_OK) it.WroteSize += (uint)data.Length;
        return result;
    }

    public EspErr Abort(uint handle)
    {
        var it = Find(handle);
        if (it is null) return EspErr.ESP_ERR_NOT_FOUND;
        _operations.Remove(it);
        return EspErr.ESP_OK;
    }

    public EspErr End(uint handle)
    {
        var it = Find(handle);
        if (it is null) return EspErr.ESP_ERR_NOT_FOUND;
        try
        {
            if (it.WroteSize == 0) return EspErr.ESP_ERR_INVALID_ARG;
            if (it.PartialBytes > 0)
            {
                if (Partitions.Write(it.Partition, it.WroteSize, it.PartialData) != EspErr.ESP_OK) return EspErr.ESP_ERR_INVALID_STATE;
                it.WroteSize += 16;
                it.PartialBytes = 0;
            }
            return VerifyWritten(it.Partition);
        }
        finally
        {
            _operations.Remove(it);
        }
    }

    /// <summary>
    /// ota_verify_partition: esp_ota_end checks what it can boot or load (app and bootloader images,
    /// a partition table); any other data partition is taken as written.
    /// </summary>
    private EspErr VerifyWritten(EspPartition partition)
    {
        switch (partition.Type)
        {
            case PartitionKinds.App:
            case PartitionKinds.Bootloader:
                LastValidation = Validate(partition);
                return LastValidation.Ok ? EspErr.ESP_OK : EspErr.ESP_ERR_OTA_VALIDATE_FAILED;
            case PartitionKinds.PartitionTable:
                var table = new byte[PartitionTableBinary.MaxLength];
                var read = Partitions.Read(partition, 0, table);
                if (read != EspErr.ESP_OK) return read;
                try
                {
                    PartitionTableBinary.Parse(table, requireMd5: true);
                    return EspErr.ESP_OK;
                }
                catch (Esp32.Errors.Esp32FormatException)
                {
                    return EspErr.ESP_ERR_OTA_VALIDATE_FAILED;
                }
            default:
                return EspErr.ESP_OK;
        }
    }

    /// <summary>Why the last <see cref="End"/> or <see cref="SetBootPartition"/> accepted or rejected the image.</summary>
    public ImageCheck? LastValidation { get; private set; }

    public EspErr SetBootPartition(EspPartition? partition)
    {
        if (partition is null) return EspErr.ESP_ERR_INVALID_ARG;
        LastValidation = Validate(partition);
        if (!LastValidation.Ok) return EspErr.ESP_ERR_OTA_VALIDATE_FAILED;
        if (partition.Type != PartitionKinds.App) return EspErr.ESP_ERR_INVALID_ARG;
        if (partition.Subtype == PartitionKinds.AppFactory)
        {
            var otadata = OtaDataPartition();
            return otadata is null ? EspErr.ESP_ERR_NOT_FOUND : Partitions.EraseRange(otadata, 0, otadata.Size);
        }
        if (_device.Config.AntiRollback)
        {
            var err = GetPartitionDescription(partition, out var description);
            if (err != EspErr.ESP_OK) return err;
            if (!_device.EFuses.CheckSecureVersion(description!.SecureVersion))
            {
                var erase = Partitions.EraseRange(partition, 0, partition.Size);
                return erase != EspErr.ESP_OK ? erase : EspErr.ESP_ERR_OTA_SMALL_SEC_VER;
            }
        }
        return RewriteOtaData(partition.Subtype);
    }

    public EspPartition GetRunningPartition() => _device.RunningPartition ?? throw new DevicePanicException("no running partition");

    public EspPartition? GetBootPartition()
    {
        var otadata = ReadOtaData(out _);
        if (otadata is null) return null;
        var count = GetAppPartitionCount();
        if ((otadata.First.IsInvalid && otadata.Second.IsInvalid) || count == 0) return FindDefaultBootPartition();
        var active = otadata.ActiveIndex;
        if (active == -1) return FindDefaultBootPartition();
        var slot = otadata[active].SlotFor(count);
        return Partitions.FindFirst(PartitionKinds.App, (byte)(PartitionKinds.AppOtaMin + slot));
    }

    public EspPartition? GetNextUpdatePartition(EspPartition? startFrom)
    {
        startFrom = startFrom is null ? GetRunningPartition() : Partitions.Verify(startFrom);
        if (startFrom is null) throw new DevicePanicException("assert failed: start_from != NULL");
        EspPartition? defaultOta = null;
        var nextIsResult = false;
        for (var slot = 0; slot < PartitionKinds.AppOtaCount; slot++)
        {
            var p = Partitions.FindFirst(PartitionKinds.App, (byte)(PartitionKinds.AppOtaMin + slot));
            if (p is null) continue;
            defaultOta ??= p;
            if (p == startFrom) nextIsResult = true;
            else if (nextIsResult) return p;
        }
        return defaultOta;
    }

    public int GetAppPartitionCount()
    {
        var count = 0;
        while (count < PartitionKinds.AppOtaCount && Partitions.FindFirst(PartitionKinds.App, (byte)(PartitionKinds.AppOtaMin + count)) is not null) count++;
        return count;
    }

    public EspErr GetPartitionDescription(EspPartition? partition, out AppDescription? description)
    {
        description = null;
        if (partition is null) return EspErr.ESP_ERR_INVALID_ARG;
        if (partition.Type != PartitionKinds.App) return EspErr.ESP_ERR_NOT_SUPPORTED;
        var raw = new byte[AppDescription.Size];
        var err = Partitions.Read(partition, AppDescription.ImageOffset, raw);
        if (err != EspErr.ESP_OK) return err;
        description = AppDescription.TryParse(raw);
        return description is null ? EspErr.ESP_ERR_NOT_FOUND : EspErr.ESP_OK;
    }

    public EspErr GetStatePartition(EspPartition? partition, out OtaImageState state)
    {
        state = OtaImageState.Undefined;
        if (partition is null) return EspErr.ESP_ERR_INVALID_ARG;
        if (!IsOtaPartition(partition)) return EspErr.ESP_ERR_NOT_SUPPORTED;
        var count = GetAppPartitionCount();
        var otadata = ReadOtaData(out _);
        if (otadata is null || count == 0) return EspErr.ESP_ERR_NOT_FOUND;
        var requested = partition.Subtype - PartitionKinds.AppOtaMin;
        for (var i = 0; i < 2; i++)
        {
            if (otadata[i].SlotFor(count) == requested && otadata[i].CrcMatches)
            {
                state = otadata[i].State;
                return EspErr.ESP_OK;
            }
        }
        return EspErr.ESP_ERR_NOT_FOUND;
    }

    public EspErr MarkAppValidCancelRollback() => CurrentOtaIsWorkable(valid: true);

    public EspErr MarkAppInvalidRollback() => CurrentOtaIsWorkable(valid: false);

    /// <summary>On success the device restarts and this call never returns (<see cref="DeviceRestartedException"/>).</summary>
    public EspErr MarkAppInvalidRollbackAndReboot()
    {
        var err = MarkAppInvalidRollback();
        if (err == EspErr.ESP_OK) _device.RestartFromApp();
        return err;
    }

    public bool CheckRollbackIsPossible()
    {
        var otadata = ReadOtaData(out _);
        if (otadata is null) return false;
        var count = GetAppPartitionCount();
        if (count == 0) return false;
        var valid = new[] { otadata.First.IsValid, otadata.Second.IsValid };
        var active = otadata.Select(valid[0], valid[1], max: true);
        if (active == -1) return false;
        var last = ~active & 1;
        if (!_device.Config.AntiRollback && !valid[last])
        {
            var factory = Partitions.FindFirst(PartitionKinds.App, PartitionKinds.AppFactory);
            if (factory is not null && Validate(factory).Ok) return true;
        }
        if (valid[last])
        {
            var slot = otadata[last].SlotFor(count);
            var partition = Partitions.FindFirst(PartitionKinds.App, (byte)(PartitionKinds.AppOtaMin + slot));
            if (partition is not null && Validate(partition).Ok)
            {
                if (!_device.Config.AntiRollback) return true;
                return GetPartitionDescription(partition, out var description) == EspErr.ESP_OK
                    && _device.EFuses.CheckSecureVersion(description!.SecureVersion);
            }
        }
        return false;
    }

    public EspPartition? GetLastInvalidPartition()
    {
        var otadata = ReadOtaData(out _);
        if (otadata is null) return null;
        bool Rejected(OtaSelectEntry e) => e.Seq != OtaSelectEntry.EmptySeq && e.CrcMatches && e.State is OtaImageState.Invalid or OtaImageState.Aborted;
        var index = otadata.Select(Rejected(otadata.First), Rejected(otadata.Second), max: false);
        var count = GetAppPartitionCount();
        if (index == -1 || count == 0) return null;
        var partition = Partitions.FindFirst(PartitionKinds.App, (byte)(PartitionKinds.AppOtaMin + otadata[index].SlotFor(count)));
        return partition is not null && !Validate(partition).Ok ? null : partition;
    }

    /// <summary><c>esp_ota_erase_last_boot_app_partition</c> (and, skipping the app erase, invalidating the inactive otadata slot).</summary>
    public EspErr EraseLastBootAppPartition(bool skipAppErase = false)
    {
        var otadata = ReadOtaData(out var otadataPartition);
        if (otadata is null) return EspErr.ESP_FAIL;
        var active = otadata.ActiveIndex;
        var count = GetAppPartitionCount();
        if (active == -1 || count == 0) return EspErr.ESP_FAIL;
        var inactive = ~active & 1;
        if (otadata[inactive].Seq == OtaSelectEntry.EmptySeq || !otadata[inactive].CrcMatches) return EspErr.ESP_FAIL;
        var last = Partitions.FindFirst(PartitionKinds.App, (byte)(PartitionKinds.AppOtaMin + otadata[inactive].SlotFor(count)));
        if (last is null || last == _device.RunningPartition) return EspErr.ESP_FAIL;
        if (!skipAppErase)
        {
            var err = Partitions.EraseRange(last, 0, last.Size);
            if (err != EspErr.ESP_OK) return err;
        }
        return Partitions.EraseRange(otadataPartition!, (uint)inactive * 0x1000, 0x1000);
    }

    /// <summary><c>esp_partition_get_sha256</c>.</summary>
    public EspErr GetPartitionSha256(EspPartition? partition, Span<byte> digest)
    {
        if (partition is null || digest.Length < 32) return EspErr.ESP_ERR_INVALID_ARG;
        if (partition.Type == PartitionKinds.App)
        {
            var check = ImageVerifier.Verify((o, d) => Partitions.Read(partition, o, d), partition.Size, _device.EFuses, secureBoot: false);
            if (!check.Ok) return EspErr.ESP_ERR_IMAGE_INVALID;
            check.Image!.Digest.CopyTo(digest);
            return EspErr.ESP_OK;
        }
        var contents = new byte[partition.Size];
        var read = Partitions.Read(partition, 0, contents);
        if (read != EspErr.ESP_OK) return read;
        SHA256.HashData(contents).CopyTo(digest);
        return EspErr.ESP_OK;
    }

    /// <summary>esp_image_verify(ESP_IMAGE_VERIFY) on a partition, in the app's configuration.</summary>
    public ImageCheck Validate(EspPartition partition) =>
        ImageVerifier.Verify((offset, destination) => Partitions.Read(partition, offset, destination), partition.Size,
            _device.EFuses, _device.Config.SecureBoot);

    private EspErr CurrentOtaIsWorkable(bool valid)
    {
        var otadata = ReadOtaData(out var otadataPartition);
        if (otadata is null) return EspErr.ESP_ERR_NOT_FOUND;
        var active = otadata.ActiveIndex;
        if (active == -1 || GetAppPartitionCount() == 0) return EspErr.ESP_FAIL; // "Running firmware is factory"
        if (valid)
        {
            if (otadata[active].State == OtaImageState.Valid) return EspErr.ESP_OK;
            var err = RewriteOtaSeq(otadata.With(active, otadata[active].WithState(OtaImageState.Valid)), otadata[active].Seq, active, otadataPartition!);
            if (err == EspErr.ESP_OK && _device.Config.AntiRollback)
            {
                err = GetPartitionDescription(GetRunningPartition(), out var description);
                if (err == EspErr.ESP_OK) _device.EFuses.UpdateSecureVersion(description!.SecureVersion);
            }
            return err;
        }
        if (!CheckRollbackIsPossible()) return EspErr.ESP_ERR_OTA_ROLLBACK_FAILED;
        return RewriteOtaSeq(otadata.With(active, otadata[active].WithState(OtaImageState.Invalid)), otadata[active].Seq, active, otadataPartition!);
    }

    private EspErr RewriteOtaData(byte subtype)
    {
        var otadata = ReadOtaData(out var otadataPartition);
        if (otadata is null) return EspErr.ESP_ERR_NOT_FOUND;
        var count = GetAppPartitionCount();
        var target = subtype & 0x0F;
        if (target >= count) return EspErr.ESP_ERR_INVALID_ARG;
        var active = otadata.ActiveIndex;
        int next;
        uint seq;
        if (active != -1)
        {
            if (_device.Config.EspIdf == EspIdfRelease.V6_0 && otadata[active].SlotFor(count) == target)
            {
                // v6.0 only: the active entry already selects the slot; rewrite its state in place.
                next = active;
                seq = otadata[active].Seq;
            }
            else
            {
                // v5.5 always writes the inactive entry, whatever it held (possibly the running app's).
                next = ~active & 1;
                seq = OtaDataSectors.SeqForSlot(otadata[active].Seq, target, count)
                    ?? throw new DeviceHangException(
                        $"esp_ota_set_boot_partition never returns: its seq search from 0x{otadata[active].Seq:X8} for ota_{target} of {count} slots loops forever");
            }
        }
        else
        {
            next = 0;
            seq = (uint)target + 1;
        }
        var state = _device.Config.AppRollback ? OtaImageState.New : OtaImageState.Undefined;
        return RewriteOtaSeq(otadata.With(next, otadata[next].WithState(state)), seq, next, otadataPartition!);
    }

    /// <summary>rewrite_ota_seq: new seq and CRC into one entry; erase its sector; write it through the encrypted path.</summary>
    private EspErr RewriteOtaSeq(OtaDataSectors otadata, uint seq, int index, EspPartition otadataPartition)
    {
        var entry = otadata[index] with { Seq = seq, Crc = OtaSelectEntry.CrcOf(seq) };
        var err = Partitions.EraseRange(otadataPartition, (uint)index * 0x1000, 0x1000);
        return err != EspErr.ESP_OK ? err : Partitions.Write(otadataPartition, (uint)index * 0x1000, entry.ToBytes());
    }

    private EspPartition? OtaDataPartition() => Partitions.FindFirst(PartitionKinds.Data, PartitionKinds.DataOta);

    /// <summary>read_otadata: both entries, through esp_partition_mmap (decrypted when otadata is encrypted).</summary>
    private OtaDataSectors? ReadOtaData(out EspPartition? otadataPartition)
    {
        otadataPartition = OtaDataPartition();
        if (otadataPartition is null) return null;
        var first = new byte[OtaSelectEntry.Size];
        var second = new byte[OtaSelectEntry.Size];
        if (Partitions.Read(otadataPartition, 0, first) != EspErr.ESP_OK) return null;
        if (Partitions.Read(otadataPartition, 0x1000, second) != EspErr.ESP_OK) return null;
        return new OtaDataSectors(OtaSelectEntry.Parse(first), OtaSelectEntry.Parse(second));
    }

    private EspPartition? FindDefaultBootPartition()
    {
        var factory = Partitions.FindFirst(PartitionKinds.App, PartitionKinds.AppFactory);
        if (factory is not null) return factory;
        for (var slot = 0; slot < PartitionKinds.AppOtaCount; slot++)
        {
            if (Partitions.FindFirst(PartitionKinds.App, (byte)(PartitionKinds.AppOtaMin + slot)) is { } ota) return ota;
        }
        return Partitions.FindFirst(PartitionKinds.App, PartitionKinds.AppTest);
    }

    private static bool IsOtaPartition(EspPartition? p) => p is not null && p.Entry.IsOtaApp;

    private Operation? Find(uint handle) => _operations.FirstOrDefault(o => o.Handle == handle);

    private static uint AlignUp(uint value, uint alignment) => (uint)(((ulong)value + alignment - 1) & ~((ulong)alignment - 1));

    /// <summary>ota_ops_entry_t. partial_data starts zeroed (calloc) and is refilled with 0xFF after each flush.</summary>
    private sealed class Operation(uint handle, EspPartition partition)
    {
        public uint Handle { get; } = handle;
        public EspPartition Partition { get; } = partition;
        public bool NeedErase { get; init; }
        public uint WroteSize { get; set; }
        public int PartialBytes { get; set; }
        public byte[] PartialData { get; } = new byte[16];
    }
}
