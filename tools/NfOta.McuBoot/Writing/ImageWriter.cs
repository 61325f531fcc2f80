using System.Buffers.Binary;
using System.Security.Cryptography;
using NfOta.McuBoot.Errors;
using NfOta.McuBoot.Images;
using NfOta.McuBoot.Signing;
using NfOta.McuBoot.Tlvs;

namespace NfOta.McuBoot.Writing;

/// <summary>
/// Writes an MCUboot image from a raw binary as imgtool 2.3.0's <c>sign</c> does (image.py's
/// load, create and save, little-endian, unencrypted, uncompressed): the header over the first 32
/// bytes (of the erased-value padding with <c>--pad-header</c>), the payload, the protected TLVs
/// (security counter, then dependencies), then the unprotected ones (SHA-256 of everything before
/// them; with a key, its hash or the key itself and the EC256 signature of that digest), and with
/// <c>--pad</c> the erased value up to the slot trailer's magic. Pure: bytes in, bytes out.
/// </summary>
public static class ImageWriter
{
    /// <summary>Lays out and signs (or, without a signer, only hashes) <paramref name="input"/>.</summary>
    /// <exception cref="McuBootFormatException">The input or options cannot make an image imgtool would make.</exception>
    /// <exception cref="ArgumentException">Options out of imgtool's ranges (header size, align, max-sectors, padding without a slot).</exception>
    public static byte[] Write(ReadOnlySpan<byte> input, SignOptions options, Ec256Signer? signer)
    {
        CheckOptions(options);
        var payload = Payload(input, options);
        var imageSize = (long)payload.Length - options.HeaderSize;
        if (imageSize > uint.MaxValue)
            throw new McuBootFormatException(McuBootError.McubootTooLarge, $"The payload is {imageSize} bytes; MCUboot's image size is a u32.");

        var protectedArea = Area(TlvTypes.ProtectedInfoMagic, ProtectedTlvs(options));
        WriteHeader(payload, options, (uint)imageSize, (ushort)protectedArea.Length);
        byte[] hashed = [.. payload, .. protectedArea];
        var digest = SHA256.HashData(hashed);

        var unprotected = new List<(ushort, byte[])> { (TlvTypes.Sha256, digest) };
        if (signer is not null)
        {
            unprotected.Add(options.PublicKeyFormat == PublicKeyFormat.Hash
                ? (TlvTypes.KeyHash, signer.KeyHash)
                : (TlvTypes.PublicKey, signer.SubjectPublicKeyInfo));
            unprotected.Add((TlvTypes.EcdsaSignature, signer.SignDigest(digest)));
        }
        byte[] image = [.. hashed, .. Area(TlvTypes.InfoMagic, unprotected)];

        if (options.SlotSize > 0 && (long)image.Length + SlotTrailer.Size(options) > options.SlotSize)
            throw new McuBootFormatException(McuBootError.McubootSlotOverflow,
                $"Image size (0x{image.Length:x}) + trailer (0x{SlotTrailer.Size(options):x}) exceeds requested size 0x{options.SlotSize:x}.");
        return options.Padded ? [.. image, .. SlotTrailer.Padding(image.Length, options)] : image;
    }

    private static void CheckOptions(SignOptions options)
    {
        if (options.HeaderSize is < ImageHeader.StructSize or > ushort.MaxValue)
            throw new ArgumentException($"header size {options.HeaderSize}: MCUboot's is {ImageHeader.StructSize} to {ushort.MaxValue} bytes");
        if (options.Align is not (1 or 2 or 4 or 8 or 16 or 32))
            throw new ArgumentException($"align {options.Align}: imgtool takes 1, 2, 4, 8, 16 or 32");
        if (options.MaxAlign is { } maxAlign && maxAlign is not (8 or 16 or 32))
            throw new ArgumentException($"max align {maxAlign}: imgtool takes 8, 16 or 32");
        if (options.MaxSectors < 1)
            throw new ArgumentException($"max sectors {options.MaxSectors}: at least 1");
        if (options.Padded && options.SlotSize == 0)
            throw new ArgumentException("padding to the slot (--pad, --confirm, --test) needs the slot size");
    }

    /// <summary>image.py load: the input, after header-size erased bytes with --pad-header; without, it must start with that many zeros.</summary>
    private static byte[] Payload(ReadOnlySpan<byte> input, SignOptions options)
    {
        if (options.PadHeader)
        {
            var payload = new byte[options.HeaderSize + input.Length];
            payload.AsSpan(0, options.HeaderSize).Fill(options.ErasedValue);
            input.CopyTo(payload.AsSpan(options.HeaderSize));
            return payload;
        }
        if (input.Length < options.HeaderSize || input[..options.HeaderSize].ContainsAnyExcept((byte)0))
            throw new McuBootFormatException(McuBootError.McubootHeaderNotZero, input.Length < options.HeaderSize
                ? $"The input is {input.Length} bytes, less than the {options.HeaderSize}-byte header; add --pad-header to put the header before it."
                : $"The input does not start with {options.HeaderSize} zero bytes for the header; add --pad-header to put the header before it (imgtool: header padding was not requested and image does not start with zeros).");
        return input.ToArray();
    }

    private static List<(ushort, byte[])> ProtectedTlvs(SignOptions options)
    {
        var tlvs = new List<(ushort, byte[])>();
        if (options.SecurityCounter is { } counter)
        {
            var data = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(data, counter);
            tlvs.Add((TlvTypes.SecurityCounter, data));
        }
        tlvs.AddRange(options.Dependencies.Select(d => (TlvTypes.Dependency, d.ToBytes())));
        return tlvs;
    }

    /// <summary>struct image_header over the first 32 bytes; _pad1 is zero.</summary>
    private static void WriteHeader(byte[] payload, SignOptions options, uint imageSize, ushort protectedSize)
    {
        var header = payload.AsSpan(0, ImageHeader.StructSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header, ImageHeader.Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], 0); // load address: no RAM load, no ROM-fixed
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], (ushort)options.HeaderSize);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], protectedSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], imageSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], 0); // flags
        options.Version.Write(header[20..]);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], 0);
    }

    /// <summary>A TLV area (info, then each TLV as u16 type, u16 length, data); none at all when it has no TLVs (image.py TLV.get).</summary>
    private static byte[] Area(ushort magic, IReadOnlyList<(ushort Type, byte[] Data)> tlvs)
    {
        if (tlvs.Count == 0) return [];
        var length = TlvArea.InfoSize + tlvs.Sum(t => Tlv.HeaderSize + t.Data.Length);
        if (length > ushort.MaxValue)
            throw new McuBootFormatException(McuBootError.McubootTooLarge, $"A TLV area of {length} bytes does not fit its u16 length.");
        var area = new byte[length];
        BinaryPrimitives.WriteUInt16LittleEndian(area, magic);
        BinaryPrimitives.WriteUInt16LittleEndian(area.AsSpan(2), (ushort)length);
        var at = TlvArea.InfoSize;
        foreach (var (type, data) in tlvs)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(area.AsSpan(at), type);
            BinaryPrimitives.WriteUInt16LittleEndian(area.AsSpan(at + 2), (ushort)data.Length);
            data.CopyTo(area.AsSpan(at + Tlv.HeaderSize));
            at += Tlv.HeaderSize + data.Length;
        }
        return area;
    }
}
