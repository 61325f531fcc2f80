using NfOta.Interop;

namespace NfOta.Manifest
{
    /// <summary>Checks a manifest's ECDSA P-256 signature with the public key built into the app (mbedTLS, natively).</summary>
    public static class ManifestVerifier
    {
        /// <summary>Throws <see cref="OtaException"/> (manifest-signature) unless the signature verifies.</summary>
        public static void Verify(UpdateManifest manifest, byte[] publicKey)
        {
            if (publicKey == null || publicKey.Length != NativeOtaStatus.P256PublicKeyLength || publicKey[0] != 0x04)
            {
                throw new OtaException(OtaError.ManifestSignature,
                    "the app's manifest public key must be 65 bytes, 0x04 then X and Y (nfota keys new prints it)");
            }
            int status = NativeOta.VerifyP256(publicKey, manifest.Raw, manifest.SignedLength, manifest.Signature);
            if (status == NativeOtaStatus.Ok)
            {
                return;
            }
            if (status == NativeOtaStatus.KeyInvalid)
            {
                throw new OtaException(OtaError.ManifestSignature, "the app's manifest public key is not a point on P-256") { NativeStatus = status };
            }
            throw new OtaException(OtaError.ManifestSignature,
                "the manifest's signature does not verify with this app's key: it was changed, or signed with another key") { NativeStatus = status };
        }
    }
}
