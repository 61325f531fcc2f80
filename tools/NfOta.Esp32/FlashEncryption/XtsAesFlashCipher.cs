using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Ssse3 = System.Runtime.Intrinsics.X86.Ssse3;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;
using System.Security.Cryptography;
using NfOta.Esp32.Chips;

namespace NfOta.Esp32.FlashEncryption;

/// <summary>
/// XTS-AES flash encryption of the ESP32-S2 and later chips (espsecure
/// <c>_flash_encryption_operation_aes_xts</c>). Flash is cut into 128-byte data units; the unit's
/// address (little-endian, zero-padded to 16 bytes) is the XTS tweak; each unit is byte-reversed
/// before standard XTS and reversed again after. Reversing a whole unit maps the unit's 16-byte
/// block k to XTS block 7-k with its bytes reversed, so any 16-aligned range can be processed
/// block by block without padding to whole units.
/// </summary>
/// <remarks>
/// The AES work is batched through .NET's AES (hardware accelerated): one ECB call computes the
/// tweaks of a chunk, one more runs every data block of the chunk. This type is not thread safe.
/// </remarks>
public sealed class XtsAesFlashCipher : IFlashCipher
{
    private const int DataUnit = 128;
    // 64 KiB per batch: large enough that the per-call cost of the AES API vanishes, small enough to stay in cache.
    private const int BlocksPerChunk = 4096;
    private const int MaxUnitsPerChunk = BlocksPerChunk / 8 + 2;

    private readonly Aes _dataCipher;
    private readonly Aes _tweakCipher;
    private readonly byte[] _tweaks = new byte[MaxUnitsPerChunk * 16];
    private readonly int _rounds;
    private AesRoundKeys _dataEncrypt;
    private AesRoundKeys _dataDecrypt;
    private AesRoundKeys _tweakEncrypt;

    /// <summary>Tests set this to exercise the portable path on machines with AES instructions.</summary>
    internal bool ForcePortable { get; set; }

    /// <summary>Which code runs on this machine: the benchmark prints it next to its numbers.</summary>
    internal string PathName => AesNi.IsSupported && !ForcePortable ? X86AesInstructions.Name : "portable";

    internal XtsAesFlashCipher(byte[] key)
    {
        // 32 bytes: XTS-AES-128 with key1 = first half, key2 = second half; 64 bytes: XTS-AES-256.
        var half = key.Length / 2;
        KeyBits = half * 8;
        _dataCipher = Aes.Create();
        _dataCipher.Key = key[..half];
        _tweakCipher = Aes.Create();
        _tweakCipher.Key = key[half..];
        if (AesNi.IsSupported)
        {
            _rounds = half == 16 ? 10 : 14;
            ExpandKey(key.AsSpan(0, half), ref _dataEncrypt);
            _dataDecrypt = _dataEncrypt;
            AesNi.InvertKeys(ref _dataDecrypt, _rounds);
            ExpandKey(key.AsSpan(half), ref _tweakEncrypt);
        }
    }

    private static void ExpandKey(ReadOnlySpan<byte> key, ref AesRoundKeys rk)
    {
        if (key.Length == 16) AesNi.ExpandKey128(Vector128.Create(key), ref rk);
        else AesNi.ExpandKey256(Vector128.Create(key[..16]), Vector128.Create(key[16..]), ref rk);
    }

    public FlashEncryptionScheme Scheme => FlashEncryptionScheme.XtsAes;

    /// <summary>128 for XTS-AES-128, 256 for XTS-AES-256.</summary>
    public int KeyBits { get; }

    public void Encrypt(ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, uint flashAddress) =>
        Process(plaintext, ciphertext, flashAddress, encrypt: true);

    public void Decrypt(ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, uint flashAddress) =>
        Process(ciphertext, plaintext, flashAddress, encrypt: false);

    public void Dispose()
    {
        _dataCipher.Dispose();
        _tweakCipher.Dispose();
    }

    private void Process(ReadOnlySpan<byte> input, Span<byte> output, uint address, bool encrypt)
    {
        FlashCipherArguments.Check(input, output, address);
        if (AesNi.IsSupported && !ForcePortable)
        {
            ProcessAesNi(input, output, address, encrypt);
            return;
        }
        for (var offset = 0; offset < input.Length; offset += BlocksPerChunk * 16)
        {
            var length = Math.Min(BlocksPerChunk * 16, input.Length - offset);
            ProcessChunk(input.Slice(offset, length), output.Slice(offset, length), address + (uint)offset, encrypt);
        }
    }

