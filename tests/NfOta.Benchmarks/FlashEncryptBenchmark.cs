using System.Security.Cryptography;
using NfOta.Esp32.Chips;
using NfOta.Esp32.FlashEncryption;

namespace NfOta.Benchmarks;

/// <summary>
/// Flash-encrypt throughput as a ratio to raw AES on the same bytes, in the same run. "Raw AES" is
/// .NET's hardware-accelerated AES-ECB with one fixed key doing the same AES operation the flash
/// scheme needs (AES-256 decrypt for ESP32 encryption, AES-128/256 encrypt for XTS), so the ratio
/// is the cost of everything flash encryption adds: tweaks, byte reversal, per-block keys.
/// </summary>
internal static class FlashEncryptBenchmark
{
    public static int Run(int megabytes)
    {
        var size = megabytes * 1024 * 1024;
        var data = RandomNumberGenerator.GetBytes(size);
        var output = new byte[size];
        Console.WriteLine($"flash-encrypt: {megabytes} MiB of random data, best of 15 runs; target ratio >= 50 %");
        Console.WriteLine($"{"case",-34} {"flash cipher",14} {"raw AES",14} {"ratio",7}");

        var ok = true;
        ok &= Row("esp32 aes256-tweak encrypt conf=0xF", data, output,
            FlashCipher.Create(FlashEncryptionScheme.Esp32AesTweak, RandomNumberGenerator.GetBytes(32)), encrypt: true,
            RawAes(32, (aes, d, o) => aes.DecryptEcb(d, o, PaddingMode.None)));
        ok &= Row("esp32 aes256-tweak decrypt conf=0xF", data, output,
            FlashCipher.Create(FlashEncryptionScheme.Esp32AesTweak, RandomNumberGenerator.GetBytes(32)), encrypt: false,
            RawAes(32, (aes, d, o) => aes.EncryptEcb(d, o, PaddingMode.None)));
        // Context for the ESP32 rows: the same scheme through .NET's AES API, which must re-key every 32 bytes.
        var portable = (Esp32AesTweakCipher)FlashCipher.Create(FlashEncryptionScheme.Esp32AesTweak, RandomNumberGenerator.GetBytes(32));
        portable.ForcePortable = true;
        Row("esp32 encrypt, portable path", data.AsSpan(0, 1 << 20).ToArray(), output, portable, encrypt: true,
            RawAes(32, (aes, d, o) => aes.DecryptEcb(d, o.AsSpan(0, d.Length), PaddingMode.None)), runs: 3);
        ok &= Row("xts-aes-128 encrypt", data, output,
            FlashCipher.Create(FlashEncryptionScheme.XtsAes, RandomNumberGenerator.GetBytes(32)), encrypt: true,
            RawAes(16, (aes, d, o) => aes.EncryptEcb(d, o, PaddingMode.None)));
        ok &= Row("xts-aes-128 decrypt", data, output,
            FlashCipher.Create(FlashEncryptionScheme.XtsAes, RandomNumberGenerator.GetBytes(32)), encrypt: false,
            RawAes(16, (aes, d, o) => aes.DecryptEcb(d, o, PaddingMode.None)));
        ok &= Row("xts-aes-256 encrypt", data, output,
            FlashCipher.Create(FlashEncryptionScheme.XtsAes, RandomNumberGenerator.GetBytes(64)), encrypt: true,
            RawAes(32, (aes, d, o) => aes.EncryptEcb(d, o, PaddingMode.None)));
        Console.WriteLine(ok ? "all ratios meet the target" : "SOME RATIOS ARE BELOW THE TARGET");
        return 0;
    }

    private static Action<byte[], byte[]> RawAes(int keyBytes, Action<Aes, byte[], byte[]> op)
    {
        var aes = Aes.Create();
        aes.Key = RandomNumberGenerator.GetBytes(keyBytes);
        return (d, o) => op(aes, d, o);
    }

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
            Console.WriteLine($"{name,-34} {Measure.MBps(data.Length, flash)} {Measure.MBps(data.Length, aes)} {ratio,6:P0}");
            return ratio >= 0.5;
        }
    }
}
