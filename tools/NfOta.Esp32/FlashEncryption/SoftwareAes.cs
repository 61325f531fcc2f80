using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace NfOta.Esp32.FlashEncryption;

/// <summary>
/// AES in plain C# (FIPS-197, table-driven), for machines with neither AES-NI nor the ARMv8
/// AES instructions. .NET's AES API is no use there for the classic ESP32 scheme: it would be
/// re-keyed every 32 bytes, and re-keying costs far more than the AES itself. Words are big
/// endian (byte 0 of a column is the most significant byte), as in FIPS-197's pseudocode.
/// </summary>
/// <remarks>
/// Table lookups depend on key and data, so this is not constant-time against an attacker who
/// shares the CPU cache. It only runs where the machine offers nothing better.
/// </remarks>
internal static class SoftwareAes
{
    private static readonly byte[] SBox = new byte[256];
    private static readonly byte[] InverseSBox = new byte[256];

    // Round tables: Te0[x] is the MixColumns column of S[x]; Te1..3 are its byte rotations. Td for decryption.
    private static readonly uint[] Te0 = new uint[256], Te1 = new uint[256], Te2 = new uint[256], Te3 = new uint[256];
    private static readonly uint[] Td0 = new uint[256], Td1 = new uint[256], Td2 = new uint[256], Td3 = new uint[256];

    static SoftwareAes()
    {
        for (var x = 0; x < 256; x++)
        {
            // S-box: multiplicative inverse in GF(2^8) (x^254), then the affine map.
            var inverse = x == 0 ? 0 : Power((byte)x, 254);
            var s = inverse ^ Rotate(inverse, 1) ^ Rotate(inverse, 2) ^ Rotate(inverse, 3) ^ Rotate(inverse, 4) ^ 0x63;
            SBox[x] = (byte)s;
            InverseSBox[s] = (byte)x;
        }
        for (var x = 0; x < 256; x++)
        {
            var s = SBox[x];
            var e = (uint)Multiply(s, 2) << 24 | (uint)s << 16 | (uint)s << 8 | Multiply(s, 3);
            var i = InverseSBox[x];
            var d = (uint)Multiply(i, 14) << 24 | (uint)Multiply(i, 9) << 16 | (uint)Multiply(i, 13) << 8 | Multiply(i, 11);
            Te0[x] = e; Te1[x] = BitOperations.RotateRight(e, 8); Te2[x] = BitOperations.RotateRight(e, 16); Te3[x] = BitOperations.RotateRight(e, 24);
            Td0[x] = d; Td1[x] = BitOperations.RotateRight(d, 8); Td2[x] = BitOperations.RotateRight(d, 16); Td3[x] = BitOperations.RotateRight(d, 24);
        }
    }

    private static int Rotate(int b, int n) => ((b << n) | (b >> (8 - n))) & 0xFF;

    /// <summary>Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1.</summary>
    private static byte Multiply(byte a, int b)
    {
        var result = 0;
        var x = (int)a;
        for (; b != 0; b >>= 1)
        {
            if ((b & 1) != 0) result ^= x;
            x = (x << 1) ^ ((x & 0x80) != 0 ? 0x11B : 0);
        }
        return (byte)result;
    }

    private static int Power(byte a, int n)
    {
        var result = (byte)1;
        for (var i = 0; i < n; i++) result = Multiply(result, a);
        return result;
    }

    public const int Rounds256 = 14;

    /// <summary>AES-256 key expansion into 60 words.</summary>
    public static void ExpandKey256(ReadOnlySpan<byte> key, Span<uint> w)
    {
        for (var i = 0; i < 8; i++) w[i] = BinaryPrimitives.ReadUInt32BigEndian(key[(4 * i)..]);
        uint rcon = 1;
        for (var i = 8; i < 60; i++)
        {
            var t = w[i - 1];
            if (i % 8 == 0)
            {
                t = SubWord(BitOperations.RotateLeft(t, 8)) ^ (rcon << 24);
                rcon = Multiply((byte)rcon, 2);
            }
            else if (i % 8 == 4)
            {
                t = SubWord(t);
            }
            w[i] = w[i - 8] ^ t;
        }
    }

