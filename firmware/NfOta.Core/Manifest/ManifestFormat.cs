namespace NfOta.Manifest
{
    /// <summary>
    /// The manifest format, version 1: ASCII lines "key=value" after a header line, the ECDSA P-256
    /// signature (r‖s, hex) on the last line over every byte before that line.
    /// <code>
    /// nfota-manifest 1
    /// chip=esp32
    /// version=2.0.0
    /// secure-version=1
    /// size=1048576
    /// sha256=&lt;64 hex digits&gt;
    /// url=https://updates.example.com/app-2.0.0.bin
    /// min-version=1.0.0
    /// signature=&lt;128 hex digits&gt;
    /// </code>
    /// min-version is optional; unknown keys are signed but ignored, so later versions can add some.
    /// <para>
    /// Version 2 describes a release of up to two parts, each optional but not both: the firmware
    /// (size, sha256, url and secure-version, as in version 1) and the managed app, a deployment
    /// image for the deploy partition paired with the update slot:
    /// </para>
    /// <code>
    /// nfota-manifest 2
    /// chip=esp32
    /// version=1.1.0
    /// app-size=204800
    /// app-sha256=&lt;64 hex digits&gt;
    /// app-url=https://updates.example.com/app-1.1.0.app
    /// app-natives=mscorlib:1549C856,NfOta.Interop:2B3B2E87
    /// firmware-natives=mscorlib:1549C856,NfOta.Interop:2B3B2E87,nanoFramework.Runtime.Native:...
    /// signature=&lt;128 hex digits&gt;
    /// </code>
    /// app-natives lists the native assemblies (name:checksum; names of letters, digits, '.', '_' and
    /// '-' only, so no name can read as another entry) the app needs; firmware-natives,
    /// optional, the ones the release's firmware provides when the packer could read them. A release
    /// without a firmware part runs the board's current firmware; one without an app part carries the
    /// running app over to the new firmware.
    /// <para>
    /// The firmware part may carry block hashes: block-size (a multiple of 4096) and block-sha256, the
    /// SHA-256 of each block of the image in order (the last one shorter), 64 hex digits each, at most
    /// <see cref="MaxBlocks"/>. The device verifies each block as it lands, fetches a bad one again, and
    /// after a reboot keeps the verified blocks of an interrupted download.
    /// </para>
    /// <para>
    /// A pre-encrypted firmware part (format 2) adds encrypted-size: the file at url is then ESP-IDF's
    /// esp_encrypted_img format made for the board's device key, encrypted-size bytes long (its
    /// 512-byte header, then the ciphertext), while size, sha256 and block-sha256 still describe the
    /// plaintext image the board ends up with. The encryption hides the image; the signature vouches for it.
    /// It may add encrypted-sha256, the SHA-256 of that whole file (64 hex digits), so a damaged or
    /// replaced file is found without the device key (nfota verify checks it); manifests without it
    /// stay valid.
    /// </para>
    /// <para>
    /// Version 3 describes an in-field-update package: one MCUboot image (imgtool's format) for
    /// nanoFramework.Runtime.InFieldUpdate's <c>UpdateManager</c>, which an app installs through a
    /// session; nf-ota's updater never installs it (formats 1 and 2 parsers refuse the header, this
    /// one's engine refuses the release with ifu-release).
    /// </para>
    /// <code>
    /// nfota-manifest 3
    /// chip=esp32
    /// version=1.2.3.4
    /// ifu-image=deployment
    /// ifu-version=1.2.3+4
    /// size=66211
    /// sha256=&lt;64 hex digits&gt;
    /// url=https://updates.example.com/app-1.2.3.4.ifu.bin
    /// ifu-dependencies=0:1.5.0+0
    /// signature=&lt;128 hex digits&gt;
    /// </code>
    /// ifu-image is nanoclr or deployment (the image type); size, sha256 and url describe the whole
    /// MCUboot file (its total length for a session); ifu-version is the MCUboot header's version as
    /// imgtool prints it, and version the same as numbers joined by dots (the build only when not 0);
    /// ifu-dependencies, optional, the protected dependency TLVs as image:min-version joined by commas.
    /// </summary>
    public static class ManifestFormat
    {
        public const string Header = "nfota-manifest 1";
        public const string Header2 = "nfota-manifest 2";
        public const string Header3 = "nfota-manifest 3";
        public const string HeaderPrefix = "nfota-manifest ";
        public const string SignatureKey = "signature";
        public const int MaxLength = 4096;

        public const string Chip = "chip";
        public const string Version = "version";
        public const string SecureVersion = "secure-version";
        public const string Size = "size";
        public const string Sha256 = "sha256";
        public const string Url = "url";
        public const string MinVersion = "min-version";
        public const string AppSize = "app-size";
        public const string AppSha256 = "app-sha256";
        public const string AppUrl = "app-url";
        public const string AppNatives = "app-natives";
        public const string FirmwareNatives = "firmware-natives";
        public const string BlockSize = "block-size";
        public const string BlockSha256 = "block-sha256";
        public const string EncryptedSize = "encrypted-size";
        public const string EncryptedSha256 = "encrypted-sha256";
        public const string IfuImage = "ifu-image";
        public const string IfuVersion = "ifu-version";
        public const string IfuDependencies = "ifu-dependencies";

        /// <summary>ifu-image's values, in the order of the library's ImageType (NanoClr = 0, Deployment = 1).</summary>
        public const string IfuNanoClr = "nanoclr";
        public const string IfuDeployment = "deployment";

        /// <summary>esp_encrypted_img's header ahead of the ciphertext (GCM adds nothing else).</summary>
        public const int EncryptedHeaderLength = 512;

        /// <summary>Most blocks a firmware part may have: their hashes take at most 1 KiB of the device's RAM.</summary>
        public const int MaxBlocks = 32;

        /// <summary>
        /// How many blocks of <paramref name="blockSize"/> bytes cover <paramref name="size"/> bytes, the
        /// last one shorter. Not (size + blockSize - 1) / blockSize: that overflows for sizes near 2 GiB.
        /// </summary>
        public static int BlockCount(int size, int blockSize)
        {
            return size / blockSize + (size % blockSize == 0 ? 0 : 1);
        }

        /// <summary>The signed part of a manifest (ends with a newline); append "signature=..." to finish it.</summary>
        public static string Body(string chip, string version, int secureVersion, int size, string sha256Hex, string url, string minVersion)
        {
            string body = Header + "\n"
                + Chip + "=" + chip + "\n"
                + Version + "=" + version + "\n"
                + SecureVersion + "=" + secureVersion.ToString() + "\n"
                + Size + "=" + size.ToString() + "\n"
                + Sha256 + "=" + sha256Hex + "\n"
                + Url + "=" + url + "\n";
            if (minVersion != null && minVersion.Length > 0)
            {
                body += MinVersion + "=" + minVersion + "\n";
            }
            return body;
        }
    }
}
