using NfOta.Emulator.Boot;
using NfOta.Emulator.Flash;
using NfOta.Esp32.Chips;
using NfOta.Esp32.OtaData;
using NfOta.Esp32.Partitions;
using NfOta.NanoFramework;

namespace NfOta.Emulator.Device;

/// <summary>
/// A virtual ESP32-family board running ESP-IDF: NOR flash, eFuses, the flash encryption engine,
/// the second-stage bootloader and, once booted, the running app's view of partitions and the
/// OTA API. Power it on, use <see cref="Ota"/> like esp_ota_*, restart or cut power, boot again.
/// </summary>
public sealed class VirtualEsp32 : IBootMedia
{
    private readonly List<BootReport> _boots = [];

    public VirtualEsp32(EspChip chip, DeviceConfig? config = null, int flashSize = 4 << 20, FlashTiming? timing = null, int? chipRevision = null)
    {
        Chip = chip;
        Config = config ?? new DeviceConfig();
        Flash = new NorFlash(flashSize, timing);
        EFuses = new EFuses(chip, chipRevision);
        Driver = new FlashDriver(Flash, EFuses);
    }

    private VirtualEsp32(VirtualEsp32 original)
    {
        Chip = original.Chip;
        Config = original.Config;
        Flash = original.Flash.Copy();
        EFuses = original.EFuses.Copy();
        Driver = new FlashDriver(Flash, EFuses);
    }

    /// <summary>
    /// Another board with this one's flash and eFuses, powered off: what this board would be after
    /// a power cut, without touching it. Cheap (flash pages are shared copy-on-write), so a test
    /// provisions once and copies per run.
    /// </summary>
    public VirtualEsp32 PoweredOffCopy() => new(this);

    public EspChip Chip { get; }

    public DeviceConfig Config { get; }

    public NorFlash Flash { get; }

    public EFuses EFuses { get; }

    public FlashDriver Driver { get; }

    /// <summary>The running app's partition API; null until the device has booted an app.</summary>
    public PartitionApi? Partitions { get; private set; }

    /// <summary>The OTA API of the running app; null until booted. A new instance after every boot (RAM is lost).</summary>
    public EspOta? Ota { get; private set; }

    public EspPartition? RunningPartition { get; private set; }

    public bool IsRunning => RunningPartition is not null;

    /// <summary>The running firmware's native assembly table (nanoCLR's interop table); null when its image carries none.</summary>
    public NativeAssemblyTable? NativeAssemblies { get; private set; }

    /// <summary>
    /// What the emulated nanoCLR did after this boot: the paired deploy partition it mapped, the
    /// assemblies it loaded, and why the app would not start. Null when the firmware carries no
    /// native table (not a nanoFramework firmware: the tests' plain ESP-IDF images).
    /// </summary>
    public AppStartReport? App { get; private set; }

    /// <summary>
    /// Time since the running app booted (esp_timer_get_time). It moves only through
    /// <see cref="AdvanceTime"/>, so tests decide when timers come due; a boot starts it at zero.
    /// </summary>
    public TimeSpan Uptime { get; private set; }

    /// <summary>Let time pass on the running board. Timers are the running firmware's (NfOta.NativeHost fires them).</summary>
    public void AdvanceTime(TimeSpan time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(time, TimeSpan.Zero);
        if (!IsRunning) throw new InvalidOperationException("the device is not running an app (power it on first)");
        Uptime += time;
    }

    public BootReport? LastBoot => _boots.Count == 0 ? null : _boots[^1];

    /// <summary>Every boot since creation, including the reset after first-boot encryption.</summary>
    public IReadOnlyList<BootReport> Boots => _boots;

    /// <summary>Power on (again, after a cut): run the bootloader and, if an app boots, bring up its APIs.</summary>
    public BootReport PowerOn()
    {
        Flash.PowerOn();
        return Reset();
    }

    /// <summary>esp_restart from outside the app (a watchdog, a button).</summary>
    public BootReport Restart()
    {
        EnsurePowered();
        return Reset();
    }

    /// <summary>esp_restart called by the app: the call never returns.</summary>
    public void RestartFromApp() => throw new DeviceRestartedException(Restart());

    private BootReport Reset()
    {
        Partitions = null;
        Ota = null;
        RunningPartition = null;
        NativeAssemblies = null;
        App = null;
        Uptime = TimeSpan.Zero;
        while (true)
        {
            var report = Bootloader.Boot(this);
            if (report.Booted && Config.FlashEncryption && !EFuses.FlashEncryptionEnabled && EFuses.FlashEncryptionKey is not null)
            {
                var steps = FirstBootEncryption.Run(this);
                _boots.Add(report with { Log = [.. report.Log, .. steps], Reason = report.Reason + "; then encrypted flash and reset" });
                continue;
            }
            _boots.Add(report);
            if (report.Booted)
            {
                var table = ReadTableAsApp();
                Partitions = new PartitionApi(Driver, table, EFuses.FlashEncryptionEnabled);
                RunningPartition = Partitions.At(report.Partition!.Offset);
                Ota = new EspOta(this);
                StartNanoClr();
            }
            return report;
        }
    }

    /// <summary>
    /// nanoCLR's part of the boot. The native table is looked for in the image's first segment
    /// (where the synthetic firmware puts its read-only data), so a boot reads kilobytes, not the slot.
    /// </summary>
    private void StartNanoClr()
    {
        var running = RunningPartition!;
        Span<byte> head = stackalloc byte[24 + 8];
        if (Partitions!.Read(running, 0, head) != EspErr.ESP_OK || head[0] != 0xE9 || head[1] == 0) return;
        var length = (int)Math.Min(System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(head[28..]), running.Size - 32u);
        var segment = new byte[length];
        if (Partitions.Read(running, 32, segment) != EspErr.ESP_OK) return;
        NativeAssemblies = NativeAssemblyTable.FindIn(segment);
        App = NanoClr.Start(Partitions, running, NativeAssemblies);
    }

    /// <summary>The partition table as the app loads it (esp_partition_find's first call).</summary>
    private PartitionTable ReadTableAsApp()
    {
        var raw = new byte[PartitionTableBinary.MaxLength];
        ((IBootMedia)this).Read(Config.PartitionTableOffset, raw);
        return PartitionTableBinary.Parse(raw);
    }

    EspErr IBootMedia.Read(uint address, Span<byte> destination) =>
        EFuses.FlashEncryptionEnabled ? Driver.ReadDecrypted(address, destination) : Driver.Read(address, destination);

    void IBootMedia.WriteOtadataEntry(uint sectorAddress, OtaSelectEntry entry)
    {
        Driver.EraseRegion(sectorAddress, FlashTiming.SectorSize);
        var bytes = entry.ToBytes();
        if (EFuses.FlashEncryptionEnabled) Driver.WriteEncrypted(sectorAddress, bytes);
        else Driver.Write(sectorAddress, bytes);
    }

    private void EnsurePowered()
    {
        if (!Flash.Powered) throw new InvalidOperationException("the device is powered off; call PowerOn");
    }
}
