using NfOta.Model;
using NfOta.Text;

namespace NfOta.Manifest
{
    /// <summary>
    /// A parsed release manifest (see <see cref="ManifestFormat"/>). Parsing checks form only; the
    /// signature is checked by <see cref="ManifestVerifier"/> and the content by the update policy.
    /// </summary>
    public sealed class UpdateManifest
    {
        private UpdateManifest()
        {
        }

        /// <summary>The chip as the manifest names it ("esp32c3").</summary>
        public string Chip { get; private set; }

        public int ChipId { get; private set; }

        public FirmwareVersion Version { get; private set; }

        public int SecureVersion { get; private set; }

        /// <summary>1 or 2 (see <see cref="ManifestFormat"/>).</summary>
        public int FormatVersion { get; private set; }

        /// <summary>Whether the release carries a firmware image (always in format 1).</summary>
        public bool HasFirmware { get { return Size > 0; } }

        /// <summary>The firmware image's length in bytes; 0 when the release has no firmware part.</summary>
        public int Size { get; private set; }

        /// <summary>SHA-256 of the whole image (32 bytes).</summary>
        public byte[] Sha256 { get; private set; }

        /// <summary>Where to download the image (http or https).</summary>
        public string Url { get; private set; }

        /// <summary>The oldest running version this update may replace; null when any may.</summary>
        public FirmwareVersion MinVersion { get; private set; }

        /// <summary>Bytes per verified block of the firmware image (format 2); 0 when the manifest has no block hashes.</summary>
        public int BlockSize { get; private set; }

        /// <summary>SHA-256 of each block of the firmware image, 32 bytes each, in order; null without block hashes.</summary>
        public byte[] BlockSha256 { get; private set; }

        /// <summary>How many blocks the firmware image has (0 without block hashes).</summary>
        public int BlockCount { get { return BlockSize == 0 ? 0 : ManifestFormat.BlockCount(Size, BlockSize); } }

        /// <summary>
        /// The download length of a pre-encrypted firmware (esp_encrypted_img: header and ciphertext);
        /// 0 when the firmware at <see cref="Url"/> is the plain image.
        /// </summary>
        public int EncryptedSize { get; private set; }

        /// <summary>SHA-256 of the whole pre-encrypted file (header and ciphertext), or null: older manifests do not carry it.</summary>
        public byte[] EncryptedSha256 { get; private set; }

        /// <summary>Whether the firmware at <see cref="Url"/> is pre-encrypted for the board's device key.</summary>
        public bool IsEncrypted { get { return EncryptedSize > 0; } }

        /// <summary>Whether the release carries a managed app (format 2).</summary>
        public bool HasApp { get { return AppSize > 0; } }

        /// <summary>The app's deployment image length; 0 when the release has no app part.</summary>
        public int AppSize { get; private set; }

        /// <summary>SHA-256 of the app's deployment image (32 bytes), or null.</summary>
        public byte[] AppSha256 { get; private set; }

        public string AppUrl { get; private set; }

        /// <summary>The native assemblies and checksums the app needs, or null without an app part.</summary>
        public NativeAssemblyList AppNatives { get; private set; }

        /// <summary>The native assemblies the release's firmware provides, when the packer could read them; else null.</summary>
        public NativeAssemblyList FirmwareNatives { get; private set; }

        /// <summary>Whether the release is an in-field-update package (format 3): nf-ota's updater refuses it; an app hands it to UpdateManager.</summary>
        public bool IsIfu { get { return FormatVersion == 3; } }

        /// <summary>The package's image type as the library's ImageType numbers it: 0 nanoCLR, 1 deployment; -1 when the release is not one.</summary>
        public int IfuImageType { get; private set; }

        /// <summary>The MCUboot header's version (format 3), or null.</summary>
        public IfuVersion IfuVersion { get; private set; }

        /// <summary>The package's protected dependencies (format 3; empty when it has none), or null.</summary>
        public IfuDependency[] IfuDependencies { get; private set; }

        /// <summary>The MCUboot file's length (the session's total length); 0 when the release is not an IFU package.</summary>
        public int IfuSize { get; private set; }

        /// <summary>SHA-256 of the whole MCUboot file (32 bytes), or null.</summary>
        public byte[] IfuSha256 { get; private set; }

        /// <summary>Where to download the MCUboot file, or null.</summary>
        public string IfuUrl { get; private set; }

        /// <summary>The manifest as received.</summary>
        public byte[] Raw { get; private set; }

