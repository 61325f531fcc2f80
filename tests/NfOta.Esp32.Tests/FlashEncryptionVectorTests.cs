using System.Security.Cryptography;
using NfOta.Esp32.Chips;
using NfOta.Esp32.FlashEncryption;

namespace NfOta.Esp32.Tests;

/// <summary>Every flash-encryption case espsecure produced, reproduced bit for bit in both directions.</summary>
public class FlashEncryptionVectorTests
{
    private const string Folder = "flash-encryption";

    public static TheoryData<Vectors.FlashCase> Cases() => Vectors.FlashTheory();

    /// <summary>Every ciphertext file in the folder is a case in vectors.json, so none is silently skipped.</summary>
    [Fact]
    public void EveryCiphertextFileIsACase()
    {
        var files = Directory.GetFiles(Path.Combine(Vectors.Root, Folder), "cipher-*.bin").Select(Path.GetFileName).Order();
        Assert.Equal(files, Vectors.FlashCases.Select(c => c.Ciphertext).Order());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EncryptMatchesEspsecure(Vectors.FlashCase c)
    {
        using var cipher = Create(c, portable: false);
        var plain = Vectors.Read(Folder, c.Plaintext);
        var expected = Vectors.Read(Folder, c.Ciphertext);
        var actual = new byte[plain.Length];
        cipher.Encrypt(plain, actual, c.Address);
        Assert.Equal(Convert.ToHexStringLower(expected), Convert.ToHexStringLower(actual));
        Assert.Equal(c.Sha256, Convert.ToHexStringLower(SHA256.HashData(actual)));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void DecryptMatchesEspsecure(Vectors.FlashCase c)
    {
        using var cipher = Create(c, portable: false);
        var plain = Vectors.Read(Folder, c.Plaintext);
        var cipherText = Vectors.Read(Folder, c.Ciphertext);
        var actual = new byte[cipherText.Length];
        cipher.Decrypt(cipherText, actual, c.Address);
        Assert.Equal(plain, actual);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void PortablePathMatchesEspsecure(Vectors.FlashCase c)
    {
        using var cipher = Create(c, portable: true);
        var plain = Vectors.Read(Folder, c.Plaintext);
        var expected = Vectors.Read(Folder, c.Ciphertext);
        var actual = new byte[plain.Length];
        cipher.Encrypt(plain, actual, c.Address);
        Assert.Equal(expected, actual);
        cipher.Decrypt(expected, actual, c.Address);
        Assert.Equal(plain, actual);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void InPlaceGivesTheSameBytes(Vectors.FlashCase c)
    {
        using var cipher = Create(c, portable: false);
        var buffer = Vectors.Read(Folder, c.Plaintext);
        cipher.Encrypt(buffer, buffer, c.Address);
        Assert.Equal(Vectors.Read(Folder, c.Ciphertext), buffer);
    }

    /// <summary>Any 16-aligned sub-range encrypts to the matching slice of the full ciphertext.</summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void SubRangesAgreeWithWholeRange(Vectors.FlashCase c)
    {
        using var cipher = Create(c, portable: false);
        var plain = Vectors.Read(Folder, c.Plaintext);
        var expected = Vectors.Read(Folder, c.Ciphertext);
        foreach (var (start, length) in new[] { (16, 16), (16, 48), (112, 32), (32, 96), (0, 16) })
        {
            if (start + length > plain.Length) continue;
            var part = new byte[length];
            cipher.Encrypt(plain.AsSpan(start, length), part, c.Address + (uint)start);
            Assert.Equal(expected.AsSpan(start, length).ToArray(), part);
        }
    }

    private static IFlashCipher Create(Vectors.FlashCase c, bool portable)
    {
        var key = Vectors.Read(Folder, c.Key);
        Assert.Equal(c.KeyBytes, key.Length);
        var scheme = c.Algorithm == "esp32-aes256-tweak" ? FlashEncryptionScheme.Esp32AesTweak : FlashEncryptionScheme.XtsAes;
        var cipher = FlashCipher.Create(scheme, key, c.FlashCryptConf ?? FlashCipher.DefaultFlashCryptConfig);
        if (portable && cipher is Esp32AesTweakCipher esp32) esp32.ForcePortable = true;
        if (portable && cipher is XtsAesFlashCipher xts) xts.ForcePortable = true;
        return cipher;
    }
}
