using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using NfOta.Emulator.Device;
using NfOta.Esp32.Images;

namespace NfOta.NativeHost;

/// <summary>
/// The ESP-IDF functions nf_ota calls, served by the attached <see cref="VirtualEsp32"/>. Every
/// callback catches everything: an exception must never cross into C. When the chip stops
/// inside a call (restart, power cut, panic) the exception is kept for the managed caller and
/// the C side is told to abandon its stack, as the chip would.
/// </summary>
internal static unsafe class EmulatedEspIdf
{
    /// <summary>What the C side reads as "the chip stopped here" (NF_OTA_HOST_UNWIND).</summary>
    private const int Unwind = int.MinValue;

    private static VirtualEsp32? s_device;
    private static Exception? s_pending;

    public static VirtualEsp32? Device
    {
        get => s_device;
        set
        {
            s_device = value;
            s_pending = null;
        }
    }

    /// <summary>The exception that ended the last unwound call; handed over once.</summary>
    public static Exception? TakePending()
    {
        var pending = s_pending;
        s_pending = null;
        return pending;
    }

    public static HostCallbacks Table() => new()
    {
        BootCount = &BootCount,
        PartitionCount = &PartitionCount,
        PartitionGet = &PartitionGet,
        PartitionRead = &PartitionRead,
        PartitionGetSha256 = &PartitionGetSha256,
        OtaBegin = &OtaBegin,
        OtaWrite = &OtaWrite,
        OtaWriteWithOffset = &OtaWriteWithOffset,
        OtaEnd = &OtaEnd,
        OtaAbort = &OtaAbort,
        OtaSetBootPartition = &OtaSetBootPartition,
        OtaGetBootPartition = &OtaGetBootPartition,
        OtaGetRunningPartition = &OtaGetRunningPartition,
        OtaGetNextUpdatePartition = &OtaGetNextUpdatePartition,
        OtaGetPartitionDescription = &OtaGetPartitionDescription,
        OtaMarkAppValidCancelRollback = &OtaMarkAppValidCancelRollback,
        OtaMarkAppInvalidRollbackAndReboot = &OtaMarkAppInvalidRollbackAndReboot,
        OtaGetLastInvalidPartition = &OtaGetLastInvalidPartition,
        OtaGetStatePartition = &OtaGetStatePartition,
        OtaCheckRollbackIsPossible = &OtaCheckRollbackIsPossible,
        AppGetDescription = &AppGetDescription,
        FlashEncryptionMode = &FlashEncryptionMode,
        SecureBootEnabled = &SecureBootEnabled,
        EfuseReadSecureVersion = &EfuseReadSecureVersion,
        Restart = &Restart,
        ChipId = &ChipId,
        UptimeUs = &UptimeUs,
        PartitionWrite = &PartitionWrite,
        PartitionEraseRange = &PartitionEraseRange,
        NativeTable = &NativeTable,
        OtaResume = &OtaResume,
        PartitionReadRaw = &PartitionReadRaw,
    };

    private static VirtualEsp32 Running =>
        s_device is { IsRunning: true } device
            ? device
            : throw new InvalidOperationException("the emulated device is not running an app (power it on and boot first)");

    private static EspOta Ota => Running.Ota!;

    private static PartitionApi Partitions => Running.Partitions!;

    private static EspPartition? At(int index) => index >= 0 && index < Partitions.All.Count ? Partitions.All[index] : null;

    private static int IndexOf(EspPartition? partition) => partition?.Index ?? -1;

