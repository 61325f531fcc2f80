using NfOta.Device;
using NfOta.Interop;
using NfOta.Manifest;
using NfOta.Transfer;

namespace NfOta.Engine
{
    /// <summary>The header of a pre-encrypted firmware (esp_encrypted_img), opened with the board's device key before anything is erased.</summary>
    internal static class PreEncryptedHeader
    {
        /// <summary>
        /// Read the header from the opened stream and open it natively: the device key must unwrap
        /// it. With the manifest's encrypted-sha256 the native side hashes the header and every
        /// ciphertext byte written, and End refuses another digest (HashMismatch); older manifests
        /// pass an empty digest (not checked). The stream is left at the ciphertext's first byte.
        /// </summary>
        public static void Open(UpdateManifest manifest, IImageStream stream, UpdateResult result)
        {
            string url = manifest.Url;
            var header = new byte[NativeOtaStatus.EncryptedHeaderLength];
            int filled = 0;
            while (filled < header.Length)
            {
                int n = stream.Read(header, filled, header.Length - filled);
                if (n <= 0)
                {
                    throw new OtaException(OtaError.Network, "the download of " + url + " ended inside the pre-encrypted image's header") { IsTransient = true };
                }
                filled += n;
            }
            result.BytesReceived += filled;
            int status = NativeOta.OpenEncryptedImage(header, manifest.EncryptedSha256 != null ? manifest.EncryptedSha256 : new byte[0]);
            if (status == NativeOtaStatus.NotFound || status == NativeOtaStatus.KeyInvalid)
            {
                throw new OtaException(OtaError.NoDeviceKey,
                    "the release is pre-encrypted, but this board's device key partition (nfota_key) is " + (status == NativeOtaStatus.NotFound ? "missing or blank" : "damaged or stored unencrypted")
                    + ": provision it (nfota keys device-partition) or publish the release unencrypted; nothing was written") { NativeStatus = status };
            }
            NativeFailure.Check(status, "opening the pre-encrypted image at " + url);
        }
    }
}
