using NfOta.Esp32.Chips;
using NfOta.Esp32.Errors;
using NfOta.Esp32.SecureBoot;

namespace NfOta.Esp32.Tests;

/// <summary>espsecure's secure boot v2 vectors: key digests, signatures, tampering.</summary>
public class SecureBootVectorTests
{
    private const string Folder = "secure-boot-v2";

    public static TheoryData<Vectors.SecureBootCase> Cases() => Vectors.SecureBootTheory();

    private static SecureBootKey Key(Vectors.SecureBootCase c) => SecureBootKey.FromPem(File.ReadAllText(Vectors.PathOf(Folder, c.PrivateKey)));

    [Theory]
    [MemberData(nameof(Cases))]
    public void PublicKeyDigestMatchesEspsecure(Vectors.SecureBootCase c)
    {
        using var key = Key(c);
        var digest = SecureBootV2.PublicKeyDigest(key);
        Assert.Equal(c.PubkeyDigestSha256, Convert.ToHexStringLower(digest));
        Assert.Equal(Vectors.Read(Folder, $"pubkey-digest-{c.Scheme}.bin"), digest);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EspsecureSignedImageVerifies(Vectors.SecureBootCase c)
    {
        using var key = Key(c);
        var result = SecureBootV2.VerifyWithKey(Vectors.Read(Folder, c.Signed), key);
        Assert.True(result.Valid, result.Message);
        Assert.Equal(0, result.BlockIndex);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EspsecureTamperedImageIsRejected(Vectors.SecureBootCase c)
    {
        using var key = Key(c);
        var result = SecureBootV2.VerifyWithKey(Vectors.Read(Folder, c.Tampered), key);
        Assert.Equal(c.TamperedValid, result.Valid);
        Assert.Equal(FormatError.SignatureDigestMismatch, result.Error);
    }

    /// <summary>
    /// Signatures are randomised (PSS salt, ECDSA nonce), so a fresh signature cannot equal
    /// espsecure's byte for byte; everything else in the file must.
    /// </summary>
    [Theory]
    [MemberData(nameof(Cases))]
    public void SigningMatchesEspsecureExceptTheRandomSignature(Vectors.SecureBootCase c)
    {
        using var key = Key(c);
        var ours = SecureBootV2.Sign(Vectors.Read(Folder, c.Unsigned), key);
        var theirs = Vectors.Read(Folder, c.Signed);
        Assert.Equal(c.SignedSize, ours.Length);
        var sectorStart = ours.Length - SignatureSector.Size;
        Assert.Equal(theirs.AsSpan(0, sectorStart).ToArray(), ours.AsSpan(0, sectorStart).ToArray());

        var ourBlock = SignatureBlock.TryParse(ours.AsSpan(sectorStart))!;
        var theirBlock = SignatureBlock.TryParse(theirs.AsSpan(sectorStart))!;
        Assert.Equal(theirBlock.Scheme, ourBlock.Scheme);
        Assert.Equal(theirBlock.ImageDigest, ourBlock.ImageDigest);
        Assert.Equal(theirBlock.KeyMaterial, ourBlock.KeyMaterial);
        Assert.Equal(theirs.AsSpan(sectorStart + SignatureBlock.Size).ToArray(), ours.AsSpan(sectorStart + SignatureBlock.Size).ToArray());
        Assert.True(SecureBootV2.VerifyWithKey(ours, key).Valid);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void BootloaderStyleVerificationUsesEfuseDigests(Vectors.SecureBootCase c)
    {
        var signed = Vectors.Read(Folder, c.Signed);
        var contents = signed.AsSpan(0, signed.Length - SignatureSector.Size);
        var sector = signed.AsSpan(signed.Length - SignatureSector.Size);
        var trusted = new[] { Convert.FromHexString(c.PubkeyDigestSha256) };
        var chip = c.Scheme == "rsa3072" ? EspChip.Esp32C3 : EspChip.Esp32C6;
        if (c.Scheme == "ecdsa384")
        {
            // No chip nf-ota models has P-384 in ROM, so the bootloader must refuse it.
            var refused = SecureBootV2.VerifyWithDigests(contents, sector, trusted, chip);
            Assert.False(refused.Valid);
            Assert.Contains("does not support", refused.Message);
            return;
        }
        Assert.True(SecureBootV2.VerifyWithDigests(contents, sector, trusted, chip).Valid);
        var untrusted = SecureBootV2.VerifyWithDigests(contents, sector, [new byte[32]], chip);
        Assert.False(untrusted.Valid);
        Assert.Contains("not in eFuse", untrusted.Message);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void FlippedSignatureByteIsRejected(Vectors.SecureBootCase c)
    {
        using var key = Key(c);
        var signed = Vectors.Read(Folder, c.Signed);
        var sectorStart = signed.Length - SignatureSector.Size;
        var block = SignatureBlock.TryParse(signed.AsSpan(sectorStart))!;
        block.Signature[5] ^= 0x01;
        block.ToBytes().CopyTo(signed, sectorStart); // re-computes the CRC, so only the signature is wrong
        var result = SecureBootV2.VerifyWithKey(signed, key);
        Assert.False(result.Valid);
        Assert.Equal(FormatError.SignatureInvalid, result.Error);
    }

    [Fact]
    public void BlockWithBadCrcIsIgnored()
    {
        var c = Vectors.SecureBootCases.First(x => x.Scheme == "rsa3072");
        using var key = Key(c);
        var signed = Vectors.Read(Folder, c.Signed);
        signed[signed.Length - SignatureSector.Size + 100] ^= 0x80;
        var result = SecureBootV2.VerifyWithKey(signed, key);
        Assert.False(result.Valid);
        Assert.Equal(FormatError.SignatureMissing, result.Error);
    }

    [Fact]
    public void WrongKeyDoesNotVerify()
    {
        var rsa = Vectors.SecureBootCases.First(x => x.Scheme == "rsa3072");
        var ec = Vectors.SecureBootCases.First(x => x.Scheme == "ecdsa256");
        using var ecKey = Key(ec);
        var result = SecureBootV2.VerifyWithKey(Vectors.Read(Folder, rsa.Signed), ecKey);
        Assert.False(result.Valid);
    }

    [Fact]
    public void UnalignedFileIsRefused()
    {
        var c = Vectors.SecureBootCases[0];
        using var key = Key(c);
        var result = SecureBootV2.VerifyWithKey(Vectors.Read(Folder, c.Unsigned), key);
        Assert.Equal(FormatError.SignatureNotSector, result.Error);
    }

    [Fact]
    public void PublicKeyCannotSign()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(3072);
        using var key = SecureBootKey.FromPem(rsa.ExportSubjectPublicKeyInfoPem());
        Assert.False(key.IsPrivate);
        var e = Assert.Throws<Esp32FormatException>(() => SecureBootV2.Sign(new byte[16], key));
        Assert.Equal(FormatError.InvalidKey, e.Error);
    }

    [Fact]
    public void Rsa2048IsRefused()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var e = Assert.Throws<Esp32FormatException>(() => SecureBootKey.FromPem(rsa.ExportRSAPrivateKeyPem()));
        Assert.Equal(FormatError.SignatureUnsupportedKey, e.Error);
    }

    [Fact]
    public void ThreeKeysMakeThreeBlocksEachVerifying()
    {
        using var a = SecureBootKey.FromPem(System.Security.Cryptography.RSA.Create(3072).ExportRSAPrivateKeyPem());
        using var b = SecureBootKey.FromPem(System.Security.Cryptography.RSA.Create(3072).ExportRSAPrivateKeyPem());
        using var k = SecureBootKey.FromPem(System.Security.Cryptography.RSA.Create(3072).ExportRSAPrivateKeyPem());
        var signed = SecureBootV2.Sign(new byte[5000], a, b, k);
        Assert.Equal(8192 + 4096, signed.Length);
        Assert.Equal(0, SecureBootV2.VerifyWithKey(signed, a).BlockIndex);
        Assert.Equal(1, SecureBootV2.VerifyWithKey(signed, b).BlockIndex);
        Assert.Equal(2, SecureBootV2.VerifyWithKey(signed, k).BlockIndex);
    }
}
