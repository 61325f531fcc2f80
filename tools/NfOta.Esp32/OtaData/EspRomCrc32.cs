namespace NfOta.Esp32.OtaData;

/// <summary>
/// The ROM's <c>esp_rom_crc32_le(crc, buf, len)</c>: reflected CRC-32 (polynomial 0xEDB88320)
/// that inverts the running value on entry and exit. <c>Le(0, data)</c> is the zlib CRC-32;
/// otadata uses <c>Le(0xFFFFFFFF, seq)</c>, which is Python's <c>binascii.crc32(seq, 0xFFFFFFFF)</c>.
/// </summary>
public static class EspRomCrc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Le(uint crc, ReadOnlySpan<byte> data)
    {
        crc = ~crc;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
