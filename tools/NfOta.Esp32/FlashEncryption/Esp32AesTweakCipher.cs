using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;
using NfOta.Esp32.Chips;

namespace NfOta.Esp32.FlashEncryption;

/// <summary>
/// Classic ESP32 flash encryption (espsecure <c>_flash_encryption_operation_esp32</c>): each
/// 16-byte block is byte-reversed, run through AES-256 with the key tweaked for its 32-byte block
/// (see <see cref="Esp32KeyTweak"/>), and reversed again. The hardware uses the AES *decrypt*
/// operation to encrypt flash and vice versa; that inversion does not weaken AES.
/// </summary>
public sealed class Esp32AesTweakCipher : IFlashCipher
{
    private readonly Esp32KeyTweak _tweak;

    internal Esp32AesTweakCipher(byte[] key32, int flashCryptConfig)
    {
        _tweak = new Esp32KeyTweak(key32, flashCryptConfig);
        FlashCryptConfig = flashCryptConfig;
    }

    public FlashEncryptionScheme Scheme => FlashEncryptionScheme.Esp32AesTweak;

    public int FlashCryptConfig { get; }

    /// <summary>Tests set this to exercise the portable path on machines with AES instructions.</summary>
    internal bool ForcePortable { get; set; }

    public void Encrypt(ReadOnlySpan<byte> plaintext, Span<byte> ciphertext, uint flashAddress) =>
        Process(plaintext, ciphertext, flashAddress, encrypt: true);

    public void Decrypt(ReadOnlySpan<byte> ciphertext, Span<byte> plaintext, uint flashAddress) =>
        Process(ciphertext, plaintext, flashAddress, encrypt: false);

    /// <summary>Nothing to release: keys live only on the stack while a call runs.</summary>
    public void Dispose()
    {
    }

    private void Process(ReadOnlySpan<byte> input, Span<byte> output, uint address, bool encrypt)
    {
        FlashCipherArguments.Check(input, output, address);
        if (AesNi.IsSupported && !ForcePortable)
        {
            ProcessAesNi(input, output, address, encrypt);
        }
        else
        {
            ProcessPortable(input, output, address, encrypt);
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
            if (blockAddress % 32 == 0 && input.Length - offset >= 128)
            {
                Process128(ref Unsafe.Add(ref src, offset), ref Unsafe.Add(ref dst, offset), blockAddress, encrypt);
                offset += 128;
            }
            else
            {
                offset += ProcessOneKey(ref Unsafe.Add(ref src, offset), ref Unsafe.Add(ref dst, offset),
                    blockAddress, input.Length - offset, encrypt);
            }
        }
    }

