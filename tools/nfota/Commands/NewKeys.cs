using NfOta.Cli.Cli;
using NfOta.Esp32.EncryptedImages;
using NfOta.Esp32.SecureBoot;
using NfOta.Packaging;

namespace NfOta.Cli.Commands;

/// <summary>
/// What one <c>keys new</c> makes: the files to write (all or none), and what it tells the user:
/// every file it wrote, the public values, and how to burn the secure boot key's digest.
/// </summary>
internal sealed class NewKeys : IDisposable
{
    private readonly List<(string Name, string Note)> _written = [];

    private NewKeys(string directory, ManifestKey manifestKey, bool manifestKept, bool manifestPrivateHere)
    {
        Directory = directory;
        ManifestKey = manifestKey;
        ManifestKept = manifestKept;
        ManifestPrivateHere = manifestPrivateHere;
    }

    public string Directory { get; }

    public ManifestKey ManifestKey { get; }

    public bool ManifestKept { get; }

    public bool ManifestPrivateHere { get; }

    public List<KeyFiles.KeyPair> Pairs { get; } = [];

    public List<(string Name, byte[] Bytes)> PrivateFiles { get; } = [];

    public List<(string Name, byte[] Bytes)> PublicFiles { get; } = [];

    public SecureBootKey? SecureBootKey { get; private set; }

    public byte[]? SecureBootDigest { get; private set; }

    public string? DeviceScheme { get; private set; }

    public static NewKeys Make(string directory, (ManifestKey Key, bool Kept, bool PrivateHere) manifest, string? secureBoot, string? deviceKey)
    {
        var keys = new NewKeys(directory, manifest.Key, manifest.Kept, manifest.PrivateHere);
        if (!manifest.Kept)
        {
            keys.Pairs.Add(new(KeyFiles.ManifestPrivate, manifest.Key.PrivateKeyPem(), KeyFiles.ManifestPublic, manifest.Key.PublicKeyPem()));
            keys._written.Add((KeyFiles.ManifestPrivate, "private, owner-only: keep it off devices and out of git"));
            keys._written.Add((KeyFiles.ManifestPublic, ""));
        }
        if (secureBoot is not null) keys.AddSecureBootKey(secureBoot);
        if (deviceKey is not null) keys.AddDeviceKey(deviceKey);
        return keys;
    }

    private void AddSecureBootKey(string scheme)
    {
        var pem = KeyFiles.NewSecureBootPem(scheme);
        SecureBootKey = SecureBootKey.FromPem(pem);
        SecureBootDigest = SecureBootV2.PublicKeyDigest(SecureBootKey);
        Pairs.Add(new(KeyFiles.SecureBootPrivate, pem, KeyFiles.SecureBootPublic, KeyFiles.PublicPemOf(SecureBootKey, pem)));
        PublicFiles.Add((KeyFiles.SecureBootDigest, SecureBootDigest));
        _written.Add((KeyFiles.SecureBootPrivate, "private, owner-only: secure-boot sign --key"));
        _written.Add((KeyFiles.SecureBootPublic, "secure-boot verify --key, inspect --secure-boot-key"));
        _written.Add((KeyFiles.SecureBootDigest, "the 32-byte public key digest for eFuse, as espsecure digest-sbv2-public-key writes it"));
    }

