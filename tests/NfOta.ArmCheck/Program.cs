using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using NfOta.Esp32.Chips;
using NfOta.Esp32.FlashEncryption;

// Checks the flash ciphers' fast path on this machine (AES-NI, or ARM AES when run as arm64)
// against espsecure's vectors in both directions and against the portable path on random ranges.
// The xunit tests do the same on x64; this exists because CI has no ARM machine: see
// run-under-qemu.sh. Exit code 0 only if everything matches and the expected path ran.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: NfOta.ArmCheck <tests/vectors/flash-encryption> [expected esp32 path, e.g. \"ARM AES\"]");
    return 2;
}
var folder = args[0];
Console.WriteLine($"process {RuntimeInformation.ProcessArchitecture}; Arm.Aes {System.Runtime.Intrinsics.Arm.Aes.IsSupported}, X86.Aes {System.Runtime.Intrinsics.X86.Aes.IsSupported}");
var failures = 0;

using (var probe = (Esp32AesTweakCipher)FlashCipher.Create(FlashEncryptionScheme.Esp32AesTweak, new byte[32]))
{
    Console.WriteLine($"esp32 fast path: {probe.PathName}");
    if (args.Length > 1 && probe.PathName != args[1])
    {
        Console.WriteLine($"FAIL expected the {args[1]} path");
        failures++;
    }
}

var vectors = 0;
foreach (var file in Directory.GetFiles(folder, "cipher-*.bin").Order(StringComparer.Ordinal))
{
    var m = Regex.Match(Path.GetFileName(file), @"^cipher-(esp32|xts)-\w+-k(\d+)-0x([0-9a-f]+)-conf(\w+)-p(\d+)\.bin$");
    if (!m.Success) throw new InvalidDataException($"unexpected vector file name {file}");
    var scheme = m.Groups[1].Value == "esp32" ? FlashEncryptionScheme.Esp32AesTweak : FlashEncryptionScheme.XtsAes;
    var key = File.ReadAllBytes(Path.Combine(folder, $"key-{m.Groups[1].Value}-k{m.Groups[2].Value}.bin"));
    var address = Convert.ToUInt32(m.Groups[3].Value, 16);
    var conf = m.Groups[4].Value == "None" ? FlashCipher.DefaultFlashCryptConfig : int.Parse(m.Groups[4].Value);
    var plain = File.ReadAllBytes(Path.Combine(folder, $"plain-p{m.Groups[5].Value}.bin"));
    var expected = File.ReadAllBytes(file);
    using var cipher = FlashCipher.Create(scheme, key, conf);
    var encrypted = new byte[plain.Length];
    cipher.Encrypt(plain, encrypted, address);
    var decrypted = new byte[plain.Length];
    cipher.Decrypt(expected, decrypted, address);
    vectors++;
    if (!encrypted.AsSpan().SequenceEqual(expected) || !decrypted.AsSpan().SequenceEqual(plain))
    {
        failures++;
        Console.WriteLine($"FAIL vector {Path.GetFileName(file)}");
    }
}
Console.WriteLine($"{vectors} espsecure vectors checked");

var random = new Random(12);
var comparisons = 0;
foreach (var (scheme, keyLength) in new[] { (FlashEncryptionScheme.Esp32AesTweak, 32), (FlashEncryptionScheme.XtsAes, 32), (FlashEncryptionScheme.XtsAes, 64) })
{
    for (var i = 0; i < 40; i++)
    {
        var key = new byte[keyLength];
        random.NextBytes(key);
        var conf = random.Next(16);
        using var fast = FlashCipher.Create(scheme, key, conf);
        using var portable = FlashCipher.Create(scheme, key, conf);
        if (portable is Esp32AesTweakCipher e) e.ForcePortable = true;
        if (portable is XtsAesFlashCipher x) x.ForcePortable = true;
        var length = 16 * random.Next(1, 400);
        var address = (uint)(16 * random.Next(0, 1 << 20));
        var data = new byte[length];
        random.NextBytes(data);
        var a = new byte[length];
        var b = new byte[length];
        fast.Encrypt(data, a, address);
        portable.Encrypt(data, b, address);
        var ok = a.AsSpan().SequenceEqual(b);
        fast.Decrypt(a, a, address);
        ok &= a.AsSpan().SequenceEqual(data);
        comparisons++;
        if (!ok)
        {
            failures++;
            Console.WriteLine($"FAIL {scheme} key {keyLength} bytes, conf {conf}, 0x{address:X}+{length}");
        }
    }
}
Console.WriteLine($"{comparisons} random fast-vs-portable comparisons; {failures} failures");
return failures == 0 ? 0 : 1;
