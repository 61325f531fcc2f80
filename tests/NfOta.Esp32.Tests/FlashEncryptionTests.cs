using System.Numerics;
using System.Security.Cryptography;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Errors;
using NfOta.Esp32.FlashEncryption;

namespace NfOta.Esp32.Tests;

public class FlashEncryptionTests
{
    /// <summary>espsecure's <c>_flash_encryption_tweak_key</c>, written with arbitrary-precision integers as Python does.</summary>
    private static byte[] ReferenceTweakedKey(byte[] key, uint offset, int conf)
    {
        static BigInteger Hex(string s) => BigInteger.Parse("0" + s, System.Globalization.NumberStyles.HexNumber);
        var mul1 = Hex("0000200004000080000004000080001000000200004000080000040000800010");
        var mul2 = Hex("0000000000000000200000000000000010000000000000002000000000000001");
        var mul2Mask = Hex("000000000000007FE00000000000000FF000000000000007E00000000000000F");
        BigInteger range = 0;
        if ((conf & 1) != 0) range |= Hex("FFFFFFFFFFFFFFFFE00000000000000000000000000000000000000000000000");
        if ((conf & 2) != 0) range |= Hex("00000000000000001FFFFFFFFFFFFFFFF0000000000000000000000000000000");
        if ((conf & 4) != 0) range |= Hex("000000000000000000000000000000000FFFFFFFFFFFFFFFE000000000000000");
        if ((conf & 8) != 0) range |= Hex("0000000000000000000000000000000000000000000000001FFFFFFFFFFFFFFF");
        var k = new BigInteger(key, isUnsigned: true, isBigEndian: true);
        BigInteger addr = offset >> 5;
        k ^= ((mul1 * addr) | ((mul2 * addr) & mul2Mask)) & range;
        var bytes = k.ToByteArray(isUnsigned: true, isBigEndian: true);
        return [.. new byte[32 - bytes.Length], .. bytes];
    }

    [Fact]
    public void TweakMatchesEspsecureFormulaEverywhere()
    {
        var random = new Random(7);
        for (var i = 0; i < 3000; i++)
        {
            var key = new byte[32];
            random.NextBytes(key);
            var conf = random.Next(16);
            var offset = i < 1000 ? (uint)random.Next(0, 1 << 24) : (uint)random.NextInt64(0, 1L << 32);
            var tweak = new Esp32KeyTweak(key, conf);
            var ours = new byte[32];
            tweak.KeyFor(offset, ours);
            Assert.Equal(ReferenceTweakedKey(key, offset, conf), ours);
        }
    }

    [Theory]
    [InlineData(FlashEncryptionScheme.Esp32AesTweak, 16)]
    [InlineData(FlashEncryptionScheme.Esp32AesTweak, 64)]
    [InlineData(FlashEncryptionScheme.XtsAes, 24)]
    [InlineData(FlashEncryptionScheme.XtsAes, 48)]
    public void WrongKeyLengthsAreRefused(FlashEncryptionScheme scheme, int length)
    {
        var e = Assert.Throws<Esp32FormatException>(() => FlashCipher.Create(scheme, new byte[length]));
        Assert.Equal(FormatError.KeyLength, e.Error);
        Assert.Contains($"{length} bytes", e.Message);
    }

    [Fact]
    public void Esp32KeyOf24BytesIsExtendedLikeTheHardware()
    {
        var key = RandomNumberGenerator.GetBytes(24);
        var extended = FlashEncryptionKey.Normalize(FlashEncryptionScheme.Esp32AesTweak, key);
        Assert.Equal([.. key, .. key[8..16]], extended);
    }

    [Fact]
    public void XtsKeyOf16BytesIsExtendedWithSha256()
    {
        var key = RandomNumberGenerator.GetBytes(16);
        Assert.Equal(SHA256.HashData(key), FlashEncryptionKey.Normalize(FlashEncryptionScheme.XtsAes, key));
    }

    [Theory]
    [InlineData(FlashEncryptionScheme.Esp32AesTweak)]
    [InlineData(FlashEncryptionScheme.XtsAes)]
    public void UnalignedAddressOrLengthIsRefused(FlashEncryptionScheme scheme)
    {
        using var cipher = FlashCipher.Create(scheme, new byte[32]);
        var buffer = new byte[64];
        Assert.Equal(FormatError.Alignment, Assert.Throws<Esp32FormatException>(() => cipher.Encrypt(buffer, buffer, 8)).Error);
        Assert.Equal(FormatError.Alignment, Assert.Throws<Esp32FormatException>(() => cipher.Encrypt(buffer.AsSpan(0, 20), buffer, 0)).Error);
        Assert.Equal(FormatError.InvalidArgument, Assert.Throws<Esp32FormatException>(() => cipher.Encrypt(buffer, buffer.AsSpan(0, 16), 0)).Error);
    }

