using System.Security.Cryptography;
using NfOta.Esp32.EncryptedImages;
using NfOta.Esp32.Errors;

namespace NfOta.Esp32.Tests;

/// <summary>esp_encrypted_img's pre-encrypted OTA format, against images made by Espressif's esp_enc_img_gen.py 2.7.1.</summary>
public sealed class EncryptedImageTests
{
    private static string PathOf(string name) => Vectors.PathOf("pre-encrypted-ota", name);

    private static byte[] Bytes(string name) => File.ReadAllBytes(PathOf(name));

    private static DeviceKey Key(string name) => DeviceKey.FromPem(File.ReadAllText(PathOf(name)));

    [Theory]
    [InlineData("rsa3072", 4096)]
    [InlineData("rsa3072", 65659)]
    [InlineData("ecies-p256", 4096)]
    [InlineData("ecies-p256", 65659)]
    public void EspressifsImagesDecrypt(string scheme, int size)
    {
        using var key = Key($"key-{scheme}.pem");
        Assert.Equal(scheme, key.Scheme);
        var file = Bytes($"enc-{scheme}-{size}.bin");
        Assert.Equal(size, EncryptedImageHeader.Parse(file).PlaintextSize);
        Assert.Equal(Bytes($"plain-{size}.bin"), EncryptedImage.Decrypt(file, key));
    }

    [Fact]
    public void TheP256KeyDerivedFromTheHmacKeyIsTheDevicesKey()
    {
        using var derived = DeviceKey.FromHmacKey(Bytes("key-ecies-p256.hmac.bin"));
        using var expected = ECDiffieHellman.Create();
        expected.ImportFromPem(File.ReadAllText(PathOf("key-ecies-p256.pub.pem")));
        using var actual = ECDiffieHellman.Create();
        actual.ImportFromPem(derived.PublicKeyPem());
        Assert.Equal(expected.ExportParameters(false).Q.X, actual.ExportParameters(false).Q.X);
        Assert.Equal(expected.ExportParameters(false).Q.Y, actual.ExportParameters(false).Q.Y);
        Assert.Equal(Bytes("plain-4096.bin"), EncryptedImage.Decrypt(Bytes("enc-ecies-p256-4096.bin"), derived));
    }

    [Theory]
    [InlineData("rsa3072", "body", FormatError.EncryptedImageTag)]
    [InlineData("rsa3072", "tag", FormatError.EncryptedImageTag)]
    [InlineData("rsa3072", "magic", FormatError.EncryptedImageMagic)]
    [InlineData("ecies-p256", "body", FormatError.EncryptedImageTag)]
    [InlineData("ecies-p256", "tag", FormatError.EncryptedImageTag)]
    [InlineData("ecies-p256", "magic", FormatError.EncryptedImageMagic)]
    public void ImagesEspressifsToolRefusesAreRefused(string scheme, string where, FormatError expected)
    {
        using var key = Key($"key-{scheme}.pem");
        var e = Assert.Throws<Esp32FormatException>(() => EncryptedImage.Decrypt(Bytes($"tampered-{scheme}-4096-{where}.bin"), key));
        Assert.Equal(expected, e.Error);
    }

    [Theory]
    [InlineData("rsa3072")]
    [InlineData("ecies-p256")]
    public void OurImagesDecryptWithTheDevicesKeyOnly(string scheme)
    {
        var plain = Bytes("plain-65659.bin");
        using var publicKey = Key($"key-{scheme}.pub.pem");
        Assert.False(publicKey.HasPrivateKey);
        var file = EncryptedImage.Encrypt(plain, publicKey);

        Assert.Equal(EncryptedImageHeader.Size + plain.Length, file.Length);
        Assert.Equal(plain.Length, EncryptedImageHeader.Parse(file).PlaintextSize);
        Assert.All(file[424..512], b => Assert.Equal(0, b)); // reserved
        Assert.NotEqual(plain, file[512..]);
        using var key = Key($"key-{scheme}.pem");
        Assert.Equal(plain, EncryptedImage.Decrypt(file, key));

        using var other = scheme == "rsa3072"
            ? DeviceKey.FromPem(RSA.Create(3072).ExportPkcs8PrivateKeyPem())
            : DeviceKey.FromPem(ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem());
        var wrong = Assert.Throws<Esp32FormatException>(() => EncryptedImage.Decrypt(file, other));
        Assert.Contains(wrong.Error, new[] { FormatError.EncryptedImageKey, FormatError.EncryptedImageTag });
        Assert.Equal(FormatError.EncryptedImageKey, Assert.Throws<Esp32FormatException>(() => EncryptedImage.Decrypt(file, publicKey)).Error);
    }

    [Fact]
    public void WithFixedRandomnessTheEciesImageIsReproducible()
    {
        using var publicKey = Key("key-ecies-p256.pub.pem");
        var plain = Bytes("plain-4096.bin");
        var first = EncryptedImage.Encrypt(plain, publicKey, new Fixed(7));
        Assert.Equal(first, EncryptedImage.Encrypt(plain, publicKey, new Fixed(7)));
        Assert.NotEqual(first, EncryptedImage.Encrypt(plain, publicKey, new Fixed(8)));
        using var key = Key("key-ecies-p256.pem");
        Assert.Equal(plain, EncryptedImage.Decrypt(first, key));
    }

    [Fact]
    public void TruncatedAndWrongKindsOfKeyAreOneNamedError()
    {
        var file = Bytes("enc-rsa3072-4096.bin");
        Assert.Equal(FormatError.EncryptedImageTruncated, Assert.Throws<Esp32FormatException>(() => EncryptedImageHeader.Parse(file[..^1])).Error);
        Assert.Equal(FormatError.EncryptedImageTruncated, Assert.Throws<Esp32FormatException>(() => EncryptedImageHeader.Parse(file[..100])).Error);
        Assert.Equal(FormatError.EncryptedImageKey, Assert.Throws<Esp32FormatException>(() => DeviceKey.FromPem(RSA.Create(2048).ExportPkcs8PrivateKeyPem())).Error);
        Assert.Equal(FormatError.EncryptedImageKey, Assert.Throws<Esp32FormatException>(() => DeviceKey.FromPem(ECDsa.Create(ECCurve.NamedCurves.nistP384).ExportPkcs8PrivateKeyPem())).Error);
        Assert.Equal(FormatError.EncryptedImageKey, Assert.Throws<Esp32FormatException>(() => DeviceKey.FromPem("not a key")).Error);
    }

    /// <summary>Seeded randomness: the same seed, the same AES key, salt, IV and ephemeral key.</summary>
    private sealed class Fixed(int seed) : EncryptedImage.IRandomness
    {
        private readonly Random _random = new(seed);

        public byte[] Bytes(int count)
        {
            var bytes = new byte[count];
            _random.NextBytes(bytes);
            return bytes;
        }

        public ECDiffieHellman EphemeralKey()
        {
            // A P-256 private scalar from the seed (below the group order: top byte cleared).
            var d = Bytes(32);
            d[0] &= 0x7F;
            return DeviceKey.P256FromScalar(d);
        }
    }
}