    private static int Stop(Exception e)
    {
        s_pending = e;
        return Unwind;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int BootCount()
    {
        try { return (s_device ?? throw new InvalidOperationException("no device")).Boots.Count; }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PartitionCount()
    {
        try { return Partitions.All.Count; }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PartitionGet(int index, HostPartition* output)
    {
        try
        {
            var partition = At(index) ?? throw new ArgumentOutOfRangeException(nameof(index));
            output->Address = partition.Address;
            output->Size = partition.Size;
            output->EraseSize = 0x1000;
            output->Type = partition.Type;
            output->Subtype = partition.Subtype;
            output->Encrypted = partition.Encrypted ? 1 : 0;
            output->ReadOnly = partition.ReadOnly ? 1 : 0;
            var label = new Span<byte>(output->Label, 20);
            label.Clear();
            System.Text.Encoding.ASCII.GetBytes(partition.Label.AsSpan(0, Math.Min(16, partition.Label.Length)), label);
            return 0;
        }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PartitionRead(int index, uint offset, byte* destination, uint size)
    {
        try
        {
            var partition = At(index);
            return partition is null ? (int)EspErr.ESP_ERR_INVALID_ARG : (int)Partitions.Read(partition, offset, new Span<byte>(destination, checked((int)size)));
        }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OtaResume(int index, uint eraseSize, uint imageOffset, uint* handle)
    {
        try
        {
            var err = Ota.Resume(At(index), eraseSize, imageOffset, out var h);
            *handle = h;
            return (int)err;
        }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PartitionReadRaw(int index, uint offset, byte* destination, uint size)
    {
        try
        {
            var partition = At(index);
            return partition is null ? (int)EspErr.ESP_ERR_INVALID_ARG : (int)Partitions.ReadRaw(partition, offset, new Span<byte>(destination, checked((int)size)));
        }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PartitionWrite(int index, uint offset, byte* source, uint size)
    {
        try
        {
            var partition = At(index);
            return partition is null ? (int)EspErr.ESP_ERR_INVALID_ARG : (int)Partitions.Write(partition, offset, new ReadOnlySpan<byte>(source, checked((int)size)));
        }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PartitionEraseRange(int index, uint offset, uint size)
    {
        try
        {
            var partition = At(index);
            return partition is null ? (int)EspErr.ESP_ERR_INVALID_ARG : (int)Partitions.EraseRange(partition, offset, size);
        }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int NativeTable(byte* buffer, uint size)
    {
        try
        {
            var record = Running.NativeAssemblies?.ToRecord() ?? [];
            record.AsSpan(0, (int)Math.Min(size, (uint)record.Length)).CopyTo(new Span<byte>(buffer, checked((int)size)));
            return record.Length;
        }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int PartitionGetSha256(int index, byte* digest)
    {
        try { return (int)Ota.GetPartitionSha256(At(index), new Span<byte>(digest, 32)); }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OtaBegin(int index, uint imageSize, uint* handle)
    {
        try
        {
            var err = Ota.Begin(At(index), imageSize, out var opened);
            *handle = opened;
            return (int)err;
        }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OtaWrite(uint handle, byte* data, uint size)
    {
        try { return (int)Ota.Write(handle, new ReadOnlySpan<byte>(data, checked((int)size))); }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OtaWriteWithOffset(uint handle, byte* data, uint size, uint offset)
    {
        try { return (int)Ota.WriteWithOffset(handle, new ReadOnlySpan<byte>(data, checked((int)size)), offset); }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OtaEnd(uint handle)
    {
        try { return (int)Ota.End(handle); }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OtaAbort(uint handle)
    {
        try { return (int)Ota.Abort(handle); }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OtaSetBootPartition(int index)
    {
        try { return (int)Ota.SetBootPartition(At(index)); }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OtaGetBootPartition()
    {
        try { return IndexOf(Ota.GetBootPartition()); }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OtaGetRunningPartition()
    {
        try { return IndexOf(Ota.GetRunningPartition()); }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OtaGetNextUpdatePartition(int startFrom)
    {
        try { return IndexOf(Ota.GetNextUpdatePartition(At(startFrom))); }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OtaGetPartitionDescription(int index, byte* description)
    {
        try
        {
            var partition = At(index);
            var err = Ota.GetPartitionDescription(partition, out _);
            if (err != EspErr.ESP_OK) return (int)err;
            // ESP-IDF copies the raw esp_app_desc_t out of flash, reserved bytes and all.
            return (int)Partitions.Read(partition!, AppDescription.ImageOffset, new Span<byte>(description, AppDescription.Size));
        }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OtaMarkAppValidCancelRollback()
    {
        try { return (int)Ota.MarkAppValidCancelRollback(); }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OtaMarkAppInvalidRollbackAndReboot()
    {
        try { return (int)Ota.MarkAppInvalidRollbackAndReboot(); }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OtaGetLastInvalidPartition()
    {
        try { return IndexOf(Ota.GetLastInvalidPartition()); }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OtaGetStatePartition(int index, uint* state)
    {
        try
        {
            var err = Ota.GetStatePartition(At(index), out var value);
            *state = (uint)value;
            return (int)err;
        }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OtaCheckRollbackIsPossible()
    {
        try { return Ota.CheckRollbackIsPossible() ? 1 : 0; }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int AppGetDescription(byte* description)
    {
        try
        {
            // The running app's own copy (in RAM on the chip) is the one in its partition.
            var running = Ota.GetRunningPartition();
            return (int)Partitions.Read(running, AppDescription.ImageOffset, new Span<byte>(description, AppDescription.Size));
        }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int FlashEncryptionMode()
    {
        try
        {
            var fuses = Running.EFuses;
            return !fuses.FlashEncryptionEnabled ? 0 : fuses.FlashEncryptionMode == Emulator.Device.FlashEncryptionMode.Release ? 2 : 1;
        }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int SecureBootEnabled()
    {
        try { return Running.EFuses.SecureBootEnabled ? 1 : 0; }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int EfuseReadSecureVersion()
    {
        try { return (int)Running.EFuses.SecureVersion; }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int ChipId()
    {
        try { return Running.Chip.ChipId; }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Restart()
    {
        try
        {
            Running.RestartFromApp();
            return Stop(new InvalidOperationException("esp_restart returned"));
        }
        catch (Exception e) { return Stop(e); }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int UptimeUs(long* output)
    {
        try
        {
            *output = (long)Running.Uptime.TotalMicroseconds;
            return 0;
        }
        catch (Exception e) { return Stop(e); }
    }
}
