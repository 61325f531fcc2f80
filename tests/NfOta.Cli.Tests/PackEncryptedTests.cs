using System.Text.Json;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Esp32.EncryptedImages;
using NfOta.Esp32.Tests;

namespace NfOta.Cli.Tests;

/// <summary>nfota pack --encrypt-for, verify --device-key and keys device-partition (issue 13).</summary>
public sealed class PackEncryptedTests
{
    private static string Vector(string name) => Vectors.PathOf("pre-encrypted-ota", name);

    private static (TempDir Dir, string Image) Setup()
    {
        var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        var image = dir["fw.bin"];
        File.WriteAllBytes(image, Boards.Image(EspChip.Esp32C3, "2.0.0"));
        return (dir, image);
    }

    private static CliResult Pack(TempDir dir, params string[] more) =>
        CliRunner.Run(["pack", "--key", dir["keys/manifest-key.pem"], "--url-base", "https://updates.example.com/fw", "--out", dir["pkg"], .. more]);

    [Theory]
    [InlineData("key-rsa3072")]
    [InlineData("key-ecies-p256")]
    public void PackEncryptsTheFirmwareForTheDeviceKeyAndTheManifestSignsThePlaintext(string key)
    {
        var (dir, image) = Setup();
        using var _ = dir;
        var packed = Pack(dir, image, "--encrypt-for", Vector(key + ".pub.pem"), "--json");
        Assert.Equal(0, packed.ExitCode);
        using var json = JsonDocument.Parse(packed.Out);
        Assert.Equal("https://updates.example.com/fw/nf-ota-test-2.0.0.enc.bin", json.RootElement.GetProperty("url").GetString());
        var plain = File.ReadAllBytes(image);
        Assert.Equal(plain.Length + 512, json.RootElement.GetProperty("encryptedSize").GetInt32());
        Assert.False(File.Exists(dir["pkg/nf-ota-test-2.0.0.bin"])); // the plaintext never reaches the package

        // ESP-IDF's format rules: the device's private key (the vectors') decrypts it to the image.
        var file = File.ReadAllBytes(dir["pkg/nf-ota-test-2.0.0.enc.bin"]);
        using var device = DeviceKey.FromPem(File.ReadAllText(Vector(key + ".pem")));
        Assert.Equal(plain, EncryptedImage.Decrypt(file, device));
        var manifest = File.ReadAllText(dir["pkg/latest.manifest"]);
        Assert.Contains($"size={plain.Length}\n", manifest);
        Assert.Contains($"sha256={Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(plain))}\n", manifest);
        Assert.Contains($"encrypted-size={plain.Length + 512}\n", manifest);

        Assert.Equal(0, CliRunner.Run("verify", dir["pkg"], "--pubkey", dir["keys/manifest-key.pub.pem"]).ExitCode);
        Assert.Equal(0, CliRunner.Run("verify", dir["pkg"], "--pubkey", dir["keys/manifest-key.pub.pem"], "--device-key", Vector(key + ".pem")).ExitCode);
    }

    [Fact]
    public void VerifyWithTheDeviceKeyFindsATamperedTagAndWithoutItATruncatedFile()
    {
        var (dir, image) = Setup();
        using var _ = dir;
        Assert.Equal(0, Pack(dir, image, "--encrypt-for", Vector("key-rsa3072.pub.pem")).ExitCode);
        var path = dir["pkg/nf-ota-test-2.0.0.enc.bin"];
        var file = File.ReadAllBytes(path);
        file[408] ^= 1; // the GCM tag: decrypting tells, and so does the manifest's encrypted-sha256, without the key
        File.WriteAllBytes(path, file);
        var withoutKey = CliRunner.Run("verify", dir["pkg"], "--pubkey", dir["keys/manifest-key.pub.pem"]);
        Assert.Equal(1, withoutKey.ExitCode);
        Assert.Contains("[hash-mismatch]", withoutKey.Out + withoutKey.Error);
        var withKey = CliRunner.Run("verify", dir["pkg"], "--pubkey", dir["keys/manifest-key.pub.pem"], "--device-key", Vector("key-rsa3072.pem"));
        Assert.Equal(1, withKey.ExitCode);
        Assert.Contains("[encrypted-image-tag]", withKey.Out + withKey.Error);

        File.WriteAllBytes(path, file[..^1]);
        var truncated = CliRunner.Run("verify", dir["pkg"], "--pubkey", dir["keys/manifest-key.pub.pem"]);
        Assert.Equal(1, truncated.ExitCode);
        Assert.Contains("encrypted-size", truncated.Out + truncated.Error);
    }

    [Fact]
    public void AnAppOnlyReleaseCannotBeEncryptedAndNothingIsWritten()
    {
        var (dir, _) = Setup();
        using var __ = dir;
        File.WriteAllBytes(dir["a.pe"], NfOta.NanoFramework.PeWriter.Write("mscorlib", new Version(1, 17, 11, 0), 0x1549C856, [], 300));
        var result = Pack(dir, "--app", dir["a.pe"], "--version", "1.1.0", "--chip", "esp32c3", "--encrypt-for", Vector("key-rsa3072.pub.pem"));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--encrypt-for", Assert.Single(result.ErrorLines));
        Assert.False(Directory.Exists(dir["pkg"]) && Directory.EnumerateFiles(dir["pkg"]).Any());
    }

    [Theory]
    [InlineData("key-rsa3072.pem", 1)]
    [InlineData("key-ecies-p256.pem", 2)]
    public void DevicePartitionWritesTheKeyInTheLayoutTheFirmwareReads(string key, int scheme)
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("keys", "device-partition", "--device-key", Vector(key), "--out", dir["nfota_key.bin"]);
        Assert.Equal(0, result.ExitCode);
        var image = File.ReadAllBytes(dir["nfota_key.bin"]);
        Assert.Equal(4096, image.Length);
        Assert.Equal("NFOTADK1"u8.ToArray(), image[..8]);
        Assert.Equal(scheme, BitConverter.ToInt32(image, 8));
        var length = BitConverter.ToInt32(image, 12);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(image.AsSpan(0, 16 + length)), image[(16 + length)..(48 + length)]);
        Assert.All(image[(48 + length)..], b => Assert.Equal(0xFF, b));
        // The C tests read the same key from the same bytes (native/tests/data holds its DER or scalar).
        var native = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "native-data", scheme == 1 ? "device-key-rsa3072.der" : "device-key-ecies-p256.scalar"));
        Assert.Equal(native, image[16..(16 + length)]);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir["nfota_key.bin"]));
        }
    }

    [Fact]
    public void DevicePartitionRefusesAPublicKeyAndWillNotOverwriteAnotherBoardsKey()
    {
        using var dir = new TempDir();
        var pub = CliRunner.Run("keys", "device-partition", "--device-key", Vector("key-rsa3072.pub.pem"), "--out", dir["k.bin"]);
        Assert.Equal(2, pub.ExitCode);
        Assert.Contains("private key", Assert.Single(pub.ErrorLines));
        Assert.False(File.Exists(dir["k.bin"]));

        File.WriteAllText(dir["k.bin"], "another board");
        var again = CliRunner.Run("keys", "device-partition", "--device-key", Vector("key-rsa3072.pem"), "--out", dir["k.bin"]);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Equal("another board", File.ReadAllText(dir["k.bin"]));
        Assert.Equal(0, CliRunner.Run("keys", "device-partition", "--device-key", Vector("key-rsa3072.pem"), "--out", dir["k.bin"], "--force").ExitCode);
        Assert.Equal(4096, new FileInfo(dir["k.bin"]).Length);
    }
}
