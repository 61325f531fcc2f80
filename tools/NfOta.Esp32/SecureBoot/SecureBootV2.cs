using System.Numerics;
using System.Security.Cryptography;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Errors;

namespace NfOta.Esp32.SecureBoot;

/// <summary>
/// Secure boot v2 signing and verification, compatible with espsecure 5.x
/// (<c>sign_secure_boot_v2</c>, <c>verify_signature_v2</c>, <c>_digest_sbv2_public_key</c>) and
/// with what the ROM and ESP-IDF bootloader check. A signed image is the data padded with 0xFF
/// to a 4 KiB boundary followed by a 4 KiB signature sector; the digest covers the padded data.
/// </summary>
public static class SecureBootV2
{
    /// <summary>Signs <paramref name="data"/> with one or more private keys (one block per key).</summary>
    public static byte[] Sign(ReadOnlySpan<byte> data, params SecureBootKey[] keys)
    {
        if (keys.Length is 0 or > SignatureSector.MaxBlocks)
        {
            throw new Esp32FormatException(FormatError.InvalidArgument,
                $"secure boot v2 takes 1 to {SignatureSector.MaxBlocks} signing keys, not {keys.Length}");
        }
        var padded = (data.Length + SignatureSector.Size - 1) / SignatureSector.Size * SignatureSector.Size;
        var signed = new byte[padded + SignatureSector.Size];
        signed.AsSpan().Fill(0xFF);
        data.CopyTo(signed);
        var contents = signed.AsSpan(0, padded);
        for (var i = 0; i < keys.Length; i++)
        {
            var block = SignBlock(contents, keys[i]);
            block.ToBytes().CopyTo(signed, padded + i * SignatureBlock.Size);
        }
        return signed;
    }

    /// <summary>
    /// Adds a block signed by <paramref name="key"/> to the signature sector <paramref name="signedImage"/>
    /// already has where the bootloader reads it (the next free slot of three, as a key rotation needs);
    /// bytes past that sector are dropped. Refuses a full sector, another scheme, a key that already
    /// signed, or blocks made for different contents.
    /// </summary>
    public static byte[] AddSignature(ReadOnlySpan<byte> signedImage, SecureBootKey key)
    {
        var offset = SignatureSectorLocation.OffsetIn(signedImage);
        if (!SignatureSectorLocation.HasSector(signedImage, offset))
        {
            throw new Esp32FormatException(FormatError.SignatureNotSector, "the image has no signature sector to add a signature to");
        }
        var contents = signedImage[..offset];
        var blocks = SignatureSector.ValidBlocks(signedImage.Slice(offset, SignatureSector.Size));
        // ECDSA chips read one block; RSA chips up to three (see VerifyWithKey).
        var maxBlocks = key.Scheme == SecureBootScheme.Rsa3072 ? SignatureSector.MaxBlocks : 1;
        if (blocks.Count >= maxBlocks)
        {
            throw new Esp32FormatException(FormatError.SignatureSectorFull,
                $"the image already carries {blocks.Count} signature block(s), the most a {key.Scheme} sector holds; sign the unsigned image instead");
        }
        var material = SignatureBlock.KeyMaterialOf(key);
        foreach (var (index, block) in blocks)
        {
            if (block.Scheme != key.Scheme)
            {
                throw new Esp32FormatException(FormatError.SignatureUnsupportedKey,
                    $"signature block {index} is {block.Scheme} but the key is {key.Scheme}; a chip checks one scheme");
            }
            if (block.KeyMaterial.AsSpan().SequenceEqual(material))
            {
                throw new Esp32FormatException(FormatError.InvalidArgument, $"signature block {index} is already signed by this key");
            }
            if (!block.ImageDigest.AsSpan().SequenceEqual(DigestOf(contents, block.Scheme)))
            {
                throw new Esp32FormatException(FormatError.SignatureDigestMismatch,
                    $"signature block {index} was made for other contents: the image was changed after signing; sign the unsigned image instead");
            }
        }
        if (blocks.Count > 0 && blocks[^1].Index != blocks.Count - 1)
        {
            throw new Esp32FormatException(FormatError.SignatureInvalid, "the signature sector has a gap between its blocks; sign the unsigned image instead");
        }
        var signed = signedImage[..(offset + SignatureSector.Size)].ToArray();
        SignBlock(contents, key).ToBytes().CopyTo(signed, offset + blocks.Count * SignatureBlock.Size);
        return signed;
    }