    /// <summary>Four 32-byte blocks: four keys expanded side by side, eight AES blocks in flight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Process128(ref byte src, ref byte dst, uint address, bool encrypt)
    {
        Aes256RoundKeysX4 keys = default;
        ref var ka = ref keys.A;
        ref var kb = ref keys.B;
        ref var kc = ref keys.C;
        ref var kd = ref keys.D;
        AesNi.ExpandKey256x4(
            KeyHalf(address, out var a1), a1, KeyHalf(address + 32, out var b1), b1,
            KeyHalf(address + 64, out var c1), c1, KeyHalf(address + 96, out var d1), d1,
            ref ka, ref kb, ref kc, ref kd);

        var x0 = AesNi.Reverse(Vector128.LoadUnsafe(ref src, 0));
        var x1 = AesNi.Reverse(Vector128.LoadUnsafe(ref src, 16));
        var x2 = AesNi.Reverse(Vector128.LoadUnsafe(ref src, 32));
        var x3 = AesNi.Reverse(Vector128.LoadUnsafe(ref src, 48));
        var x4 = AesNi.Reverse(Vector128.LoadUnsafe(ref src, 64));
        var x5 = AesNi.Reverse(Vector128.LoadUnsafe(ref src, 80));
        var x6 = AesNi.Reverse(Vector128.LoadUnsafe(ref src, 96));
        var x7 = AesNi.Reverse(Vector128.LoadUnsafe(ref src, 112));
        if (encrypt)
        {
            // Flash encryption runs AES in its decrypt direction.
            AesNi.InvertKeys256(ref ka);
            AesNi.InvertKeys256(ref kb);
            AesNi.InvertKeys256(ref kc);
            AesNi.InvertKeys256(ref kd);
            x0 ^= ka[0]; x1 ^= ka[0]; x2 ^= kb[0]; x3 ^= kb[0]; x4 ^= kc[0]; x5 ^= kc[0]; x6 ^= kd[0]; x7 ^= kd[0];
            for (var r = 1; r < 14; r++)
            {
                x0 = X86Aes.Decrypt(x0, ka[r]); x1 = X86Aes.Decrypt(x1, ka[r]);
                x2 = X86Aes.Decrypt(x2, kb[r]); x3 = X86Aes.Decrypt(x3, kb[r]);
                x4 = X86Aes.Decrypt(x4, kc[r]); x5 = X86Aes.Decrypt(x5, kc[r]);
                x6 = X86Aes.Decrypt(x6, kd[r]); x7 = X86Aes.Decrypt(x7, kd[r]);
            }
            x0 = X86Aes.DecryptLast(x0, ka[14]); x1 = X86Aes.DecryptLast(x1, ka[14]);
            x2 = X86Aes.DecryptLast(x2, kb[14]); x3 = X86Aes.DecryptLast(x3, kb[14]);
            x4 = X86Aes.DecryptLast(x4, kc[14]); x5 = X86Aes.DecryptLast(x5, kc[14]);
            x6 = X86Aes.DecryptLast(x6, kd[14]); x7 = X86Aes.DecryptLast(x7, kd[14]);
        }
        else
        {
            x0 ^= ka[0]; x1 ^= ka[0]; x2 ^= kb[0]; x3 ^= kb[0]; x4 ^= kc[0]; x5 ^= kc[0]; x6 ^= kd[0]; x7 ^= kd[0];
            for (var r = 1; r < 14; r++)
            {
                x0 = X86Aes.Encrypt(x0, ka[r]); x1 = X86Aes.Encrypt(x1, ka[r]);
                x2 = X86Aes.Encrypt(x2, kb[r]); x3 = X86Aes.Encrypt(x3, kb[r]);
                x4 = X86Aes.Encrypt(x4, kc[r]); x5 = X86Aes.Encrypt(x5, kc[r]);
                x6 = X86Aes.Encrypt(x6, kd[r]); x7 = X86Aes.Encrypt(x7, kd[r]);
            }
            x0 = X86Aes.EncryptLast(x0, ka[14]); x1 = X86Aes.EncryptLast(x1, ka[14]);
            x2 = X86Aes.EncryptLast(x2, kb[14]); x3 = X86Aes.EncryptLast(x3, kb[14]);
            x4 = X86Aes.EncryptLast(x4, kc[14]); x5 = X86Aes.EncryptLast(x5, kc[14]);
            x6 = X86Aes.EncryptLast(x6, kd[14]); x7 = X86Aes.EncryptLast(x7, kd[14]);
        }
        AesNi.Reverse(x0).StoreUnsafe(ref dst, 0);
        AesNi.Reverse(x1).StoreUnsafe(ref dst, 16);
        AesNi.Reverse(x2).StoreUnsafe(ref dst, 32);
        AesNi.Reverse(x3).StoreUnsafe(ref dst, 48);
        AesNi.Reverse(x4).StoreUnsafe(ref dst, 64);
        AesNi.Reverse(x5).StoreUnsafe(ref dst, 80);
        AesNi.Reverse(x6).StoreUnsafe(ref dst, 96);
        AesNi.Reverse(x7).StoreUnsafe(ref dst, 112);
    }

    /// <summary>The blocks (one or two) that share the key of one 32-byte block; returns bytes done.</summary>
    private int ProcessOneKey(ref byte src, ref byte dst, uint address, int remaining, bool encrypt)
    {
        AesRoundKeys keys = default;
        AesNi.ExpandKey256(KeyHalf(address, out var k1), k1, ref keys);
        if (encrypt) AesNi.InvertKeys256(ref keys);
        var count = address % 32 == 0 && remaining >= 32 ? 2 : 1;
        for (var i = 0; i < count; i++)
        {
            var block = AesNi.Reverse(Vector128.LoadUnsafe(ref src, (nuint)(16 * i)));
            block = encrypt ? AesNi.Decrypt(block, ref keys, 14) : AesNi.Encrypt(block, ref keys, 14);
            AesNi.Reverse(block).StoreUnsafe(ref dst, (nuint)(16 * i));
        }
        return 16 * count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Vector128<byte> KeyHalf(uint address, out Vector128<byte> secondHalf)
    {
        _tweak.KeyFor(address, out var b0, out var b1, out var b2, out var b3);
        secondHalf = Vector128.Create(b2, b3).AsByte();
        return Vector128.Create(b0, b1).AsByte();
    }

    private struct Aes256RoundKeysX4
    {
        public AesRoundKeys A;
        public AesRoundKeys B;
        public AesRoundKeys C;
        public AesRoundKeys D;
    }

    private void ProcessPortable(ReadOnlySpan<byte> input, Span<byte> output, uint address, bool encrypt)
    {
        using var aes = Aes.Create();
        Span<byte> key = stackalloc byte[32];
        Span<byte> block = stackalloc byte[16];
        for (var offset = 0; offset < input.Length; offset += 16)
        {
            var blockAddress = address + (uint)offset;
            if (offset == 0 || blockAddress % 32 == 0)
            {
                _tweak.KeyFor(blockAddress, key);
                aes.SetKey(key);
            }
            input.Slice(offset, 16).CopyTo(block);
            block.Reverse();
            if (encrypt) aes.DecryptEcb(block, block, PaddingMode.None);
            else aes.EncryptEcb(block, block, PaddingMode.None);
            block.Reverse();
            block.CopyTo(output.Slice(offset, 16));
        }
        CryptographicOperations.ZeroMemory(key);
    }
}
