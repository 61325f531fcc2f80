using NfOta.Interop;

namespace NfOta.Device
{
    /// <summary>
    /// How long the app image in a slot is, measured as ESP-IDF's esp_image_verify does: header and
    /// segments, the checksum byte padded to 16, the appended SHA-256 when the header says so, and
    /// a secure boot v2 signature sector (4 KiB, at the next 4 KiB boundary) when one is there.
    /// Read through NativeOta.ReadPartition (decrypted). An app-only update copies exactly this much.
    /// </summary>
    public static class RunningImage
    {
        private const int HeaderSize = 24;
        private const int SegmentHeaderSize = 8;
        private const int SignatureSectorSize = 4096;
        private const byte ImageMagic = 0xE9;
        private const byte SignatureBlockMagic = 0xE7;

        /// <summary>The image length in the slot with this label (empty: the running slot) of <paramref name="slotSize"/> bytes.</summary>
        public static int Length(string label, int slotSize)
        {
            var bytes = new byte[HeaderSize];
            Read(label, 0, bytes, HeaderSize);
            if (bytes[0] != ImageMagic)
            {
                throw new OtaException(OtaError.ImageRejected, "the running slot does not start with an app image (its first byte is 0x" + Text.Hex.Encode(new byte[] { bytes[0] }) + ", not 0xe9)");
            }
            int segments = bytes[1];
            bool hashAppended = bytes[23] == 1;
            int at = HeaderSize;
            for (int i = 0; i < segments; i++)
            {
                Read(label, at, bytes, SegmentHeaderSize);
                int length = bytes[4] | (bytes[5] << 8) | (bytes[6] << 16) | (bytes[7] << 24);
                if (length < 0 || length > slotSize - at - SegmentHeaderSize)
                {
                    throw new OtaException(OtaError.ImageRejected, "segment " + i.ToString() + " of the running image runs past its slot");
                }
                at += SegmentHeaderSize + length;
            }
            at = (at + 1 + 15) & ~15;
            if (hashAppended)
            {
                at += 32;
            }
            int signature = (at + SignatureSectorSize - 1) & ~(SignatureSectorSize - 1);
            if (signature + SignatureSectorSize <= slotSize)
            {
                Read(label, signature, bytes, 1);
                if (bytes[0] == SignatureBlockMagic)
                {
                    return signature + SignatureSectorSize;
                }
            }
            return at;
        }

        private static void Read(string label, int offset, byte[] buffer, int count)
        {
            NativeFailure.Check(NativeOta.ReadPartition(label, offset, buffer, 0, count), "reading the running image");
        }
    }
}