    /// <summary>The equivalent inverse cipher's keys: reversed round order, InvMixColumns on the inner ones.</summary>
    public static void InvertKeys(ReadOnlySpan<uint> w, Span<uint> d, int rounds)
    {
        for (var r = 0; r <= rounds; r++)
        {
            for (var c = 0; c < 4; c++)
            {
                var k = w[4 * (rounds - r) + c];
                d[4 * r + c] = r == 0 || r == rounds ? k
                    : Td0[SBox[k >> 24]] ^ Td1[SBox[(byte)(k >> 16)]] ^ Td2[SBox[(byte)(k >> 8)]] ^ Td3[SBox[(byte)k]];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint SubWord(uint w) =>
        (uint)SBox[w >> 24] << 24 | (uint)SBox[(byte)(w >> 16)] << 16 | (uint)SBox[(byte)(w >> 8)] << 8 | SBox[(byte)w];

    /// <summary>Encrypts one block held as four big-endian columns.</summary>
    public static void Encrypt(ReadOnlySpan<uint> w, int rounds, ref uint s0, ref uint s1, ref uint s2, ref uint s3)
    {
        s0 ^= w[0]; s1 ^= w[1]; s2 ^= w[2]; s3 ^= w[3];
        for (var r = 1; r < rounds; r++)
        {
            var k = w.Slice(4 * r, 4);
            var t0 = Te0[s0 >> 24] ^ Te1[(byte)(s1 >> 16)] ^ Te2[(byte)(s2 >> 8)] ^ Te3[(byte)s3] ^ k[0];
            var t1 = Te0[s1 >> 24] ^ Te1[(byte)(s2 >> 16)] ^ Te2[(byte)(s3 >> 8)] ^ Te3[(byte)s0] ^ k[1];
            var t2 = Te0[s2 >> 24] ^ Te1[(byte)(s3 >> 16)] ^ Te2[(byte)(s0 >> 8)] ^ Te3[(byte)s1] ^ k[2];
            var t3 = Te0[s3 >> 24] ^ Te1[(byte)(s0 >> 16)] ^ Te2[(byte)(s1 >> 8)] ^ Te3[(byte)s2] ^ k[3];
            s0 = t0; s1 = t1; s2 = t2; s3 = t3;
        }
        var l = w.Slice(4 * rounds, 4);
        var u0 = Last(SBox, s0, s1, s2, s3) ^ l[0];
        var u1 = Last(SBox, s1, s2, s3, s0) ^ l[1];
        var u2 = Last(SBox, s2, s3, s0, s1) ^ l[2];
        var u3 = Last(SBox, s3, s0, s1, s2) ^ l[3];
        s0 = u0; s1 = u1; s2 = u2; s3 = u3;
    }

    /// <summary>Decrypts one block with keys from <see cref="InvertKeys"/>.</summary>
    public static void Decrypt(ReadOnlySpan<uint> d, int rounds, ref uint s0, ref uint s1, ref uint s2, ref uint s3)
    {
        s0 ^= d[0]; s1 ^= d[1]; s2 ^= d[2]; s3 ^= d[3];
        for (var r = 1; r < rounds; r++)
        {
            var k = d.Slice(4 * r, 4);
            var t0 = Td0[s0 >> 24] ^ Td1[(byte)(s3 >> 16)] ^ Td2[(byte)(s2 >> 8)] ^ Td3[(byte)s1] ^ k[0];
            var t1 = Td0[s1 >> 24] ^ Td1[(byte)(s0 >> 16)] ^ Td2[(byte)(s3 >> 8)] ^ Td3[(byte)s2] ^ k[1];
            var t2 = Td0[s2 >> 24] ^ Td1[(byte)(s1 >> 16)] ^ Td2[(byte)(s0 >> 8)] ^ Td3[(byte)s3] ^ k[2];
            var t3 = Td0[s3 >> 24] ^ Td1[(byte)(s2 >> 16)] ^ Td2[(byte)(s1 >> 8)] ^ Td3[(byte)s0] ^ k[3];
            s0 = t0; s1 = t1; s2 = t2; s3 = t3;
        }
        var l = d.Slice(4 * rounds, 4);
        var u0 = Last(InverseSBox, s0, s3, s2, s1) ^ l[0];
        var u1 = Last(InverseSBox, s1, s0, s3, s2) ^ l[1];
        var u2 = Last(InverseSBox, s2, s1, s0, s3) ^ l[2];
        var u3 = Last(InverseSBox, s3, s2, s1, s0) ^ l[3];
        s0 = u0; s1 = u1; s2 = u2; s3 = u3;
    }

    /// <summary>The last round's column: one S-box byte from each of four columns, no MixColumns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Last(byte[] box, uint a, uint b, uint c, uint d) =>
        (uint)box[a >> 24] << 24 | (uint)box[(byte)(b >> 16)] << 16 | (uint)box[(byte)(c >> 8)] << 8 | box[(byte)d];
}
