using System.Buffers.Binary;
using NfOta.Esp32.Errors;

namespace NfOta.Esp32.EncryptedImages;

/// <summary>
/// The 512-byte header of ESP-IDF's pre-encrypted OTA image (esp_encrypted_img, the format its
/// esp_enc_img_gen.py writes): magic, the wrapped AES key (RSA-3072) or the ephemeral public key and
/// HKDF salt (ECIES P-256), the 16-byte GCM IV, the plaintext size and the GCM tag. The ciphertext
/// follows it. The header carries no checksum; the tag does not cover it.
/// </summary>
public sealed record EncryptedImageHeader
{
    public const int Size = 512;
    public const uint Magic = 0x0788B6CF;
    public const int IvSize = 16;
    public const int TagSize = 16;

    internal const int KeyFieldOffset = 4;
    internal const int RsaWrappedKeySize = 384;
    internal const int EcPublicKeySize = 64;
    internal const int EcSaltOffset = 68;
    internal const int EcSaltSize = 32;
    private const int IvOffset = 388;
    private const int SizeOffset = 404;
    private const int TagOffset = 408;

    /// <summary>Bytes 4..388: the RSA-wrapped key, or the ECIES public key, salt and zeros.</summary>
    public required byte[] KeyField { get; init; }

    public required byte[] Iv { get; init; }

    public required int PlaintextSize { get; init; }

    public required byte[] Tag { get; init; }

    public static EncryptedImageHeader Parse(ReadOnlySpan<byte> file)
    {
        if (file.Length < Size)
        {
            throw new Esp32FormatException(FormatError.EncryptedImageTruncated, $"{file.Length} bytes is shorter than the 512-byte encrypted image header");
        }
        var magic = BinaryPrimitives.ReadUInt32LittleEndian(file);
        if (magic != Magic)
        {
            throw new Esp32FormatException(FormatError.EncryptedImageMagic, $"magic 0x{magic:X8} is not esp_encrypted_img's 0x{Magic:X8}: not a pre-encrypted image");
        }
        var size = BinaryPrimitives.ReadUInt32LittleEndian(file[SizeOffset..]);
        if (size > int.MaxValue - Size || file.Length != Size + (int)size)
        {
            throw new Esp32FormatException(FormatError.EncryptedImageTruncated,
                $"the header announces {size} bytes of image but {file.Length - Size} follow it");
        }
        return new EncryptedImageHeader
        {
            KeyField = file[KeyFieldOffset..IvOffset].ToArray(),
            Iv = file.Slice(IvOffset, IvSize).ToArray(),
            PlaintextSize = (int)size,
            Tag = file.Slice(TagOffset, TagSize).ToArray(),
        };
    }

    /// <summary>The header's 512 bytes (reserved bytes zero).</summary>
    public byte[] ToBytes()
    {
        var header = new byte[Size];
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        KeyField.CopyTo(header, KeyFieldOffset);
        Iv.CopyTo(header, IvOffset);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(SizeOffset), (uint)PlaintextSize);
        Tag.CopyTo(header, TagOffset);
        return header;
    }
}
