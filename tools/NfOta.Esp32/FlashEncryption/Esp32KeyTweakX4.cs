using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace NfOta.Esp32.FlashEncryption;

/// <summary>
/// <see cref="Esp32KeyTweak"/> for four consecutive 32-byte blocks at once, in SIMD lanes, handing
/// out their first eight key words already word-sliced for <see cref="AesKeySchedule256x4"/>.
/// </summary>
/// <remarks>
/// The 256-bit numbers are held as eight 32-bit limbs, limb i of all four blocks in one register.
/// Mul1 × block is never multiplied: it grows by Mul1 × 4 from one batch to the next, an addition
/// with carries. A key word is a byte-reversed limb (the key is the number's big-endian bytes),
/// so no transpose is needed. Scalar code for the same took 40 % of the whole batch's time.
/// </remarks>
internal struct Esp32KeyTweakX4
{
    private static readonly Vector128<byte> ReverseWordBytes = Vector128.Create((byte)3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);

    private readonly Limbs _key;
    private readonly Limbs _range;
    private readonly Limbs _step;
    private Limbs _product;
    private Vector128<uint> _block;

    [InlineArray(8)]
    private struct Limbs
    {
        private Vector128<uint> _limb;
    }

    /// <param name="key">Key limbs, 64-bit, least significant first.</param>
    /// <param name="range">FLASH_CRYPT_CONFIG's mask, same layout.</param>
    /// <param name="step">Mul1 × 4 mod 2^256.</param>
    /// <param name="products">Mul1 × block for the four blocks, four limbs each.</param>
    public Esp32KeyTweakX4(ReadOnlySpan<ulong> key, ReadOnlySpan<ulong> range, ReadOnlySpan<ulong> step, ReadOnlySpan<ulong> products, uint firstBlock)
    {
        for (var i = 0; i < 8; i++)
        {
            _key[i] = Vector128.Create(Half(key[i / 2], i));
            _range[i] = Vector128.Create(Half(range[i / 2], i));
            _step[i] = Vector128.Create(Half(step[i / 2], i));
            _product[i] = Vector128.Create(
                Half(products[i / 2], i), Half(products[4 + i / 2], i), Half(products[8 + i / 2], i), Half(products[12 + i / 2], i));
        }
        _block = Vector128.Create(firstBlock) + Vector128.Create(0u, 1, 2, 3);
    }

    private static uint Half(ulong limb, int i) => (uint)(i % 2 == 0 ? limb : limb >> 32);

    /// <summary>Words 0..7 of the four blocks' keys into <paramref name="words"/>; then moves on four blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Next<T>(ref AesKeyWordsX4 words) where T : struct, IAesInstructions
    {
        // (Mul2 × block) & Mul2Mask, limb by limb (see Esp32KeyTweak.MaskedMul2).
        var b = _block;
        Word<T>(ref words, 0, b & Vector128.Create(0xFu));
        Word<T>(ref words, 1, b << 29);
        Word<T>(ref words, 2, (b >> 3) & Vector128.Create(7u));
        Word<T>(ref words, 3, b << 28);
        Word<T>(ref words, 4, (b >> 4) & Vector128.Create(0xFu));
        Word<T>(ref words, 5, b << 29);
        Word<T>(ref words, 6, (b >> 3) & Vector128.Create(0x7Fu));
        Word<T>(ref words, 7, Vector128<uint>.Zero);
        _block = b + Vector128.Create(4u);

        // Mul1 × (block + 4) = Mul1 × block + Mul1 × 4. A carry is an all-ones lane; subtracting it adds 1.
        var carry = Vector128<uint>.Zero;
        for (var i = 0; i < 8; i++)
        {
            var sum = _product[i] + _step[i];
            var overflow = Vector128.LessThan(sum, _step[i]);
            var withCarry = sum - carry;
            carry = overflow | (carry & Vector128.Equals(withCarry, Vector128<uint>.Zero));
            _product[i] = withCarry;
        }
    }

    /// <summary>Limb <paramref name="i"/> of key ^ ((Mul1 × block | masked Mul2 × block) &amp; range) is key word 7 - i, byte-reversed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void Word<T>(ref AesKeyWordsX4 words, int i, Vector128<uint> maskedMul2) where T : struct, IAesInstructions
    {
        var limb = _key[i] ^ ((_product[i] | maskedMul2) & _range[i]);
        words[7 - i] = T.Shuffle(limb.AsByte(), ReverseWordBytes).AsUInt32();
    }
}
