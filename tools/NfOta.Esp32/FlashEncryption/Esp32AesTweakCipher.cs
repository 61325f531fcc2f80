using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
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

    /// <summary>Which code runs on this machine: the benchmark prints it next to its numbers.</summary>
    internal string PathName => ForcePortable ? "portable"
        : X86AesInstructions.IsSupported ? X86AesInstructions.Name
        : ArmAesInstructions.IsSupported ? ArmAesInstructions.Name
        : "portable";

    private void Process(ReadOnlySpan<byte> input, Span<byte> output, uint address, bool encrypt)
    {
        FlashCipherArguments.Check(input, output, address);
        if (ForcePortable) ProcessPortable(input, output, address, encrypt);
        else if (X86AesInstructions.IsSupported) ProcessAccelerated<X86AesInstructions>(input, output, address, encrypt);
        else if (ArmAesInstructions.IsSupported) ProcessAccelerated<ArmAesInstructions>(input, output, address, encrypt);
        else ProcessPortable(input, output, address, encrypt);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ProcessAccelerated<T>(ReadOnlySpan<byte> input, Span<byte> output, uint address, bool encrypt)
        where T : struct, IAesInstructions
    {
        ref var src = ref MemoryMarshal.GetReference(input);
        ref var dst = ref MemoryMarshal.GetReference(output);
        var offset = 0;
        while (offset < input.Length)
        {
            var blockAddress = address + (uint)offset;
            var batches = (input.Length - offset) / Esp32TweakBatch.Bytes;
            if (blockAddress % 32 == 0 && batches > 0)
            {
                Esp32TweakBatch.Run<T>(in _tweak, ref Unsafe.Add(ref src, offset), ref Unsafe.Add(ref dst, offset), blockAddress, batches, encrypt);
                offset += batches * Esp32TweakBatch.Bytes;
            }
            else
            {
                offset += Edge<T>(input[offset..], output[offset..], blockAddress, encrypt);
            }
        }
    }

    /// <summary>
    /// The start of a range that is not 32-aligned, or its last bytes: run one batch on a copy
    /// placed at the enclosing 32-byte boundary, so edges share the batch code. Returns bytes done.
    /// </summary>
    private int Edge<T>(ReadOnlySpan<byte> input, Span<byte> output, uint address, bool encrypt)
        where T : struct, IAesInstructions
    {
        Span<byte> batch = stackalloc byte[Esp32TweakBatch.Bytes];
        var skip = (int)(address % 32);
        var length = Math.Min(input.Length, Esp32TweakBatch.Bytes - skip);
        input[..length].CopyTo(batch[skip..]);
        ref var b = ref MemoryMarshal.GetReference(batch);
        Esp32TweakBatch.Run<T>(in _tweak, ref b, ref b, address - (uint)skip, 1, encrypt);
        batch.Slice(skip, length).CopyTo(output);
        CryptographicOperations.ZeroMemory(batch);
        return length;
    }

    /// <summary>
    /// No AES instructions: <see cref="SoftwareAes"/>, with each key expanded once for its
    /// 32-byte block. The byte reversal is folded into the loads: column c of a reversed block,
    /// read big-endian, is the little-endian word at byte 12 - 4c of the original.
    /// </summary>
    private void ProcessPortable(ReadOnlySpan<byte> input, Span<byte> output, uint address, bool encrypt)
    {
        Span<byte> key = stackalloc byte[32];
        Span<uint> words = stackalloc uint[60];
        Span<uint> inverse = stackalloc uint[60];
        var keys = encrypt ? inverse : words;
        for (var offset = 0; offset < input.Length; offset += 16)
        {
            var blockAddress = address + (uint)offset;
            if (offset == 0 || blockAddress % 32 == 0)
            {
                _tweak.KeyFor(blockAddress, key);
                SoftwareAes.ExpandKey256(key, words);
                if (encrypt) SoftwareAes.InvertKeys(words, inverse, SoftwareAes.Rounds256);
            }
            var block = input.Slice(offset, 16);
            var s0 = BinaryPrimitives.ReadUInt32LittleEndian(block[12..]);
            var s1 = BinaryPrimitives.ReadUInt32LittleEndian(block[8..]);
            var s2 = BinaryPrimitives.ReadUInt32LittleEndian(block[4..]);
            var s3 = BinaryPrimitives.ReadUInt32LittleEndian(block);
            // Flash encryption runs AES in its decrypt direction.
            if (encrypt) SoftwareAes.Decrypt(keys, SoftwareAes.Rounds256, ref s0, ref s1, ref s2, ref s3);
            else SoftwareAes.Encrypt(keys, SoftwareAes.Rounds256, ref s0, ref s1, ref s2, ref s3);
            var o = output.Slice(offset, 16);
            BinaryPrimitives.WriteUInt32LittleEndian(o[12..], s0);
            BinaryPrimitives.WriteUInt32LittleEndian(o[8..], s1);
            BinaryPrimitives.WriteUInt32LittleEndian(o[4..], s2);
            BinaryPrimitives.WriteUInt32LittleEndian(o, s3);
        }
        CryptographicOperations.ZeroMemory(key);
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(words));
        CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(inverse));
    }
}
