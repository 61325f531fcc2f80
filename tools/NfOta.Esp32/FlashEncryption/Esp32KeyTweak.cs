using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace NfOta.Esp32.FlashEncryption;

/// <summary>
/// The classic ESP32 flash-encryption key tweak: every 32-byte block of flash is encrypted with
/// the eFuse key XORed with bits derived from the block's address, and FLASH_CRYPT_CONFIG chooses
/// which quarter of the key bits may be flipped. The multiplier constants spread address bits 5..23
/// over the key the way the hardware wires them (espsecure, <c>_flash_encryption_tweak_key</c>).
/// Numbers are 256-bit, held as four 64-bit limbs, least significant first; the key bytes are
/// the big-endian form of that number.
/// </summary>
internal readonly struct Esp32KeyTweak
{
    private static readonly Limbs Mul1 = Limbs.Parse("0000200004000080000004000080001000000200004000080000040000800010");

    private static readonly Limbs[] ConfigRanges =
    [
        Limbs.Parse("FFFFFFFFFFFFFFFFE00000000000000000000000000000000000000000000000"),
        Limbs.Parse("00000000000000001FFFFFFFFFFFFFFFF0000000000000000000000000000000"),
        Limbs.Parse("000000000000000000000000000000000FFFFFFFFFFFFFFFE000000000000000"),
        Limbs.Parse("0000000000000000000000000000000000000000000000001FFFFFFFFFFFFFFF"),
    ];

    // Flattened into fields: this runs once per 32 bytes of flash, so it must inline to plain arithmetic.
    private readonly ulong _key0, _key1, _key2, _key3;
    private readonly ulong _range0, _range1, _range2, _range3;
    private readonly ulong _mul10, _mul11, _mul12, _mul13;

    public Esp32KeyTweak(ReadOnlySpan<byte> key32, int flashCryptConfig)
    {
        var key = Limbs.FromBigEndian(key32);
        var range = default(Limbs);
        for (var bit = 0; bit < 4; bit++)
        {
            if ((flashCryptConfig & (1 << bit)) != 0) range = range.Or(ConfigRanges[bit]);
        }
        (_key0, _key1, _key2, _key3) = key;
        (_range0, _range1, _range2, _range3) = range;
        (_mul10, _mul11, _mul12, _mul13) = Mul1;
    }

    /// <summary>
    /// The AES-256 key for the 32-byte block that contains <paramref name="flashAddress"/>, as four
    /// 64-bit words in memory order (b0 holds key bytes 0..7 as a little-endian load would see them).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void KeyFor(uint flashAddress, out ulong b0, out ulong b1, out ulong b2, out ulong b3)
    {
        ulong block = flashAddress >> 5;
        // key ^= ((Mul1 × block) | ((Mul2 × block) & Mul2Mask)) & range, all mod 2^256.
        var p0 = MultiplyLow(_mul10, _mul11, _mul12, _mul13, block, out var p1, out var p2, out var p3);
        MaskedMul2(block, out var q0, out var q1, out var q2, out var q3);
        var t0 = _key0 ^ ((p0 | q0) & _range0);
        var t1 = _key1 ^ ((p1 | q1) & _range1);
        var t2 = _key2 ^ ((p2 | q2) & _range2);
        var t3 = _key3 ^ ((p3 | q3) & _range3);
        // Limb 3 holds the most significant bytes, which come first in the key.
        b0 = BinaryPrimitives.ReverseEndianness(t3);
        b1 = BinaryPrimitives.ReverseEndianness(t2);
        b2 = BinaryPrimitives.ReverseEndianness(t1);
        b3 = BinaryPrimitives.ReverseEndianness(t0);
    }

    public void KeyFor(uint flashAddress, Span<byte> key32)
    {
        KeyFor(flashAddress, out var b0, out var b1, out var b2, out var b3);
        BinaryPrimitives.WriteUInt64LittleEndian(key32, b0);
        BinaryPrimitives.WriteUInt64LittleEndian(key32[8..], b1);
        BinaryPrimitives.WriteUInt64LittleEndian(key32[16..], b2);
        BinaryPrimitives.WriteUInt64LittleEndian(key32[24..], b3);
    }

    /// <summary>Keys for the four 32-byte blocks from <paramref name="flashAddress"/> (a multiple of 32) on, four at a time.</summary>
    public Esp32KeyTweakX4 StartX4(uint flashAddress)
    {
        Span<ulong> key = [_key0, _key1, _key2, _key3];
        Span<ulong> range = [_range0, _range1, _range2, _range3];
        Span<ulong> step = stackalloc ulong[4];
        step[0] = MultiplyLow(_mul10, _mul11, _mul12, _mul13, 4, out step[1], out step[2], out step[3]);
        Span<ulong> products = stackalloc ulong[16];
        for (var k = 0; k < 4; k++)
        {
            var block = (ulong)(flashAddress >> 5) + (ulong)k;
            products[4 * k] = MultiplyLow(_mul10, _mul11, _mul12, _mul13, block, out products[4 * k + 1], out products[4 * k + 2], out products[4 * k + 3]);
        }
        return new Esp32KeyTweakX4(key, range, step, products, flashAddress >> 5);
    }

    /// <summary>
    /// (Mul2 × block) &amp; Mul2Mask straight from the block number, where espsecure has
    /// Mul2 = 0x0000000000000000_2000000000000000_1000000000000000_2000000000000001 and
    /// Mul2Mask = 0x000000000000007F_E00000000000000F_F000000000000007_E00000000000000F.
    /// Mul2 has four bits set (0, 61, 124, 189), so the product is four copies of the 27-bit block
    /// number that never overlap (no carries), and the mask keeps a few bits of each.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MaskedMul2(ulong block, out ulong q0, out ulong q1, out ulong q2, out ulong q3)
    {
        q0 = (block & 0xF) | (block << 61);
        q1 = ((block >> 3) & 7) | (block << 60);
        q2 = ((block >> 4) & 0xF) | (block << 61);
        q3 = (block >> 3) & 0x7F;
    }

    /// <summary>(a × factor) mod 2^256 on four 64-bit limbs, least significant first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong MultiplyLow(ulong a0, ulong a1, ulong a2, ulong a3, ulong factor, out ulong r1, out ulong r2, out ulong r3)
    {
        var h0 = Math.BigMul(a0, factor, out var r0);
        var h1 = Math.BigMul(a1, factor, out var l1);
        var h2 = Math.BigMul(a2, factor, out var l2);
        r1 = l1 + h0;
        var c1 = r1 < l1 ? 1UL : 0UL;
        var s2 = l2 + h1;
        var c2 = s2 < l2 ? 1UL : 0UL;
        r2 = s2 + c1;
        c2 += r2 < s2 ? 1UL : 0UL;
        r3 = a3 * factor + h2 + c2;
        return r0;
    }

    private readonly record struct Limbs(ulong L0, ulong L1, ulong L2, ulong L3)
    {
        public static Limbs Parse(string hex64) => new(
            ulong.Parse(hex64.AsSpan(48, 16), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            ulong.Parse(hex64.AsSpan(32, 16), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            ulong.Parse(hex64.AsSpan(16, 16), NumberStyles.HexNumber, CultureInfo.InvariantCulture),
            ulong.Parse(hex64.AsSpan(0, 16), NumberStyles.HexNumber, CultureInfo.InvariantCulture));

        public static Limbs FromBigEndian(ReadOnlySpan<byte> bytes) => new(
            BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(bytes));

        public Limbs Or(Limbs o) => new(L0 | o.L0, L1 | o.L1, L2 | o.L2, L3 | o.L3);
    }
}