        /// <summary>How many leading bytes of <see cref="Raw"/> the signature covers.</summary>
        public int SignedLength { get; private set; }

        /// <summary>ECDSA P-256 signature, r‖s (64 bytes).</summary>
        public byte[] Signature { get; private set; }

        /// <summary>Parse the first <paramref name="length"/> bytes; throws <see cref="OtaException"/> saying what is wrong.</summary>
        public static UpdateManifest Parse(byte[] bytes, int length)
        {
            if (bytes == null || length <= 0)
            {
                throw Invalid("the manifest is empty");
            }
            if (length > ManifestFormat.MaxLength || length > bytes.Length)
            {
                throw Invalid("the manifest is longer than " + ManifestFormat.MaxLength.ToString() + " bytes");
            }

            // The signature line is the last one; everything before it is what was signed.
            int signatureLine = FindSignatureLine(bytes, length);
            if (signatureLine < 0)
            {
                throw new OtaException(OtaError.ManifestSignature, "the manifest is not signed (no \"signature=\" line at the end)");
            }

            var manifest = new UpdateManifest { Raw = bytes, SignedLength = signatureLine, IfuImageType = -1 };
            string signatureText = LineText(bytes, signatureLine, length);
            if (signatureText == null)
            {
                throw Invalid("the signature line is not printable ASCII");
            }
            byte[] signature = Hex.Decode(signatureText.Substring(ManifestFormat.SignatureKey.Length + 1), 64);
            if (signature == null)
            {
                throw new OtaException(OtaError.ManifestSignature, "the manifest's signature is not 128 hex digits (ECDSA P-256 r and s)");
            }
            manifest.Signature = signature;

            string[] lines = SplitLines(bytes, signatureLine);
            if (lines.Length > 0 && lines[0] == ManifestFormat.Header)
            {
                manifest.FormatVersion = 1;
            }
            else if (lines.Length > 0 && lines[0] == ManifestFormat.Header2)
            {
                manifest.FormatVersion = 2;
            }
            else if (lines.Length > 0 && lines[0] == ManifestFormat.Header3)
            {
                manifest.FormatVersion = 3;
                ParseIfu(manifest, lines);
                return manifest;
            }
            else
            {
                if (lines.Length > 0 && lines[0].StartsWith(ManifestFormat.HeaderPrefix))
                {
                    throw Invalid("manifest format \"" + lines[0].Substring(ManifestFormat.HeaderPrefix.Length) + "\" is not one this firmware reads (it reads 1, 2 and 3): update the firmware's nf-ota first");
                }
                throw Invalid("not an nf-ota manifest: the first line must be \"" + ManifestFormat.Header + "\" or \"" + ManifestFormat.Header2 + "\"");
            }

            string chip = null, version = null, secureVersion = null, size = null, sha256 = null, url = null, minVersion = null;
            string appSize = null, appSha256 = null, appUrl = null, appNatives = null, firmwareNatives = null;
            string blockSize = null, blockSha256 = null, encryptedSize = null, encryptedSha256 = null;
            bool v2 = manifest.FormatVersion == 2;
            for (int i = 1; i < lines.Length; i++)
            {
                string key, value;
                if (!KeyValue(lines, i, out key, out value))
                {
                    continue;
                }
                switch (key)
                {
                    case ManifestFormat.Chip: chip = Once(chip, key, value); break;
                    case ManifestFormat.Version: version = Once(version, key, value); break;
                    case ManifestFormat.SecureVersion: secureVersion = Once(secureVersion, key, value); break;
                    case ManifestFormat.Size: size = Once(size, key, value); break;
                    case ManifestFormat.Sha256: sha256 = Once(sha256, key, value); break;
                    case ManifestFormat.Url: url = Once(url, key, value); break;
                    case ManifestFormat.MinVersion: minVersion = Once(minVersion, key, value); break;
                    case ManifestFormat.AppSize: if (v2) appSize = Once(appSize, key, value); break;
                    case ManifestFormat.AppSha256: if (v2) appSha256 = Once(appSha256, key, value); break;
                    case ManifestFormat.AppUrl: if (v2) appUrl = Once(appUrl, key, value); break;
                    case ManifestFormat.AppNatives: if (v2) appNatives = Once(appNatives, key, value); break;
                    case ManifestFormat.FirmwareNatives: if (v2) firmwareNatives = Once(firmwareNatives, key, value); break;
                    case ManifestFormat.BlockSize: if (v2) blockSize = Once(blockSize, key, value); break;
                    case ManifestFormat.BlockSha256: if (v2) blockSha256 = Once(blockSha256, key, value); break;
                    case ManifestFormat.EncryptedSize: if (v2) encryptedSize = Once(encryptedSize, key, value); break;
                    case ManifestFormat.EncryptedSha256: if (v2) encryptedSha256 = Once(encryptedSha256, key, value); break;
                    case ManifestFormat.SignatureKey: throw Invalid("\"signature\" must be the last line, and only once");
                    default: break; // signed, ignored: room for later versions
                }
            }

            SetChipAndVersion(manifest, chip, version);
            bool firmware = !v2 || size != null || sha256 != null || url != null || secureVersion != null;
            bool app = appSize != null || appSha256 != null || appUrl != null || appNatives != null;
            if (!firmware && !app)
            {
                throw Invalid("the manifest describes neither a firmware (size, sha256, url) nor an app (app-size, app-sha256, app-url, app-natives)");
            }
            if (firmware)
            {
                manifest.SecureVersion = DecimalText.Parse(Required(secureVersion, ManifestFormat.SecureVersion));
                if (manifest.SecureVersion < 0)
                {
                    throw Invalid("secure-version \"" + secureVersion + "\" is not a non-negative whole number");
                }
                manifest.Size = DecimalText.Parse(Required(size, ManifestFormat.Size));
                if (manifest.Size <= 0)
                {
                    throw Invalid("size \"" + size + "\" is not a positive whole number of bytes");
                }
                manifest.Sha256 = Hex.Decode(Required(sha256, ManifestFormat.Sha256), 32);
                if (manifest.Sha256 == null)
                {
                    throw Invalid("sha256 is not 64 hex digits");
                }
                manifest.Url = CheckUrl(Required(url, ManifestFormat.Url), ManifestFormat.Url);
            }
            if (app)
            {
                manifest.AppSize = DecimalText.Parse(Required(appSize, ManifestFormat.AppSize));
                if (manifest.AppSize <= 0)
                {
                    throw Invalid("app-size \"" + appSize + "\" is not a positive whole number of bytes");
                }
                manifest.AppSha256 = Hex.Decode(Required(appSha256, ManifestFormat.AppSha256), 32);
                if (manifest.AppSha256 == null)
                {
                    throw Invalid("app-sha256 is not 64 hex digits");
                }
                manifest.AppUrl = CheckUrl(Required(appUrl, ManifestFormat.AppUrl), ManifestFormat.AppUrl);
                if (appNatives == null)
                {
                    throw Invalid("\"" + ManifestFormat.AppNatives + "\" is missing");
                }
                manifest.AppNatives = NativeAssemblyList.Parse(appNatives);
                if (manifest.AppNatives == null)
                {
                    throw Invalid("app-natives is not a list of name:checksum (names of letters, digits, '.', '_', '-'; 8 hex digits) joined by commas");
                }
            }
            if (blockSize != null || blockSha256 != null)
            {
                if (!firmware)
                {
                    throw Invalid("block-size and block-sha256 describe a firmware image, and the release has none");
                }
                manifest.BlockSize = DecimalText.Parse(Required(blockSize, ManifestFormat.BlockSize));
                if (manifest.BlockSize <= 0 || manifest.BlockSize % 4096 != 0)
                {
                    throw Invalid("block-size \"" + blockSize + "\" is not a positive multiple of 4096");
                }
                int blocks = manifest.BlockCount;
                if (blocks > ManifestFormat.MaxBlocks)
                {
                    throw Invalid("the image has " + blocks.ToString() + " blocks of " + blockSize + " bytes; at most " + ManifestFormat.MaxBlocks.ToString() + " are allowed (pack it with a larger --block-size)");
                }
                manifest.BlockSha256 = Hex.Decode(Required(blockSha256, ManifestFormat.BlockSha256), 32 * blocks);
                if (manifest.BlockSha256 == null)
                {
                    throw Invalid("block-sha256 is not " + blocks.ToString() + " SHA-256 digests (" + (64 * blocks).ToString() + " hex digits) for " + blocks.ToString() + " blocks");
                }
            }
            if (encryptedSize != null)
            {
                manifest.EncryptedSize = DecimalText.Parse(encryptedSize);
                if (!firmware || manifest.EncryptedSize != manifest.Size + ManifestFormat.EncryptedHeaderLength)
                {
                    throw Invalid("encrypted-size \"" + encryptedSize + "\" is not the firmware's size plus the 512-byte header of a pre-encrypted image, or the release has no firmware");
                }
            }
            if (encryptedSha256 != null)
            {
                manifest.EncryptedSha256 = Hex.Decode(encryptedSha256, 32);
                if (manifest.EncryptedSha256 == null || encryptedSize == null)
                {
                    throw Invalid("encrypted-sha256 is not 64 hex digits, or the release has no encrypted-size (it describes a pre-encrypted firmware file)");
                }
            }
            if (firmwareNatives != null)
            {
                manifest.FirmwareNatives = NativeAssemblyList.Parse(firmwareNatives);
                if (manifest.FirmwareNatives == null || !firmware)
                {
                    throw Invalid("firmware-natives is not a list of name:checksum (names of letters, digits, '.', '_', '-') joined by commas, or the release has no firmware");
                }
            }
            if (minVersion != null)
            {
                manifest.MinVersion = FirmwareVersion.TryParse(minVersion);
                if (manifest.MinVersion == null)
                {
                    throw Invalid("min-version \"" + minVersion + "\" is not numbers joined by dots (like 1.0.0)");
                }
            }
            return manifest;
        }

