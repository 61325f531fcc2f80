using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Tests;

namespace NfOta.Cli.Tests;

/// <summary>
/// A version names one release: pack refuses to replace a published NAME-VERSION with other content
/// (release-exists) unless --force, and with --encrypt-for refuses a plaintext NAME-VERSION.bin left
/// in the folder, where serve would deliver it (plaintext-exists), unless --force, which removes it.
/// </summary>
public sealed class PackReleaseExistsTests
{
    private const string Stem = "nf-ota-test-2.0.0";

    private static TempDir Setup()
    {
        var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        File.WriteAllBytes(dir["fw.bin"], Boards.Image(EspChip.Esp32C3, "2.0.0"));
        File.WriteAllBytes(dir["fw-other.bin"], Boards.Image(EspChip.Esp32C3, "2.0.0", codeBytes: 30_000));
        return dir;
    }

    private static CliResult Pack(TempDir dir, string image, string urlBase, params string[] more) =>
        CliRunner.Run(["pack", dir[image], "--key", dir["keys/manifest-key.pem"], "--url-base", urlBase, "--out", dir["pkg"], .. more]);

    [Fact]
    public void TheSameReleasePackedAgainPasses()
    {
        using var dir = Setup();
        Assert.Equal(0, Pack(dir, "fw.bin", "https://a.example/").ExitCode);
        var again = Pack(dir, "fw.bin", "https://a.example/");
        Assert.True(again.ExitCode == 0, again.Error);
    }

    [Theory]
    [InlineData("fw.bin", "https://b.example/")]   // another URL
    [InlineData("fw-other.bin", "https://a.example/")] // another build of the same version
    public void AnotherReleaseOfTheSameVersionIsRefusedUnlessForced(string image, string urlBase)
    {
        using var dir = Setup();
        Assert.Equal(0, Pack(dir, "fw.bin", "https://a.example/").ExitCode);
        var manifest = File.ReadAllBytes(dir[$"pkg/{Stem}.manifest"]);
        var published = File.ReadAllBytes(dir[$"pkg/{Stem}.bin"]);

        var refused = Pack(dir, image, urlBase);
        Assert.Equal(2, refused.ExitCode);
        Assert.EndsWith("[release-exists]", Assert.Single(refused.ErrorLines));
        Assert.Equal(manifest, File.ReadAllBytes(dir[$"pkg/{Stem}.manifest"]));
        Assert.Equal(published, File.ReadAllBytes(dir[$"pkg/{Stem}.bin"]));
        Assert.Equal(manifest, File.ReadAllBytes(dir["pkg/latest.manifest"]));

        Assert.Equal(0, Pack(dir, image, urlBase, "--force").ExitCode);
        Assert.Contains(urlBase, File.ReadAllText(dir[$"pkg/{Stem}.manifest"]));
        Assert.Equal(File.ReadAllBytes(dir[image]), File.ReadAllBytes(dir[$"pkg/{Stem}.bin"]));
    }

    [Fact]
    public void EncryptingBesideThePlaintextIsRefusedAndForceRemovesIt()
    {
        using var dir = Setup();
        Assert.Equal(0, Pack(dir, "fw.bin", "https://a.example/").ExitCode);
        var devicePub = Vectors.PathOf("pre-encrypted-ota", "key-rsa3072.pub.pem");

        var refused = Pack(dir, "fw.bin", "https://a.example/", "--encrypt-for", devicePub);
        Assert.Equal(2, refused.ExitCode);
        Assert.EndsWith("[plaintext-exists]", Assert.Single(refused.ErrorLines));
        Assert.False(File.Exists(dir[$"pkg/{Stem}.enc.bin"]));

        var forced = Pack(dir, "fw.bin", "https://a.example/", "--encrypt-for", devicePub, "--force");
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Contains("removed", forced.Out);
        Assert.False(File.Exists(dir[$"pkg/{Stem}.bin"]));
        Assert.True(File.Exists(dir[$"pkg/{Stem}.enc.bin"]));
        Assert.Equal(0, CliRunner.Run("verify", dir["pkg"], "--pubkey", dir["keys/manifest-key.pub.pem"]).ExitCode);
    }
}
