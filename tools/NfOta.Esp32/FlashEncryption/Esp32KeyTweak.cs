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
    private static readonly Limbs Mul2 = Limbs.Parse("0000000000000000200000000000000010000000000000002000000000000001");
    private static readonly Limbs Mul2Mask = Limbs.Parse("000000000000007FE00000000000000FF000000000000007E00000000000000F");

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
    private readonly ulong _mul20, _mul21, _mul22, _mul23;
    private readonly ulong _mask0, _mask1, _mask2, _mask3;

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
        (_mul20, _mul21, _mul22, _mul23) = Mul2;
        (_mask0, _mask1, _mask2, _mask3) = Mul2Mask;
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
        var q0 = MultiplyLow(_mul20, _mul21, _mul22, _mul23, block, out var q1, out var q2, out var q3);
        var t0 = _key0 ^ ((p0 | (q0 & _mask0)) & _range0);
        var t1 = _key1 ^ ((p1 | (q1 & _mask1)) & _range1);
        var t2 = _key2 ^ ((p2 | (q2 & _mask2)) & _range2);
        var t3 = _key3 ^ ((p3 | (q3 & _mask3)) & _range3);
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
