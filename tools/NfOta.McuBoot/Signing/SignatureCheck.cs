using NfOta.McuBoot.Errors;
using NfOta.McuBoot.Images;
using NfOta.McuBoot.Tlvs;

namespace NfOta.McuBoot.Signing;

/// <summary>
/// MCUboot's signature walk for EC256 (bootutil_img_validate): a KEYHASH (or PUBKEY) TLV names
/// the key for the ECDSA signature TLV right after it; a signature after an unknown key is
/// skipped; the last signature checked decides. (imgtool verify accepts at the first signature
/// that verifies; the two differ only for an image with a failing signature after a good one,
/// which imgtool never writes.)
/// </summary>
internal static class SignatureCheck
{
    public static void Check(McuBootImage image, ReadOnlySpan<byte> digest, Ec256Key key)
    {
        var tally = new Tally();
        var keyNamed = false;
        foreach (var tlv in image.AllTlvs)
        {
            switch (tlv.Type)
            {
                case TlvTypes.KeyHash:
                    keyNamed = tlv.Data.Span.SequenceEqual(key.KeyHash);
                    break;
                case TlvTypes.PublicKey:
                    keyNamed = tlv.Data.Span.SequenceEqual(key.SubjectPublicKeyInfo);
                    break;
                case TlvTypes.EcdsaSignature:
                    tally.Signatures++;
                    if (keyNamed) tally.Record(key.Verify(digest, tlv.Data.Span));
                    keyNamed = false;
                    break;
                default:
                    if (TlvTypes.IsOtherSignature(tlv.Type)) tally.OtherSignatures++;
                    break;
            }
        }
        tally.ThrowUnlessValid();
    }

    private sealed class Tally
    {
        public int Signatures { get; set; }

        public int OtherSignatures { get; set; }

        private int _forKey;
        private bool _valid;

        public void Record(bool valid)
        {
            _forKey++;
            _valid = valid;
        }

        public void ThrowUnlessValid()
        {
            if (_valid) return;
            if (_forKey > 0)
                throw Refused(McuBootError.McubootSignatureInvalid, "The image's signature for the given key does not verify.");
            if (Signatures > 0)
                throw Refused(McuBootError.McubootKeyMismatch, "The image is not signed with the given key (no signature follows its key hash).");
            if (OtherSignatures > 0)
                throw Refused(McuBootError.McubootSignatureUnsupported, "The image is signed with a scheme other than ECDSA P-256 (EC256), which this verifier does not check.");
            throw Refused(McuBootError.McubootSignatureMissing, "The image carries no signature.");
        }

        private static McuBootFormatException Refused(McuBootError error, string message) => new(error, message);
    }
}