        /// <summary>Line i as key=value (false for an empty line; an invalid manifest for anything else).</summary>
        private static bool KeyValue(string[] lines, int i, out string key, out string value)
        {
            string line = lines[i];
            key = null;
            value = null;
            if (line.Length == 0)
            {
                return false;
            }
            int equals = line.IndexOf('=');
            if (equals <= 0)
            {
                throw Invalid("line " + (i + 1).ToString() + " is not key=value: \"" + line + "\"");
            }
            key = line.Substring(0, equals);
            value = line.Substring(equals + 1);
            return true;
        }

        /// <summary>chip and version, which every format has.</summary>
        private static void SetChipAndVersion(UpdateManifest manifest, string chip, string version)
        {
            manifest.Chip = Required(chip, ManifestFormat.Chip);
            manifest.ChipId = Chips.IdOf(chip);
            if (manifest.ChipId < 0)
            {
                throw Invalid("chip \"" + chip + "\" is not one of esp32, esp32s2, esp32s3, esp32c2, esp32c3, esp32c6, esp32h2");
            }
            manifest.Version = FirmwareVersion.TryParse(Required(version, ManifestFormat.Version));
            if (manifest.Version == null)
            {
                throw Invalid("version \"" + version + "\" is not numbers joined by dots (like 2.1.0)");
            }
        }

