using System.Buffers.Binary;
using System.Security.Cryptography;

namespace NfOta.McuBoot.Tests;

/// <summary>
/// Small hash-consistent images for cases imgtool's vectors do not have (a security counter,
/// wrong TLV lengths): a 32-byte header, 100 payload bytes, the protected TLVs given, then an
/// unprotected area with the SHA-256 TLV (cut or grown to <c>hashLength</c>) and the extra TLVs.
/// </summary>
public static class TestImages
{
    public static byte[] Build(
        IReadOnlyList<(ushort Type, byte[] Data)> protectedTlvs,
        IReadOnlyList<(ushort Type, byte[] Data)>? unprotectedTlvs = null,
        int hashLength = 32)
    {
        var protectedArea = protectedTlvs.Count == 0 ? [] : Area(0x6908, protectedTlvs);
        var header = Header(protectedArea.Length);
        byte[] hashed = [.. header, .. Enumerable.Range(0, 100).Select(i => (byte)(i * 7)), .. protectedArea];
        var digest = SHA256.HashData(hashed);
        var hash = new byte[hashLength];
        digest.AsSpan(0, Math.Min(32, hashLength)).CopyTo(hash);
        return [.. hashed, .. Area(0x6907, [(0x10, hash), .. unprotectedTlvs ?? []])];
    }

    /// <summary>
    /// An image with its unprotected area replaced: nothing the hash or the signature covers
    /// changes, so imgtool's signature still holds.
    /// </summary>
    public static byte[] WithUnprotectedTlvs(byte[] image, IReadOnlyList<(ushort Type, byte[] Data)> tlvs)
    {
        var hashedLength = (int)Images.McuBootImage.Parse(image).Header.HashedLength;
        return [.. image.AsSpan(0, hashedLength), .. Area(0x6907, tlvs)];
    }

    private static byte[] Header(int protectedSize)
    {
        var header = new byte[32];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0x96f3b83d);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), 32);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(10), (ushort)protectedSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), 100);
        header[20] = 3;
        return header;
    }

    private static byte[] Area(ushort magic, IReadOnlyList<(ushort Type, byte[] Data)> tlvs)
    {
        var area = new List<byte>(new byte[4]);
        foreach (var (type, data) in tlvs)
        {
            area.AddRange(BitConverter.GetBytes(type));
            area.AddRange(BitConverter.GetBytes((ushort)data.Length));
            area.AddRange(data);
        }
        var bytes = area.ToArray();
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, magic);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), (ushort)bytes.Length);
        return bytes;
    }
}