    private void ProcessAesNi(ReadOnlySpan<byte> input, Span<byte> output, uint address, bool encrypt)
    {
        ref var src = ref MemoryMarshal.GetReference(input);
        ref var dst = ref MemoryMarshal.GetReference(output);
        var offset = 0;
        while (offset < input.Length)
        {
            var blockAddress = address + (uint)offset;
            var remaining = input.Length - offset;
            if (blockAddress % DataUnit == 0 && remaining >= 8 * DataUnit)
            {
                EightUnits(ref Unsafe.Add(ref src, offset), ref Unsafe.Add(ref dst, offset), blockAddress, encrypt);
                offset += 8 * DataUnit;
            }
            else
            {
                // A data unit the range covers only in part, or one of the last few units.
                var inUnit = (int)Math.Min(DataUnit - blockAddress % DataUnit, (uint)remaining);
                PartialUnit(ref Unsafe.Add(ref src, offset), ref Unsafe.Add(ref dst, offset), blockAddress, inUnit, encrypt);
                offset += inUnit;
            }
        }
    }

    /// <summary>1 KiB of flash: the eight tweaks are computed together, then each unit with its eight blocks in flight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void EightUnits(ref byte src, ref byte dst, uint address, bool encrypt)
    {
        ref var tk = ref _tweakEncrypt;
        var t0 = Vector128.CreateScalar(address).AsByte() ^ tk[0];
        var t1 = Vector128.CreateScalar(address + 128).AsByte() ^ tk[0];
        var t2 = Vector128.CreateScalar(address + 256).AsByte() ^ tk[0];
        var t3 = Vector128.CreateScalar(address + 384).AsByte() ^ tk[0];
        var t4 = Vector128.CreateScalar(address + 512).AsByte() ^ tk[0];
        var t5 = Vector128.CreateScalar(address + 640).AsByte() ^ tk[0];
        var t6 = Vector128.CreateScalar(address + 768).AsByte() ^ tk[0];
        var t7 = Vector128.CreateScalar(address + 896).AsByte() ^ tk[0];
        var rounds = _rounds;
        for (var r = 1; r < rounds; r++)
        {
            var k = tk[r];
            t0 = X86Aes.Encrypt(t0, k); t1 = X86Aes.Encrypt(t1, k); t2 = X86Aes.Encrypt(t2, k); t3 = X86Aes.Encrypt(t3, k);
            t4 = X86Aes.Encrypt(t4, k); t5 = X86Aes.Encrypt(t5, k); t6 = X86Aes.Encrypt(t6, k); t7 = X86Aes.Encrypt(t7, k);
        }
        var last = tk[rounds];
        Unit(ref src, ref dst, X86Aes.EncryptLast(t0, last), encrypt);
        Unit(ref Unsafe.Add(ref src, 128), ref Unsafe.Add(ref dst, 128), X86Aes.EncryptLast(t1, last), encrypt);
        Unit(ref Unsafe.Add(ref src, 256), ref Unsafe.Add(ref dst, 256), X86Aes.EncryptLast(t2, last), encrypt);
        Unit(ref Unsafe.Add(ref src, 384), ref Unsafe.Add(ref dst, 384), X86Aes.EncryptLast(t3, last), encrypt);
        Unit(ref Unsafe.Add(ref src, 512), ref Unsafe.Add(ref dst, 512), X86Aes.EncryptLast(t4, last), encrypt);
        Unit(ref Unsafe.Add(ref src, 640), ref Unsafe.Add(ref dst, 640), X86Aes.EncryptLast(t5, last), encrypt);
        Unit(ref Unsafe.Add(ref src, 768), ref Unsafe.Add(ref dst, 768), X86Aes.EncryptLast(t6, last), encrypt);
        Unit(ref Unsafe.Add(ref src, 896), ref Unsafe.Add(ref dst, 896), X86Aes.EncryptLast(t7, last), encrypt);
    }

