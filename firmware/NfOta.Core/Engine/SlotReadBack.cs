using NfOta.Device;
using NfOta.Interop;
using NfOta.Manifest;

namespace NfOta.Engine
{
    /// <summary>
    /// The verify stage: what a slot holds, read back through decryption and hashed natively, against
    /// what the signed manifest says (or what was meant to be written). Nothing kept anywhere else is
    /// trusted: a resumed prefix is vouched for block by block, and every slot is read back before
    /// it is set to boot.
    /// </summary>
    internal static class SlotReadBack
    {
        /// <summary>
        /// How many bytes at the start of the slot are whole blocks of this manifest's image, each
        /// read back and matching its signed SHA-256, stopping at the first that does not (0 for an
        /// erased slot, another image, or a manifest without block hashes).
        /// </summary>
        public static int VerifiedPrefix(string slot, UpdateManifest manifest)
        {
            if (manifest.BlockSize == 0)
            {
                return 0;
            }
            // Only a slot otadata would not boot: esp_ota_begin invalidated a fallback's entry when
            // the interrupted attempt started; a slot still tracked as bootable was never begun over.
            int state = NativeOta.GetSlotState(slot);
            if (state >= 0 && state != NativeOtaStatus.StateInvalid && state != NativeOtaStatus.StateAborted)
            {
                return 0;
            }
            var digest = new byte[32];
            int kept = 0;
            for (int block = 0; block < manifest.BlockCount; block++)
            {
                int start = block * manifest.BlockSize;
                int length = manifest.Size - start < manifest.BlockSize ? manifest.Size - start : manifest.BlockSize;
                // A last block that is not whole 16-byte units may still sit in ESP-IDF's buffer: redo it.
                if (start + length == manifest.Size && manifest.Size % 16 != 0)
                {
                    break;
                }
                if (!BlockMatches(slot, manifest, block, start, length, digest))
                {
                    break;
                }
                kept = start + length;
            }
            return kept;
        }

        /// <summary>Whether block <paramref name="block"/> of the slot reads back as the manifest says.</summary>
        public static bool BlockMatches(string slot, UpdateManifest manifest, int block, int start, int length, byte[] digest)
        {
            int status = NativeOta.HashPartition(slot, start, length, digest);
            if (status < 0)
            {
                throw NativeFailure.From(status, "reading back block " + block.ToString() + " of " + slot);
            }
            return Text.Digest.Matches(digest, manifest.BlockSha256, Text.Digest.Length * block);
        }

        /// <summary>
        /// The handle's digest of every byte written, against the manifest's (null: none to compare
        /// with, a copy); left in <paramref name="digest"/> for the read-back after esp_ota_end.
        /// </summary>
        public static void CheckDigest(int handle, int size, byte[] expected, byte[] digest)
        {
            int covered = NativeFailure.Check(NativeOta.GetImageDigest(handle, digest), "hashing the image");
            if (covered != size)
            {
                throw new OtaException(OtaError.SizeMismatch, "wrote " + covered.ToString() + " bytes but the manifest says " + size.ToString());
            }
            if (expected != null && !Text.Digest.Matches(digest, expected, 0))
            {
                throw new OtaException(OtaError.HashMismatch,
                    "the downloaded image's SHA-256 is " + Text.Hex.Encode(digest) + " but the manifest says " + Text.Hex.Encode(expected) + ": the image was corrupted or replaced");
            }
        }

        /// <summary>SHA-256 of what the slot holds now, read back through decryption, against what was meant to be written.</summary>
        public static void CheckReadBack(string label, int length, byte[] expected, string what, OtaError error, string cause)
        {
            var digest = new byte[32];
            NativeFailure.Check(NativeOta.HashPartition(label, 0, length, digest), "reading back " + what);
            if (!Text.Digest.Matches(digest, expected, 0))
            {
                throw new OtaException(error,
                    "reading back " + what + " gives SHA-256 " + Text.Hex.Encode(digest) + " instead of " + Text.Hex.Encode(expected) + ": " + cause + "; nothing is set to boot");
            }
        }
    }
}
