using NfOta.Emulator.Flash;
using NfOta.Esp32.Chips;
using NfOta.Esp32.FlashEncryption;

namespace NfOta.Emulator.Device;

/// <summary>
/// ESP-IDF's <c>esp_flash_*</c> layer over the NOR chip: plain reads and writes split into page
/// programs, reads through the cache's transparent decryption, encrypted writes through the
/// encryption engine in rows (esp_flash_api.c <c>esp_flash_write_encrypted</c>), and region
/// erases with 64 KiB blocks where aligned.
/// </summary>
public sealed class FlashDriver
{
    private readonly NorFlash _flash;
    private readonly EFuses _efuses;
    private IFlashCipher? _cipher;

    public FlashDriver(NorFlash flash, EFuses efuses)
    {
        _flash = flash;
        _efuses = efuses;
    }

    public NorFlash Chip => _flash;

    /// <summary>Every write request, and whether it went through the encryption engine: the audit trail for "no plaintext in encrypted regions".</summary>
    public IReadOnlyList<WriteRecord> Writes => _writes;

    private readonly List<WriteRecord> _writes = [];

    public void ClearWrites() => _writes.Clear();

    public EspChip EspChip => _efuses.Chip;

    /// <summary>Encrypted access uses the eFuse key whenever one is burnt, as the hardware does.</summary>
    private IFlashCipher Cipher
    {
        get
        {
            if (_cipher is null)
            {
                var key = _efuses.FlashEncryptionKey ?? throw new InvalidOperationException("no flash encryption key is burnt in eFuse");
                _cipher = FlashCipher.Create(_efuses.Chip, key, _efuses.FlashCryptConfig);
            }
            return _cipher;
        }
    }

    /// <summary><c>esp_flash_read</c>: raw cells.</summary>
    public EspErr Read(uint address, Span<byte> destination)
    {
        if ((ulong)address + (ulong)destination.Length > (ulong)_flash.Size) return EspErr.ESP_ERR_INVALID_ARG;
        _flash.Read(address, destination);
        return EspErr.ESP_OK;
    }

    /// <summary>
    /// <c>esp_flash_read_encrypted</c> / mmap: what the CPU sees through the flash cache with
    /// encryption on. Works for any range; the engine decrypts whole 16-byte blocks.
    /// </summary>
    public EspErr ReadDecrypted(uint address, Span<byte> destination)
    {
        if ((ulong)address + (ulong)destination.Length > (ulong)_flash.Size) return EspErr.ESP_ERR_INVALID_SIZE;
        if (destination.Length == 0) return EspErr.ESP_OK;
        var start = address & ~15u;
        var end = (uint)(((ulong)address + (ulong)destination.Length + 15) & ~15UL);
        var buffer = new byte[end - start];
        _flash.Read(start, buffer);
        Cipher.Decrypt(buffer, buffer, start);
        buffer.AsSpan((int)(address - start), destination.Length).CopyTo(destination);
        return EspErr.ESP_OK;
    }

    /// <summary><c>esp_flash_write</c>: plaintext, one program command per page piece.</summary>
    public EspErr Write(uint address, ReadOnlySpan<byte> data)
    {
        if ((ulong)address + (ulong)data.Length > (ulong)_flash.Size) return EspErr.ESP_ERR_INVALID_ARG;
        _writes.Add(new WriteRecord(address, data.Length, Encrypted: false));
        ProgramPages(address, data);
        return EspErr.ESP_OK;
    }