    /// <summary>One whole data unit: block k is whitened with tweak × α^(7-k).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Unit(ref byte src, ref byte dst, Vector128<byte> tweak, bool encrypt)
    {
        var w7 = tweak;
        var w6 = MultiplyByAlpha(w7);
        var w5 = MultiplyByAlpha(w6);
        var w4 = MultiplyByAlpha(w5);
        var w3 = MultiplyByAlpha(w4);
        var w2 = MultiplyByAlpha(w3);
        var w1 = MultiplyByAlpha(w2);
        var w0 = MultiplyByAlpha(w1);
        ref var keys = ref encrypt ? ref _dataEncrypt : ref _dataDecrypt;
        var k0 = keys[0];
        var x0 = AesNi.Reverse(Vector128.LoadUnsafe(ref src, 0)) ^ w0 ^ k0;
        var x1 = AesNi.Reverse(Vector128.LoadUnsafe(ref src, 16)) ^ w1 ^ k0;
        var x2 = AesNi.Reverse(Vector128.LoadUnsafe(ref src, 32)) ^ w2 ^ k0;
        var x3 = AesNi.Reverse(Vector128.LoadUnsafe(ref src, 48)) ^ w3 ^ k0;
        var x4 = AesNi.Reverse(Vector128.LoadUnsafe(ref src, 64)) ^ w4 ^ k0;
        var x5 = AesNi.Reverse(Vector128.LoadUnsafe(ref src, 80)) ^ w5 ^ k0;
        var x6 = AesNi.Reverse(Vector128.LoadUnsafe(ref src, 96)) ^ w6 ^ k0;
        var x7 = AesNi.Reverse(Vector128.LoadUnsafe(ref src, 112)) ^ w7 ^ k0;
        var rounds = _rounds;
        if (encrypt)
        {
            for (var r = 1; r < rounds; r++)
            {
                var k = keys[r];
                x0 = X86Aes.Encrypt(x0, k); x1 = X86Aes.Encrypt(x1, k); x2 = X86Aes.Encrypt(x2, k); x3 = X86Aes.Encrypt(x3, k);
                x4 = X86Aes.Encrypt(x4, k); x5 = X86Aes.Encrypt(x5, k); x6 = X86Aes.Encrypt(x6, k); x7 = X86Aes.Encrypt(x7, k);
            }
            var last = keys[rounds];
            x0 = X86Aes.EncryptLast(x0, last); x1 = X86Aes.EncryptLast(x1, last); x2 = X86Aes.EncryptLast(x2, last); x3 = X86Aes.EncryptLast(x3, last);
            x4 = X86Aes.EncryptLast(x4, last); x5 = X86Aes.EncryptLast(x5, last); x6 = X86Aes.EncryptLast(x6, last); x7 = X86Aes.EncryptLast(x7, last);
        }
        else
        {
            for (var r = 1; r < rounds; r++)
            {
                var k = keys[r];
                x0 = X86Aes.Decrypt(x0, k); x1 = X86Aes.Decrypt(x1, k); x2 = X86Aes.Decrypt(x2, k); x3 = X86Aes.Decrypt(x3, k);
                x4 = X86Aes.Decrypt(x4, k); x5 = X86Aes.Decrypt(x5, k); x6 = X86Aes.Decrypt(x6, k); x7 = X86Aes.Decrypt(x7, k);
            }
            var last = keys[rounds];
            x0 = X86Aes.DecryptLast(x0, last); x1 = X86Aes.DecryptLast(x1, last); x2 = X86Aes.DecryptLast(x2, last); x3 = X86Aes.DecryptLast(x3, last);
            x4 = X86Aes.DecryptLast(x4, last); x5 = X86Aes.DecryptLast(x5, last); x6 = X86Aes.DecryptLast(x6, last); x7 = X86Aes.DecryptLast(x7, last);
        }
        AesNi.Reverse(x0 ^ w0).StoreUnsafe(ref dst, 0);
        AesNi.Reverse(x1 ^ w1).StoreUnsafe(ref dst, 16);
        AesNi.Reverse(x2 ^ w2).StoreUnsafe(ref dst, 32);
        AesNi.Reverse(x3 ^ w3).StoreUnsafe(ref dst, 48);
        AesNi.Reverse(x4 ^ w4).StoreUnsafe(ref dst, 64);
        AesNi.Reverse(x5 ^ w5).StoreUnsafe(ref dst, 80);
        AesNi.Reverse(x6 ^ w6).StoreUnsafe(ref dst, 96);
        AesNi.Reverse(x7 ^ w7).StoreUnsafe(ref dst, 112);
    }

