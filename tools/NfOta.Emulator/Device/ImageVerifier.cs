using System.Buffers.Binary;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Errors;
using NfOta.Esp32.Images;
using NfOta.Esp32.SecureBoot;

namespace NfOta.Emulator.Device;

/// <summary>Reads bytes of a partition at an offset (decrypted, as the cache or the bootloader sees them).</summary>
public delegate EspErr PartitionReader(uint offset, Span<byte> destination);

/// <summary>The outcome of <c>esp_image_verify</c> on one partition.</summary>
public sealed record ImageCheck(EspErr Error, string Reason, AppImage? Image, VerificationResult? Signature)
{
    public bool Ok => Error == EspErr.ESP_OK;

    public static ImageCheck Fail(string reason, EspErr error = EspErr.ESP_ERR_IMAGE_INVALID) => new(error, reason, null, null);
}

/// <summary>
/// ESP-IDF's <c>esp_image_verify</c> on an app partition: read the image through the flash
/// cache, check it as <see cref="AppImage.Parse"/> does, check that it fits, and with secure
/// boot on, check the v2 signature against the key digests in eFuse.
/// </summary>
public static class ImageVerifier
{
    public static ImageCheck Verify(PartitionReader read, uint partitionSize, EFuses efuses, bool secureBoot)
    {
        // Walk the headers with small reads first, as ESP-IDF does, so a blank slot costs little.
        Span<byte> header = stackalloc byte[ImageHeader.Size];
        var err = read(0, header);
        if (err != EspErr.ESP_OK) return ImageCheck.Fail($"read failed ({err})", err);
        if (header[0] != ImageHeader.Magic)
        {
            // Erased flash reads as 0xFF in plaintext but as noise through decryption, so say both.
            return ImageCheck.Fail(header.IndexOfAnyExcept((byte)0xFF) < 0
                ? "partition is empty (erased flash)"
                : $"no image here: first byte 0x{header[0]:X2} is not the image magic 0xE9 (empty, or not an app image)");
        }
        var segmentCount = Math.Min((int)header[1], ImageHeader.MaxSegments + 1);
        long end = ImageHeader.Size;
        Span<byte> segment = stackalloc byte[ImageSegment.HeaderSize];
        for (var i = 0; i < segmentCount && end + ImageSegment.HeaderSize <= partitionSize; i++)
        {
            err = read((uint)end, segment);
            if (err != EspErr.ESP_OK) return ImageCheck.Fail($"read failed ({err})", err);
            end += ImageSegment.HeaderSize + BinaryPrimitives.ReadUInt32LittleEndian(segment[4..]);
        }
        end = (end + 1 + 15) & ~15L;
        if (header[23] == 1) end += 32;
        var toRead = secureBoot ? ((end + 0xFFF) & ~0xFFFL) + SignatureSector.Size : end;
        toRead = Math.Min(toRead, partitionSize);

        var bytes = new byte[toRead];
        err = read(0, bytes);
        if (err != EspErr.ESP_OK) return ImageCheck.Fail($"read failed ({err})", err);

        AppImage image;
        try
        {
            image = AppImage.Parse(bytes, efuses.Chip, efuses.ChipRevision);
            image.EnsureFits(partitionSize, secureBoot);
        }
        catch (Esp32FormatException e)
        {
            return ImageCheck.Fail(e.Message);
        }

        if (!secureBoot) return new ImageCheck(EspErr.ESP_OK, "image valid", image, null);
        var signature = SecureBootV2.VerifyWithDigests(
            bytes.AsSpan(0, image.SignatureSectorOffset),
            bytes.AsSpan(image.SignatureSectorOffset, SignatureSector.Size),
            efuses.SecureBootKeyDigests,
            efuses.Chip);
        return signature.Valid
            ? new ImageCheck(EspErr.ESP_OK, $"image valid, {signature.Message}", image, signature)
            : new ImageCheck(EspErr.ESP_ERR_IMAGE_INVALID, $"secure boot signature rejected: {signature.Message}", image, signature);
    }
}
