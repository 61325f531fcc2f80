using System.Text.Json;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;

namespace NfOta.Cli.Tests;

/// <summary>
/// verify says valid only for what serve delivers: a symbolic link, a file that is no regular file,
/// or a dot-named file is answered 404 by serve, so verify reports it (not-servable). One unreadable
/// or dangling manifest is one failed row; the rest are still checked.
/// </summary>
public sealed class VerifyServableTests
{
    private const string Stem = "nf-ota-test-2.0.0";

    private static TempDir Packed()
    {
        var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        File.WriteAllBytes(dir["fw.bin"], Boards.Image(EspChip.Esp32C3, "2.0.0"));
        Assert.Equal(0, CliRunner.Run("pack", dir["fw.bin"], "--key", dir["keys/manifest-key.pem"], "--url-base", "https://u.example/", "--out", dir["pkg"]).ExitCode);
        Assert.Equal(0, Verify(dir).ExitCode);
        return dir;
    }

    private static CliResult Verify(TempDir dir, bool json = false) =>
        CliRunner.Run(["verify", dir["pkg"], "--pubkey", dir["keys/manifest-key.pub.pem"], .. json ? new[] { "--json" } : []]);

    private static Dictionary<string, string[]> Rows(CliResult result)
    {
        using var doc = JsonDocument.Parse(result.Out);
        return doc.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("manifest").GetString()!,
            r => r.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToArray());
    }

    [Fact]
    public void ALatestManifestThatIsASymlinkIsNotServable()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = Packed();
        File.Delete(dir["pkg/latest.manifest"]);
        File.CreateSymbolicLink(dir["pkg/latest.manifest"], Stem + ".manifest");
        var result = Verify(dir, json: true);
        Assert.Equal(1, result.ExitCode);
        var rows = Rows(result);
        Assert.Contains("[not-servable]", Assert.Single(rows["latest.manifest"]));
        Assert.Contains("symbolic link", rows["latest.manifest"][0]);
        Assert.Empty(rows[Stem + ".manifest"]);
    }

    [Fact]
    public void ASymlinkedImageIsNotServable()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = Packed();
        File.Move(dir[$"pkg/{Stem}.bin"], dir["image-elsewhere.bin"]);
        File.CreateSymbolicLink(dir[$"pkg/{Stem}.bin"], dir["image-elsewhere.bin"]);
        var result = Verify(dir, json: true);
        Assert.Equal(1, result.ExitCode);
        Assert.All(Rows(result).Values, problems => Assert.Contains("[not-servable]", Assert.Single(problems)));
    }

    [Fact]
    public void ADotNamedManifestIsNotServable()
    {
        using var dir = Packed();
        File.Copy(dir[$"pkg/{Stem}.manifest"], dir["pkg/.staged.manifest"]);
        var result = Verify(dir, json: true);
        Assert.Equal(1, result.ExitCode);
        var rows = Rows(result);
        Assert.Contains("[not-servable]", Assert.Single(rows[".staged.manifest"]));
        Assert.Empty(rows["latest.manifest"]);
    }

    [Fact]
    public void AFifoManifestIsNotServableAndNotRead()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = Packed();
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", dir["pkg/pipe.manifest"]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }
        var result = Verify(dir, json: true);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("not a regular file", Assert.Single(Rows(result)["pipe.manifest"]));
    }

    [Fact]
    public void ADanglingManifestIsOneFailedRowNotAnAbort()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = Packed();
        File.CreateSymbolicLink(dir["pkg/gone.manifest"], dir["no-such-file"]);
        var result = Verify(dir, json: true);
        Assert.Equal(1, result.ExitCode);
        var rows = Rows(result);
        Assert.Equal(3, rows.Count);
        Assert.Contains("[not-servable]", Assert.Single(rows["gone.manifest"]));
        Assert.Empty(rows["latest.manifest"]);
        Assert.Empty(rows[Stem + ".manifest"]);
        Assert.EndsWith("[package-invalid]", Assert.Single(result.ErrorLines));
    }
}