    [Fact]
    public void FlashCryptConfigMustFitFourBits()
    {
        var e = Assert.Throws<Esp32FormatException>(() => FlashCipher.Create(FlashEncryptionScheme.Esp32AesTweak, new byte[32], 16));
        Assert.Equal(FormatError.InvalidArgument, e.Error);
    }

    /// <summary>Long, odd-aligned ranges exercise every batching path; the portable path is the reference.</summary>
    [Theory]
    [InlineData(FlashEncryptionScheme.Esp32AesTweak, 32)]
    [InlineData(FlashEncryptionScheme.XtsAes, 32)]
    [InlineData(FlashEncryptionScheme.XtsAes, 64)]
    public void FastAndPortablePathsAgreeOnLongRanges(FlashEncryptionScheme scheme, int keyLength)
    {
        var key = RandomNumberGenerator.GetBytes(keyLength);
        using var fast = FlashCipher.Create(scheme, key);
        using var portable = FlashCipher.Create(scheme, key);
        if (portable is Esp32AesTweakCipher e) e.ForcePortable = true;
        if (portable is XtsAesFlashCipher x) x.ForcePortable = true;
        var data = RandomNumberGenerator.GetBytes(200_000);
        foreach (var (address, length) in new[] { (0x10000u, 200_000), (0x10010u, 131_056), (0x3F0F0u, 70_000 - 70_000 % 16), (0u, 16) })
        {
            var a = new byte[length];
            var b = new byte[length];
            fast.Encrypt(data.AsSpan(0, length), a, address);
            portable.Encrypt(data.AsSpan(0, length), b, address);
            Assert.Equal(b, a);
            fast.Decrypt(a, a, address);
            Assert.Equal(data.AsSpan(0, length).ToArray(), a);
        }
    }

    /// <summary>
    /// Random keys, FLASH_CRYPT_CONFIG values, addresses (16- but rarely 32- or 128-aligned) and
    /// lengths: the accelerated path (AES-NI or ARM AES, whichever this machine has) must match the
    /// portable one byte for byte, in place or not, both directions.
    /// </summary>
    [Theory]
    [InlineData(FlashEncryptionScheme.Esp32AesTweak, 32)]
    [InlineData(FlashEncryptionScheme.XtsAes, 32)]
    [InlineData(FlashEncryptionScheme.XtsAes, 64)]
    public void FastAndPortablePathsAgreeOnRandomRanges(FlashEncryptionScheme scheme, int keyLength)
    {
        var random = new Random(1000 + keyLength + (int)scheme);
        for (var i = 0; i < 60; i++)
        {
            var key = new byte[keyLength];
            random.NextBytes(key);
            var conf = random.Next(16);
            using var fast = FlashCipher.Create(scheme, key, conf);
            using var portable = FlashCipher.Create(scheme, key, conf);
            if (portable is Esp32AesTweakCipher e) e.ForcePortable = true;
            if (portable is XtsAesFlashCipher x) x.ForcePortable = true;
            var length = 16 * (i < 20 ? random.Next(1, 24) : random.Next(1, 700));
            var address = 16 * (uint)random.Next(0, 1 << 22) + (i % 4 == 0 ? 0xFFFF_0000u : 0);
            address = (uint)Math.Min(address, 0x1_0000_0000L - length);
            var data = new byte[length];
            random.NextBytes(data);
            var expected = new byte[length];
            portable.Encrypt(data, expected, address);
            var inPlace = data.ToArray();
            fast.Encrypt(inPlace, inPlace, address);
            Assert.True(expected.AsSpan().SequenceEqual(inPlace), $"encrypt, conf {conf}, 0x{address:X}+{length}");
            portable.Decrypt(data, expected, address);
            var decrypted = new byte[length];
            fast.Decrypt(data, decrypted, address);
            Assert.True(expected.AsSpan().SequenceEqual(decrypted), $"decrypt, conf {conf}, 0x{address:X}+{length}");
        }
    }

    [Fact]
    public void SamePlaintextEncryptsDifferentlyAtDifferentAddresses()
    {
        foreach (var scheme in new[] { FlashEncryptionScheme.Esp32AesTweak, FlashEncryptionScheme.XtsAes })
        {
            using var cipher = FlashCipher.Create(scheme, RandomNumberGenerator.GetBytes(32));
            var plain = new byte[32];
            var a = new byte[32];
            var b = new byte[32];
            cipher.Encrypt(plain, a, 0x10000);
            cipher.Encrypt(plain, b, 0x10080);
            Assert.NotEqual(a, b);
        }
    }
}
