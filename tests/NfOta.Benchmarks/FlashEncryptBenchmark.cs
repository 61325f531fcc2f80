using System.Security.Cryptography;
using NfOta.Esp32.Chips;
using NfOta.Esp32.FlashEncryption;

namespace NfOta.Benchmarks;

/// <summary>
/// Flash-encrypt throughput as a ratio to raw AES on the same bytes, in the same run. "Raw AES" is
/// .NET's hardware-accelerated AES-ECB with one fixed key doing the same AES operation the flash
/// scheme needs (AES-256 decrypt for ESP32 encryption and vice versa, AES encrypt or decrypt with
/// the XTS data key's size for XTS), so the ratio is the cost of everything flash encryption adds:
/// tweaks, byte reversal, per-block keys. Each row names the code path it measured: AES-NI,
/// ARM AES or portable.
/// </summary>
internal static class FlashEncryptBenchmark
{
    public static int Run(int megabytes)
    {
        var size = megabytes * 1024 * 1024;
        var data = RandomNumberGenerator.GetBytes(size);
        var output = new byte[size];
        Console.WriteLine($"flash-encrypt: {megabytes} MiB of random data, best of 15 runs; target ratio >= 50 %");
        Console.WriteLine($"{"case",-36} {"path",-8} {"flash cipher",14} {"raw AES",14} {"ratio",7}");

        // Raw AES is the operation the scheme runs: flash encryption on the ESP32 is AES-256 *decryption*.
        var ok = true;
        foreach (var encrypt in new[] { true, false })
        {
            var direction = encrypt ? "encrypt" : "decrypt";
            ok &= Row($"esp32 aes256-tweak {direction} conf=0xF", data, output,
                FlashCipher.Create(FlashEncryptionScheme.Esp32AesTweak, RandomNumberGenerator.GetBytes(32)), encrypt,
                RawAes(32, decrypt: encrypt));
        }
        foreach (var keyBytes in new[] { 32, 64 })
        {
            foreach (var encrypt in new[] { true, false })
            {
                var name = $"xts-aes-{keyBytes * 4} {(encrypt ? "encrypt" : "decrypt")}";
                ok &= Row(name, data, output, FlashCipher.Create(FlashEncryptionScheme.XtsAes, RandomNumberGenerator.GetBytes(keyBytes)),
                    encrypt, RawAes(keyBytes / 2, decrypt: !encrypt));
            }
        }

        // Where no AES instructions exist (forced here): 1 MiB, fewer runs, reported but not held to the target.
        Console.WriteLine("portable paths (no AES instructions), 1 MiB, best of 3; not held to the target:");
        var small = data.AsSpan(0, 1 << 20).ToArray();
        foreach (var encrypt in new[] { true, false })
        {
            var portable = (Esp32AesTweakCipher)FlashCipher.Create(FlashEncryptionScheme.Esp32AesTweak, RandomNumberGenerator.GetBytes(32));
            portable.ForcePortable = true;
            Row($"esp32 aes256-tweak {(encrypt ? "encrypt" : "decrypt")}", small, output, portable, encrypt, RawAes(32, decrypt: encrypt), runs: 3);
        }
        foreach (var encrypt in new[] { true, false })
        {
            var portable = (XtsAesFlashCipher)FlashCipher.Create(FlashEncryptionScheme.XtsAes, RandomNumberGenerator.GetBytes(32));
            portable.ForcePortable = true;
            Row($"xts-aes-128 {(encrypt ? "encrypt" : "decrypt")}", small, output, portable, encrypt, RawAes(16, decrypt: !encrypt), runs: 3);
        }
        Console.WriteLine(ok ? "all ratios meet the target" : "SOME RATIOS ARE BELOW THE TARGET");
        return 0;
    }

    private static Action<byte[], byte[]> RawAes(int keyBytes, bool decrypt)
    {
        var aes = Aes.Create();
        aes.Key = RandomNumberGenerator.GetBytes(keyBytes);
        return decrypt
            ? (d, o) => aes.DecryptEcb(d, o.AsSpan(0, d.Length), PaddingMode.None)
            : (d, o) => aes.EncryptEcb(d, o.AsSpan(0, d.Length), PaddingMode.None);
    }

    /// <summary>Which code a cipher runs on this machine.</summary>
    private static string PathOf(IFlashCipher cipher) => cipher switch
    {
        Esp32AesTweakCipher e => e.PathName,
        XtsAesFlashCipher x => x.PathName,
        _ => "?",
    };

    private static bool Row(string name, byte[] data, byte[] output, IFlashCipher cipher, bool encrypt, Action<byte[], byte[]> raw, int runs = 15)
    {
        using (cipher)
        {
            var flash = Measure.BestSeconds(() =>
            {
                if (encrypt) cipher.Encrypt(data, output, 0x10000);
                else cipher.Decrypt(data, output, 0x10000);
            }, warmups: 1, runs: runs);
            var aes = Measure.BestSeconds(() => raw(data, output), warmups: 1, runs: runs);
            var ratio = aes / flash;
            Console.WriteLine($"{name,-36} {PathOf(cipher),-8} {Measure.MBps(data.Length, flash)} {Measure.MBps(data.Length, aes)} {ratio,6:P0}");
            return ratio >= 0.5;
        }
    }
}
