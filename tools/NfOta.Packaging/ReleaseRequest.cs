namespace NfOta.Packaging;

/// <summary>What <c>nfota pack</c> is asked to release: a firmware image, an app, or both.</summary>
public sealed record ReleaseRequest
{
    /// <summary>The firmware image (as ESP-IDF builds it, signed for secure boot v2 when the board uses it); null: app-only.</summary>
    public byte[]? Firmware { get; init; }

    /// <summary>The app; null: firmware-only.</summary>
    public AppPart? App { get; init; }

    /// <summary>The firmware an app-only release runs with, to take its chip and check the app binds to it.</summary>
    public byte[]? ForFirmware { get; init; }

    /// <summary>The release's version (app-only; a firmware brings its own).</summary>
    public string? Version { get; init; }

    /// <summary>The chip (app-only, without <see cref="ForFirmware"/>).</summary>
    public string? Chip { get; init; }

    /// <summary>NAME in NAME-VERSION (app-only; default: <see cref="ReleaseName.For"/>).</summary>
    public string? Name { get; init; }

    public string? MinVersion { get; init; }

    /// <summary>Bytes per hashed block of the firmware image (a multiple of 4096); null: <see cref="BlockHashes.DefaultFor"/>.</summary>
    public int? BlockSize { get; init; }

    /// <summary>
    /// The device key (its public half is enough) to pre-encrypt the firmware for, in esp_encrypted_img's
    /// format; null: the firmware is published as it is. The manifest still signs the plaintext.
    /// </summary>
    public NfOta.Esp32.EncryptedImages.DeviceKey? EncryptFor { get; init; }

    /// <summary>Where the encryption's random key, IV and ephemeral key come from; null: the system's RNG (tests fix them).</summary>
    public NfOta.Esp32.EncryptedImages.EncryptedImage.IRandomness? Randomness { get; init; }

    public required string UrlBase { get; init; }

    public required string OutDirectory { get; init; }

    /// <summary>
    /// Replace a release of the same version already in the folder whose files differ (another
    /// build, URL or key), and remove its plaintext NAME-VERSION.bin when the firmware is encrypted.
    /// True by default for library callers (tests, the demo); `nfota pack` sets it only with --force,
    /// and refuses otherwise (<c>release-exists</c>, <c>plaintext-exists</c>).
    /// </summary>
    public bool ReplacePublished { get; init; } = true;

    /// <summary>Write the release even when its app would not bind to its firmware (tests and the demo use it to put a bad release on a server).</summary>
    public bool SkipNativeCheck { get; init; }
}