    /// <summary>Some blocks of one data unit, one at a time (only at the edges of a range).</summary>
    private void PartialUnit(ref byte src, ref byte dst, uint address, int length, bool encrypt)
    {
        var unitAddress = address & ~(uint)(DataUnit - 1);
        var w = AesNi.Encrypt(Vector128.CreateScalar(unitAddress).AsByte(), ref _tweakEncrypt, _rounds);
        var first = (int)(address - unitAddress) / 16;
        // Block k uses tweak × α^(7-k), so walk the blocks from the last one down.
        var lastBlock = first + length / 16 - 1;
        for (var k = 7; k > lastBlock; k--) w = MultiplyByAlpha(w);
        for (var k = lastBlock; k >= first; k--)
        {
            var o = (nuint)((k - first) * 16);
            var x = AesNi.Reverse(Vector128.LoadUnsafe(ref src, o)) ^ w;
            x = encrypt ? AesNi.Encrypt(x, ref _dataEncrypt, _rounds) : AesNi.Decrypt(x, ref _dataDecrypt, _rounds);
            AesNi.Reverse(x ^ w).StoreUnsafe(ref dst, o);
            w = MultiplyByAlpha(w);
        }
    }

    private void ProcessChunk(ReadOnlySpan<byte> input, Span<byte> output, uint address, bool encrypt)
    {
        var firstUnit = address & ~(uint)(DataUnit - 1);
        var lastUnit = (address + (uint)input.Length - 1) & ~(uint)(DataUnit - 1);
        var units = (int)((lastUnit - firstUnit) / DataUnit) + 1;

        // Tweak of every data unit in the chunk: AES(key2, unit address as a 128-bit little-endian number).
        var tweaks = _tweaks.AsSpan(0, units * 16);
        tweaks.Clear();
        for (var u = 0; u < units; u++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(tweaks[(u * 16)..], firstUnit + (uint)(u * DataUnit));
        }
        _tweakCipher.EncryptEcb(tweaks, tweaks, PaddingMode.None);

        // XTS: C = AES(key1, P ^ W) ^ W, on byte-reversed blocks.
        Whiten(input, output, tweaks, address, reverseFirst: true);
        if (encrypt) _dataCipher.EncryptEcb(output[..input.Length], output, PaddingMode.None);
        else _dataCipher.DecryptEcb(output[..input.Length], output, PaddingMode.None);
        Whiten(output[..input.Length], output, tweaks, address, reverseFirst: false);
    }

    /// <summary>
    /// Applies the XTS whitening of each block: block k of a data unit is XORed with tweak × α^(7-k).
    /// On the way in the block is reversed first, on the way out it is reversed last.
    /// </summary>
    private static void Whiten(ReadOnlySpan<byte> input, Span<byte> output, ReadOnlySpan<byte> tweaks, uint address, bool reverseFirst)
    {
        ref var src = ref MemoryMarshal.GetReference(input);
        ref var dst = ref MemoryMarshal.GetReference(output);
        ref var tweakRef = ref MemoryMarshal.GetReference(tweaks);
        Span<Vector128<byte>> powers = stackalloc Vector128<byte>[8];
        var block = (int)(address % DataUnit) / 16;
        var unit = 0;
        for (nuint o = 0; o < (nuint)input.Length; o += 16)
        {
            if (o == 0 || block == 0)
            {
                // New data unit: powers[k] is the whitening of block k.
                var t = Vector128.LoadUnsafe(ref tweakRef, (nuint)(unit * 16));
                for (var k = 7; k >= 0; k--)
                {
                    powers[k] = t;
                    t = MultiplyByAlpha(t);
                }
                unit++;
            }
            var w = powers[block];
            var data = Vector128.LoadUnsafe(ref src, o);
            (reverseFirst ? Reverse(data) ^ w : Reverse(data ^ w)).StoreUnsafe(ref dst, o);
            block = (block + 1) & 7;
        }
    }

    /// <summary>Multiplication by x in GF(2^128) with IEEE 1619's little-endian byte order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> MultiplyByAlpha(Vector128<byte> t)
    {
        // Sign of each 32-bit word; pick the top word's sign (bit 127) into word 0 and the bit-63 sign into word 2.
        var signs = Vector128.ShiftRightArithmetic(t.AsInt32(), 31);
        var picked = Vector128.Shuffle(signs, Vector128.Create(3, 0, 1, 0)) & Vector128.Create(0x87, 0, 1, 0);
        // Shift each 64-bit half left by one; the picked bits are the wrap-around reduction and the carry between halves.
        return ((t.AsUInt64() << 1) ^ picked.AsUInt64()).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Reverse(Vector128<byte> block) =>
        Ssse3.IsSupported
            ? Ssse3.Shuffle(block, Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0))
            : Vector128.Shuffle(block, Vector128.Create((byte)15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
}
