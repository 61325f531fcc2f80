using NfOta.Emulator.Device;
using NfOta.Esp32.OtaData;

namespace NfOta.Emulator.Boot;

/// <summary>What the second-stage bootloader can touch: flash (through decryption when on) and eFuses.</summary>
public interface IBootMedia
{
    EFuses EFuses { get; }

    DeviceConfig Config { get; }

    /// <summary><c>bootloader_flash_read(..., allow_decrypt=true)</c>: decrypted when flash encryption is on.</summary>
    EspErr Read(uint address, Span<byte> destination);

    /// <summary><c>write_otadata</c>: erase the sector, write the entry (encrypted when flash encryption is on).</summary>
    void WriteOtadataEntry(uint sectorAddress, OtaSelectEntry entry);
}
