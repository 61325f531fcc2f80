using NfOta.Emulator.Boot;
using NfOta.Emulator.Device;
using NfOta.Esp32.FlashEncryption;
using NfOta.Esp32.OtaData;

namespace NfOta.Emulator.Inspection;

/// <summary>
/// A flash dump seen the way the bootloader sees flash. Writes the bootloader would make
/// (otadata state changes) go to a private copy, never to the dump, and are remembered.
/// </summary>
internal sealed class DumpMedia(byte[] dump, IFlashCipher? cipher, EFuses efuses, DeviceConfig config) : IBootMedia
{
    private readonly byte[] _flash = (byte[])dump.Clone();

    public EFuses EFuses { get; } = efuses;

    public DeviceConfig Config { get; } = config;

    public List<string> Writes { get; } = [];

    public EspErr Read(uint address, Span<byte> destination)
    {
        if ((ulong)address + (ulong)destination.Length > (ulong)_flash.Length) return EspErr.ESP_ERR_INVALID_SIZE;
        if (cipher is null)
        {
            _flash.AsSpan((int)address, destination.Length).CopyTo(destination);
            return EspErr.ESP_OK;
        }
        var start = address & ~15u;
        var end = (uint)Math.Min((ulong)_flash.Length, ((ulong)address + (ulong)destination.Length + 15) & ~15UL);
        var buffer = _flash.AsSpan((int)start, (int)(end - start)).ToArray();
        cipher.Decrypt(buffer, buffer, start);
        buffer.AsSpan((int)(address - start), destination.Length).CopyTo(destination);
        return EspErr.ESP_OK;
    }

    public void WriteOtadataEntry(uint sectorAddress, OtaSelectEntry entry)
    {
        Writes.Add($"would write otadata at 0x{sectorAddress:X}: {entry}");
        var sector = new byte[0x1000];
        sector.AsSpan().Fill(0xFF);
        entry.WriteTo(sector);
        if (cipher is not null) cipher.Encrypt(sector, sector, sectorAddress);
        sector.CopyTo(_flash, (int)sectorAddress);
    }
}
