namespace NfOta.NanoFramework;

/// <summary>
/// The CRC-32 nanoFramework uses everywhere (SUPPORT_ComputeCRC): for native checksums and for a
/// .pe's header and assembly CRCs. Polynomial 0x04C11DB7, MSB first, no reflection and no final
/// XOR, seeded by the caller (a running value, or 0).
/// </summary>
public static class NanoCrc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data, uint seed)
    {
        var crc = seed;
        foreach (var b in data)
        {
            crc = Table[((crc >> 24) ^ b) & 0xFF] ^ (crc << 8);
        }
        return crc;
    }

    public static uint Compute(string ascii, uint seed) => Compute(System.Text.Encoding.ASCII.GetBytes(ascii), seed);

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i << 24;
            for (var bit = 0; bit < 8; bit++)
            {
                c = (c & 0x80000000) != 0 ? (c << 1) ^ 0x04C11DB7 : c << 1;
            }
            table[i] = c;
        }
        return table;
    }
}