    /// <summary>The signature block for <paramref name="contents"/> (already padded to 4 KiB).</summary>
    public static SignatureBlock SignBlock(ReadOnlySpan<byte> contents, SecureBootKey key)
    {
        if (!key.IsPrivate)
        {
            throw new Esp32FormatException(FormatError.InvalidKey, "signing needs a private key, but this PEM holds a public key");
        }
        var digest = DigestOf(contents, key.Scheme);
        byte[] signature;
        if (key.Rsa is { } rsa)
        {
            // RSA-PSS, MGF1-SHA-256, 32-byte salt; the ROM wants the signature little-endian.
            signature = rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
            signature.AsSpan().Reverse();
        }
        else
        {
            var ecdsa = key.Ecdsa!;
            var rs = ecdsa.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            var half = rs.Length / 2;
            rs.AsSpan(0, half).Reverse();
            rs.AsSpan(half).Reverse();
            signature = rs;
        }
        return new SignatureBlock(key.Scheme, digest, SignatureBlock.KeyMaterialOf(key), signature);
    }

    /// <summary>SHA-256 (or SHA-384 for P-384) of the padded image, as the signature block records it.</summary>
    public static byte[] DigestOf(ReadOnlySpan<byte> contents, SecureBootScheme scheme) =>
        scheme == SecureBootScheme.EcdsaP384 ? SHA384.HashData(contents) : SHA256.HashData(contents);

    /// <summary>The 32-byte value burnt into the secure boot key digest eFuse for this key.</summary>
    public static byte[] PublicKeyDigest(SecureBootKey key) => SHA256.HashData(SignatureBlock.KeyMaterialOf(key));

    /// <summary>
    /// espsecure's <c>verify_signature_v2</c>: <paramref name="signedImage"/> is a whole signed file
    /// (a multiple of 4 KiB, signature sector last). Valid when a well-formed block carries the
    /// image's digest and a signature that verifies under <paramref name="key"/>.
    /// </summary>
    public static VerificationResult VerifyWithKey(ReadOnlySpan<byte> signedImage, SecureBootKey key)
    {
        var offset = SignatureSectorLocation.OffsetIn(signedImage);
        if (!SignatureSectorLocation.HasSector(signedImage, offset))
        {
            return VerificationResult.Fail(FormatError.SignatureNotSector, offset == signedImage.Length - SignatureSector.Size
                ? $"a signed image is a non-zero multiple of 4096 bytes; this one is {signedImage.Length}"
                : $"the image ends at 0x{offset:X} (rounded up to 4 KiB) but the file has no 4 KiB signature sector there");
        }
        // The sector the bootloader reads, and the padded image before it: not simply the file's last 4 KiB.
        var contents = signedImage[..offset];
        var sector = signedImage.Slice(offset, SignatureSector.Size);
        var maxBlocks = key.Scheme == SecureBootScheme.Rsa3072 ? SignatureSector.MaxBlocks : 1;
        var blocks = SignatureSector.ValidBlocks(sector, maxBlocks);
        if (blocks.Count == 0)
        {
            return VerificationResult.Fail(FormatError.SignatureMissing, "no valid signature block (magic 0xE7 with a good CRC) in the last 4 KiB");
        }
        var material = SignatureBlock.KeyMaterialOf(key);
        foreach (var (index, block) in blocks)
        {
            var digest = DigestOf(contents, block.Scheme);
            if (!block.ImageDigest.AsSpan().SequenceEqual(digest))
            {
                return VerificationResult.Fail(FormatError.SignatureDigestMismatch,
                    $"signature block {index} is for an image with digest {Convert.ToHexStringLower(block.ImageDigest)}, but this image's digest is {Convert.ToHexStringLower(digest)}: the image was changed after signing");
            }
            if (block.Scheme == key.Scheme && VerifySignature(block, material, digest))
            {
                return VerificationResult.Ok(index, block);
            }
        }
        return VerificationResult.Fail(FormatError.SignatureInvalid, "no signature block verifies with the given key");
    }

