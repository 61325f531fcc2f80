using System.Buffers.Binary;
using System.IO.Hashing;
using System.Numerics;
using System.Security.Cryptography;
using NfOta.Esp32.Chips;

namespace NfOta.Esp32.SecureBoot;

/// <summary>
/// One 1216-byte secure boot v2 signature block (espsecure <c>generate_*_signature_block</c>):
/// magic 0xE7, version (2 RSA, 3 ECDSA), the image digest, the public key in the ROM's
/// little-endian form, the signature, a CRC-32 of the first 1196 bytes and 16 zero bytes.
/// </summary>
public sealed record SignatureBlock(SecureBootScheme Scheme, byte[] ImageDigest, byte[] KeyMaterial, byte[] Signature)
{
    public const int Size = 1216;
    public const int CrcOffset = 1196;
    public const byte Magic = 0xE7;
    public const byte VersionRsa = 0x02;
    public const byte VersionEcdsa = 0x03;

    private const int RsaBytes = 384;

    /// <summary>The bytes whose SHA-256 is burnt into eFuse for this key (espsecure <c>_digest_sbv2_public_key</c>).</summary>
    public byte[] KeyDigest => SHA256.HashData(KeyMaterial);

    /// <summary>Parses block bytes; null when magic, version or CRC is wrong (the ROM skips such blocks).</summary>
    public static SignatureBlock? TryParse(ReadOnlySpan<byte> raw)
    {
        if (raw.Length < Size || raw[0] != Magic) return null;
        if (BinaryPrimitives.ReadUInt32LittleEndian(raw[CrcOffset..]) != Crc32.HashToUInt32(raw[..CrcOffset])) return null;
        switch (raw[1])
        {
            case VersionRsa:
                // digest[32], n[384], e u32, rinv[384], m' u32, signature[384]
                return new SignatureBlock(SecureBootScheme.Rsa3072, raw.Slice(4, 32).ToArray(),
                    raw.Slice(36, 776).ToArray(), raw.Slice(812, RsaBytes).ToArray());
            case VersionEcdsa when raw[2] == 0 && raw[36] == 2:
                // SHA-256, curve P-256: digest[32], curve id, point[64], signature r||s [64]
                return new SignatureBlock(SecureBootScheme.EcdsaP256, raw.Slice(4, 32).ToArray(),
                    raw.Slice(36, 65).ToArray(), raw.Slice(101, 64).ToArray());
            case VersionEcdsa when raw[2] == 1 && raw[52] == 3:
                // SHA-384, curve P-384: digest[48], curve id, point[96], signature r||s [96]
                return new SignatureBlock(SecureBootScheme.EcdsaP384, raw.Slice(4, 48).ToArray(),
                    raw.Slice(52, 97).ToArray(), raw.Slice(149, 96).ToArray());
            default:
                return null;
        }
    }

    public byte[] ToBytes()
    {
        var raw = new byte[Size];
        raw[0] = Magic;
        switch (Scheme)
        {
            case SecureBootScheme.Rsa3072:
                raw[1] = VersionRsa;
                ImageDigest.CopyTo(raw, 4);
                KeyMaterial.CopyTo(raw, 36);
                Signature.CopyTo(raw, 812);
                break;
            case SecureBootScheme.EcdsaP256:
                raw[1] = VersionEcdsa;
                raw[2] = 0;
                ImageDigest.CopyTo(raw, 4);
                KeyMaterial.CopyTo(raw, 36);
                Signature.CopyTo(raw, 101);
                break;
            case SecureBootScheme.EcdsaP384:
                raw[1] = VersionEcdsa;
                raw[2] = 1;
                ImageDigest.CopyTo(raw, 4);
                KeyMaterial.CopyTo(raw, 52);
                Signature.CopyTo(raw, 149);
                break;
            default:
                throw new ArgumentException($"unsupported scheme {Scheme}");
        }
        BinaryPrimitives.WriteUInt32LittleEndian(raw.AsSpan(CrcOffset), Crc32.HashToUInt32(raw.AsSpan(0, CrcOffset)));
        return raw;
    }

    /// <summary>
    /// The key as the ROM stores it. RSA: n, e, rinv = R² mod n with R = 2^3072, and
    /// m' = -n⁻¹ mod 2^32 (Montgomery constants for the RSA peripheral), bignums little-endian.
    /// ECDSA: curve id, then x and y little-endian.
    /// </summary>
    public static byte[] KeyMaterialOf(SecureBootKey key)
    {
        if (key.Rsa is { } rsa)
        {
            var p = rsa.ExportParameters(false);
            var n = new BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true);
            var e = new BigInteger(p.Exponent, isUnsigned: true, isBigEndian: true);
            var rinv = BigInteger.ModPow(2, 2 * 3072, n);
            var material = new byte[776];
            WriteLittleEndian(n, material.AsSpan(0, RsaBytes));
            BinaryPrimitives.WriteUInt32LittleEndian(material.AsSpan(384), (uint)e);
            WriteLittleEndian(rinv, material.AsSpan(388, RsaBytes));
            BinaryPrimitives.WriteUInt32LittleEndian(material.AsSpan(772), MontgomeryConstant((uint)(n & uint.MaxValue)));
            return material;
        }
        var ec = key.Ecdsa!.ExportParameters(false);
        var size = ec.Q.X!.Length;
        var ecMaterial = new byte[1 + 2 * size];
        ecMaterial[0] = key.Scheme == SecureBootScheme.EcdsaP384 ? (byte)3 : (byte)2;
        ec.Q.X.CopyTo(ecMaterial, 1);
        ec.Q.Y!.CopyTo(ecMaterial, 1 + size);
        ecMaterial.AsSpan(1, size).Reverse();
        ecMaterial.AsSpan(1 + size, size).Reverse();
        return ecMaterial;
    }

    /// <summary>-n⁻¹ mod 2^32 by Newton iteration (n is odd).</summary>
    private static uint MontgomeryConstant(uint n)
    {
        var x = n; // correct to 3 bits for odd n
        for (var i = 0; i < 5; i++) x *= 2 - n * x;
        return 0u - x;
    }

    private static void WriteLittleEndian(BigInteger value, Span<byte> destination)
    {
        destination.Clear();
        if (!value.TryWriteBytes(destination, out _, isUnsigned: true, isBigEndian: false))
        {
            throw new ArgumentException("value does not fit");
        }
    }
}