        /// <summary>
        /// Format 3: chip, version, ifu-image, ifu-version, size, sha256, url and optional ifu-dependencies;
        /// other keys are signed but ignored.
        /// </summary>
        private static void ParseIfu(UpdateManifest manifest, string[] lines)
        {
            string chip = null, version = null, image = null, ifuVersion = null, size = null, sha256 = null, url = null, dependencies = null;
            for (int i = 1; i < lines.Length; i++)
            {
                string key, value;
                if (!KeyValue(lines, i, out key, out value))
                {
                    continue;
                }
                switch (key)
                {
                    case ManifestFormat.Chip: chip = Once(chip, key, value); break;
                    case ManifestFormat.Version: version = Once(version, key, value); break;
                    case ManifestFormat.IfuImage: image = Once(image, key, value); break;
                    case ManifestFormat.IfuVersion: ifuVersion = Once(ifuVersion, key, value); break;
                    case ManifestFormat.Size: size = Once(size, key, value); break;
                    case ManifestFormat.Sha256: sha256 = Once(sha256, key, value); break;
                    case ManifestFormat.Url: url = Once(url, key, value); break;
                    case ManifestFormat.IfuDependencies: dependencies = Once(dependencies, key, value); break;
                    case ManifestFormat.SignatureKey: throw Invalid("\"signature\" must be the last line, and only once");
                    default: break; // signed, ignored: room for later versions
                }
            }
            SetChipAndVersion(manifest, chip, version);
            Required(image, ManifestFormat.IfuImage);
            manifest.IfuImageType = image == ManifestFormat.IfuNanoClr ? 0 : image == ManifestFormat.IfuDeployment ? 1 : -1;
            if (manifest.IfuImageType < 0)
            {
                throw Invalid("ifu-image \"" + image + "\" is not " + ManifestFormat.IfuNanoClr + " or " + ManifestFormat.IfuDeployment);
            }
            manifest.IfuVersion = IfuVersion.TryParse(Required(ifuVersion, ManifestFormat.IfuVersion));
            if (manifest.IfuVersion == null)
            {
                throw Invalid("ifu-version \"" + ifuVersion + "\" is not an MCUboot version as imgtool prints it (like 1.2.3+0)");
            }
            SetIfuFile(manifest, size, sha256, url);
            manifest.IfuDependencies = dependencies == null ? new IfuDependency[0] : IfuDependency.ParseList(dependencies);
            if (manifest.IfuDependencies == null)
            {
                throw Invalid("ifu-dependencies is not a list of image:version (like 0:1.5.0+0) joined by commas");
            }
        }