    /// <summary>
    /// What the ROM and bootloader check: a block whose key digest is one of the eFuse digests,
    /// whose scheme the chip supports, with the right image digest and a signature that verifies
    /// under the key stored in the block itself.
    /// </summary>
    /// <param name="contents">The image padded to 4 KiB, as read from flash.</param>
    /// <param name="sector">The 4 KiB signature sector that follows it.</param>
    public static VerificationResult VerifyWithDigests(ReadOnlySpan<byte> contents, ReadOnlySpan<byte> sector,
        IReadOnlyList<byte[]> trustedKeyDigests, EspChip chip)
    {
        var blocks = SignatureSector.ValidBlocks(sector, chip.MaxSignatureBlocks);
        if (blocks.Count == 0)
        {
            return VerificationResult.Fail(FormatError.SignatureMissing, "no valid signature block after the image");
        }
        var reasons = new List<string>();
        foreach (var (index, block) in blocks)
        {
            if ((chip.SecureBootSchemes & block.Scheme) == 0)
            {
                reasons.Add($"block {index} uses {block.Scheme}, which {chip.DisplayName} does not support");
                continue;
            }
            var keyDigest = block.KeyDigest;
            if (!trustedKeyDigests.Any(d => d.AsSpan().SequenceEqual(keyDigest)))
            {
                reasons.Add($"block {index} is signed by a key (digest {Convert.ToHexStringLower(keyDigest)[..16]}...) whose digest is not in eFuse");
                continue;
            }
            var digest = DigestOf(contents, block.Scheme);
            if (!block.ImageDigest.AsSpan().SequenceEqual(digest))
            {
                reasons.Add($"block {index} was made for a different image (digest mismatch)");
                continue;
            }
            if (!VerifySignature(block, block.KeyMaterial, digest))
            {
                reasons.Add($"block {index} signature does not verify");
                continue;
            }
            return VerificationResult.Ok(index, block);
        }
        return VerificationResult.Fail(FormatError.SignatureInvalid, string.Join("; ", reasons));
    }

    private static bool VerifySignature(SignatureBlock block, byte[] material, byte[] digest)
    {
        try
        {
            if (block.Scheme == SecureBootScheme.Rsa3072)
            {
                var n = new BigInteger(material.AsSpan(0, 384), isUnsigned: true, isBigEndian: false);
                var e = BitConverter.ToUInt32(material, 384);
                using var rsa = RSA.Create();
                rsa.ImportParameters(new RSAParameters
                {
                    Modulus = n.ToByteArray(isUnsigned: true, isBigEndian: true),
                    Exponent = new BigInteger(e).ToByteArray(isUnsigned: true, isBigEndian: true),
                });
                var signature = block.Signature.ToArray();
                signature.AsSpan().Reverse();
                return rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
            }
            var size = (material.Length - 1) / 2;
            var x = material.AsSpan(1, size).ToArray();
            var y = material.AsSpan(1 + size, size).ToArray();
            x.AsSpan().Reverse();
            y.AsSpan().Reverse();
            using var ecdsa = ECDsa.Create(new ECParameters
            {
                Curve = block.Scheme == SecureBootScheme.EcdsaP384 ? ECCurve.NamedCurves.nistP384 : ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = x, Y = y },
            });
            var rs = block.Signature.ToArray();
            rs.AsSpan(0, size).Reverse();
            rs.AsSpan(size).Reverse();
            return ecdsa.VerifyHash(digest, rs, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (CryptographicException)
        {
            // A key or point that cannot be imported cannot have made a valid signature.
            return false;
        }
    }
}

/// <summary>Outcome of a signature check: which block verified, or why none did.</summary>
public sealed record VerificationResult(bool Valid, int BlockIndex, SignatureBlock? Block, FormatError? Error, string Message)
{
    public static VerificationResult Ok(int index, SignatureBlock block) =>
        new(true, index, block, null, $"signature block {index} ({block.Scheme}) verifies");

    public static VerificationResult Fail(FormatError error, string message) => new(false, -1, null, error, message);
}