    /// <summary>
    /// <c>esp_flash_write_encrypted</c>: address and length multiples of 16. On ESP32 the engine
    /// writes 32-byte rows whose two blocks share a key; a lone 16-byte block is written by
    /// decrypting its neighbour from flash and re-encrypting it, which reprograms the same bits.
    /// Later chips write 64-, 32- or 16-byte rows.
    /// </summary>
    public EspErr WriteEncrypted(uint address, ReadOnlySpan<byte> data)
    {
        if ((ulong)address + (ulong)data.Length > (ulong)_flash.Size) return EspErr.ESP_ERR_INVALID_ARG;
        if (address % 16 != 0) return EspErr.ESP_ERR_INVALID_ARG;
        if (data.Length == 0) return EspErr.ESP_OK;
        if (data.Length % 16 != 0) return EspErr.ESP_ERR_INVALID_SIZE;
        _writes.Add(new WriteRecord(address, data.Length, Encrypted: true));
        Span<byte> row = stackalloc byte[64];
        var maxRow = EspChip.EncryptedWriteMaxRow;
        for (var i = 0; i < data.Length;)
        {
            var rowAddress = address + (uint)i;
            int consumed;
            int rowSize;
            if (EspChip.Encryption == FlashEncryptionScheme.Esp32AesTweak)
            {
                rowSize = 32;
                if (i == 0 && rowAddress % 32 != 0)
                {
                    rowAddress -= 16;
                    data.Slice(i, 16).CopyTo(row[16..]);
                    var err = ReadDecrypted(rowAddress, row[..16]);
                    if (err != EspErr.ESP_OK) return err;
                    consumed = 16;
                }
                else if (data.Length - i == 16)
                {
                    data.Slice(i, 16).CopyTo(row);
                    var err = ReadDecrypted(rowAddress + 16, row.Slice(16, 16));
                    if (err != EspErr.ESP_OK) return err;
                    consumed = 16;
                }
                else
                {
                    data.Slice(i, 32).CopyTo(row);
                    consumed = 32;
                }
            }
            else
            {
                rowSize = maxRow == 64 && rowAddress % 64 == 0 && data.Length - i >= 64 ? 64
                    : rowAddress % 32 == 0 && data.Length - i >= 32 ? 32
                    : 16;
                data.Slice(i, rowSize).CopyTo(row);
                consumed = rowSize;
            }
            Cipher.Encrypt(row[..rowSize], row[..rowSize], rowAddress);
            ProgramPages(rowAddress, row[..rowSize]);
            i += consumed;
        }
        return EspErr.ESP_OK;
    }

    /// <summary><c>esp_flash_erase_region</c>: sector aligned; 64 KiB block erases where the range allows.</summary>
    public EspErr EraseRegion(uint address, uint length)
    {
        if (address % FlashTiming.SectorSize != 0 || length % FlashTiming.SectorSize != 0) return EspErr.ESP_ERR_INVALID_ARG;
        if ((ulong)address + length > (ulong)_flash.Size) return EspErr.ESP_ERR_INVALID_ARG;
        while (length > 0)
        {
            if (address % FlashTiming.BlockSize == 0 && length >= FlashTiming.BlockSize)
            {
                _flash.EraseBlock(address);
                address += FlashTiming.BlockSize;
                length -= FlashTiming.BlockSize;
            }
            else
            {
                _flash.EraseSector(address);
                address += FlashTiming.SectorSize;
                length -= FlashTiming.SectorSize;
            }
        }
        return EspErr.ESP_OK;
    }

    /// <summary>Forget the cached cipher (after the key eFuse changes).</summary>
    internal void ResetCipher()
    {
        _cipher?.Dispose();
        _cipher = null;
    }

    private void ProgramPages(uint address, ReadOnlySpan<byte> data)
    {
        var offset = 0;
        while (offset < data.Length)
        {
            var pageRoom = FlashTiming.PageSize - (int)((address + (uint)offset) % FlashTiming.PageSize);
            var chunk = Math.Min(pageRoom, data.Length - offset);
            _flash.Program(address + (uint)offset, data.Slice(offset, chunk));
            offset += chunk;
        }
    }

    /// <summary>One write request: where, how long, and whether the engine encrypted it.</summary>
    public readonly record struct WriteRecord(uint Address, int Length, bool Encrypted);
}