        /// <summary>Format 3's size, sha256 and url: the whole MCUboot file.</summary>
        private static void SetIfuFile(UpdateManifest manifest, string size, string sha256, string url)
        {
            manifest.IfuSize = DecimalText.Parse(Required(size, ManifestFormat.Size));
            if (manifest.IfuSize <= 0)
            {
                throw Invalid("size \"" + size + "\" is not a positive whole number of bytes");
            }
            manifest.IfuSha256 = Hex.Decode(Required(sha256, ManifestFormat.Sha256), 32);
            if (manifest.IfuSha256 == null)
            {
                throw Invalid("sha256 is not 64 hex digits");
            }
            manifest.IfuUrl = CheckUrl(Required(url, ManifestFormat.Url), ManifestFormat.Url);
        }

        private static string CheckUrl(string url, string key)
        {
            if (!(url.StartsWith("http://") || url.StartsWith("https://")) || url.Length < 10)
            {
                throw Invalid(key + " \"" + url + "\" is not an http:// or https:// address");
            }
            return url;
        }

        private static OtaException Invalid(string message)
        {
            return new OtaException(OtaError.ManifestInvalid, "manifest: " + message);
        }

        private static string Once(string seen, string key, string value)
        {
            if (seen != null)
            {
                throw Invalid("\"" + key + "\" appears twice");
            }
            return value;
        }

        private static string Required(string value, string key)
        {
            if (value == null || value.Length == 0)
            {
                throw Invalid("\"" + key + "\" is missing");
            }
            return value;
        }

        /// <summary>Offset of the line starting "signature=" that ends the manifest, or -1.</summary>
        private static int FindSignatureLine(byte[] bytes, int length)
        {
            int end = length;
            // A final newline (LF or CRLF) may follow the signature.
            if (end > 0 && bytes[end - 1] == (byte)'\n') end--;
            if (end > 0 && bytes[end - 1] == (byte)'\r') end--;
            int start = end;
            while (start > 0 && bytes[start - 1] != (byte)'\n')
            {
                start--;
            }
            if (start == 0)
            {
                return -1;
            }
            string key = ManifestFormat.SignatureKey + "=";
            if (end - start < key.Length)
            {
                return -1;
            }
            for (int i = 0; i < key.Length; i++)
            {
                if (bytes[start + i] != (byte)key[i])
                {
                    return -1;
                }
            }
            return start;
        }

        /// <summary>The line at <paramref name="start"/> up to its end (no CR/LF), or null if not printable ASCII.</summary>
        private static string LineText(byte[] bytes, int start, int length)
        {
            int end = start;
            while (end < length && bytes[end] != (byte)'\n' && bytes[end] != (byte)'\r')
            {
                end++;
            }
            for (int i = end; i < length; i++)
            {
                if (bytes[i] != (byte)'\n' && bytes[i] != (byte)'\r')
                {
                    return null;
                }
            }
            return Ascii.Decode(bytes, start, end - start);
        }

        private static string[] SplitLines(byte[] bytes, int length)
        {
            int count = 0;
            for (int i = 0; i < length; i++)
            {
                if (bytes[i] == (byte)'\n') count++;
            }
            var lines = new string[count];
            int start = 0, line = 0;
            for (int i = 0; i < length; i++)
            {
                if (bytes[i] != (byte)'\n') continue;
                int end = i > start && bytes[i - 1] == (byte)'\r' ? i - 1 : i;
                string text = Ascii.Decode(bytes, start, end - start);
                if (text == null)
                {
                    throw Invalid("line " + (line + 1).ToString() + " holds bytes that are not printable ASCII");
                }
                lines[line++] = text;
                start = i + 1;
            }
            return lines;
        }
    }
}