    private void AddDeviceKey(string scheme)
    {
        // The parser gives an option's value from the next token even when that is another option
        // ("--device-key --force"): only a known scheme makes a key.
        if (!KeyFiles.DeviceKeySchemes.Contains(scheme))
        {
            throw new PackagingException("invalid-argument", $"--device-key '{scheme}' is not one of {string.Join(", ", KeyFiles.DeviceKeySchemes)}");
        }
        DeviceScheme = scheme;
        byte[]? hmac = scheme == "ecies-p256" ? System.Security.Cryptography.RandomNumberGenerator.GetBytes(32) : null;
        using var key = hmac is null ? DeviceKey.NewRsa3072() : DeviceKey.FromHmacKey(hmac);
        Pairs.Add(new(KeyFiles.DevicePrivate, key.PrivateKeyPem(), KeyFiles.DevicePublic, key.PublicKeyPem()));
        _written.Add((KeyFiles.DevicePublic, "encrypt-image --device-key"));
        _written.Add((KeyFiles.DevicePrivate, "private, owner-only: decrypt-image --device-key"));
        if (hmac is null) return;
        PrivateFiles.Add((KeyFiles.DeviceHmac, hmac));
        _written.Add((KeyFiles.DeviceHmac, "private, owner-only: the HMAC key the device derives its P-256 key from; burn it into an eFuse key block for HMAC"));
    }

    public void Dispose() => SecureBootKey?.Dispose();

    private string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Every file written, in the order listed.</summary>
    public IEnumerable<string> Written => _written.Select(w => PathOf(w.Name));

    public IReadOnlyList<DigestBurning.Burn> Burns => SecureBootKey is null ? []
        : DigestBurnGuide.Burns(SecureBootKey.Scheme, PathOf(KeyFiles.SecureBootPublic), PathOf(KeyFiles.SecureBootDigest));

    public object Json() => new
    {
        manifestPrivateKey = ManifestPrivateHere ? PathOf(KeyFiles.ManifestPrivate) : null,
        manifestPublicKey = PathOf(KeyFiles.ManifestPublic),
        manifestPublicKeyHex = Convert.ToHexStringLower(ManifestKey.PublicKeyBytes()),
        manifestKeyKept = ManifestKept,
        secureBootPrivateKey = SecureBootKey is null ? null : PathOf(KeyFiles.SecureBootPrivate),
        secureBootPublicKey = SecureBootKey is null ? null : PathOf(KeyFiles.SecureBootPublic),
        secureBootKeyDigest = SecureBootDigest is null ? null : Convert.ToHexStringLower(SecureBootDigest),
        secureBootDigestFile = SecureBootKey is null ? null : PathOf(KeyFiles.SecureBootDigest),
        espefuse = SecureBootKey is null ? null : Burns.Select(b => new { chip = b.Chip.Name, command = b.Command, note = b.Note }),
        deviceKeyScheme = DeviceScheme,
        devicePublicKey = DeviceScheme is null ? null : PathOf(KeyFiles.DevicePublic),
        devicePrivateKey = DeviceScheme is null ? null : PathOf(KeyFiles.DevicePrivate),
        deviceHmacKey = DeviceScheme == "ecies-p256" ? PathOf(KeyFiles.DeviceHmac) : null,
        written = Written,
    };

    public void Print(TextWriter output)
    {
        if (ManifestKept)
        {
            output.WriteLine(ManifestPrivateHere
                ? $"kept {TerminalText.Escape(PathOf(KeyFiles.ManifestPrivate))} (already there; the new key is added beside it)"
                : $"kept {TerminalText.Escape(PathOf(KeyFiles.ManifestPublic))} (already there, its private key elsewhere; no manifest key was made, the new key is added beside it)");
        }
        foreach (var (name, note) in _written)
        {
            output.WriteLine($"wrote {TerminalText.Escape(PathOf(name))}{(note.Length == 0 ? "" : $" ({note})")}");
        }
        output.WriteLine("manifest public key for the app (OtaUpdater's manifestPublicKey):");
        output.WriteLine(KeysCommands.CSharpBytes(ManifestKey.PublicKeyBytes()));
        if (SecureBootKey is null) return;
        output.WriteLine($"secure boot v2 public key digest (eFuse): {Convert.ToHexStringLower(SecureBootDigest!)}");
        foreach (var line in DigestBurnGuide.Lines(SecureBootKey.Scheme, PathOf(KeyFiles.SecureBootPublic), PathOf(KeyFiles.SecureBootDigest)))
        {
            output.WriteLine(line);
        }
    }
}
