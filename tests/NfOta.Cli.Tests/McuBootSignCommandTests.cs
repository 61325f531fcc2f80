using System.Security.Cryptography;
using System.Text.Json;

namespace NfOta.Cli.Tests;

/// <summary>
/// `nfota mcuboot sign` and `dumpinfo` on imgtool 2.3.0's vectors: the same command line as imgtool's
/// (tests/vectors/mcuboot-images/README.md) writes an image that dumps as imgtool's did but for the
/// signature, and verifies; every refusal is one line, a stable code, exit 2, and nothing written.
/// </summary>
public sealed class McuBootSignCommandTests
{
    private static string Vectors => Path.Combine(RepoPaths.Root, "tests", "vectors", "mcuboot-images");

    private static string Key => Path.Combine(Vectors, "key-ec256.pem");

    /// <summary>Each vector and imgtool's options for it, in nfota's spelling (the same as imgtool's).</summary>
    public static TheoryData<string, string[]> ImgtoolCommands() => new()
    {
        { "ec256-h20-1000", ["-k", Key, "--align", "4", "-v", "1.0.0", "-H", "0x20", "--pad-header", "-S", "0x1a0000", Path.Combine(Vectors, "plain-1000.bin")] },
        { "ec256-h200-65549", ["-k", Key, "--align", "4", "-v", "1.2.3+4", "-H", "0x200", "--pad-header", "-S", "0x1a0000", Path.Combine(Vectors, "plain-65549.bin")] },
        { "ec256-dep-65549", ["-k", Key, "--align", "4", "-v", "2.0.0", "-H", "0x200", "--pad-header", "-S", "0x80000", "-d", "(0,1.5.0+0)", Path.Combine(Vectors, "plain-65549.bin")] },
        { "unsigned-1000", ["--align", "4", "-v", "1.0.0", "-H", "0x200", "--pad-header", "-S", "0x1a0000", Path.Combine(Vectors, "plain-1000.bin")] },
    };

    [Theory]
    [MemberData(nameof(ImgtoolCommands))]
    public void ImgtoolsCommandLineWritesImgtoolsImageButForTheSignature(string vector, string[] options)
    {
        using var dir = new TempDir();
        var result = CliRunner.Run(["mcuboot", "sign", .. options, dir["out.bin"]]);
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.StartsWith($"wrote {dir["out.bin"]}: version ", result.Out);

        var ours = CliRunner.Run("mcuboot", "dumpinfo", dir["out.bin"]);
        Assert.Equal(0, ours.ExitCode);
        var imgtool = File.ReadAllText(Path.Combine(Vectors, vector + ".dumpinfo.yaml"));
        Assert.Equal(WithoutSignature(imgtool), WithoutSignature(ours.Out));
        if (vector.StartsWith("unsigned", StringComparison.Ordinal))
            Assert.Equal(File.ReadAllBytes(Path.Combine(Vectors, vector + ".bin")), File.ReadAllBytes(dir["out.bin"]));
        else
            Assert.Equal(0, CliRunner.Run("mcuboot", "verify", dir["out.bin"], "--key", Key).ExitCode);
        var other = Refusal(CliRunner.Run("mcuboot", "verify", dir["out.bin"], "--key", Path.Combine(Vectors, "key-ec256-other.pem")));
        Assert.Equal(vector.StartsWith("unsigned", StringComparison.Ordinal) ? (1, "[mcuboot-signature-missing]") : (1, "[mcuboot-key-mismatch]"), other);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void DumpinfoPrintsWhatImgtoolsDumpinfoWrote(string vector)
    {
        var result = CliRunner.Run("mcuboot", "dumpinfo", Path.Combine(Vectors, vector + ".bin"));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(File.ReadAllText(Path.Combine(Vectors, vector + ".dumpinfo.yaml")), result.Out);
    }

    public static TheoryData<string> VectorNames() => new(["ec256-h20-1000", "ec256-h200-65549", "ec256-dep-65549", "unsigned-1000"]);

    [Fact]
    public void DumpinfoJsonIsTheSameDocument()
    {
        var result = CliRunner.Run("mcuboot", "dumpinfo", Path.Combine(Vectors, "ec256-dep-65549.bin"), "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var area = json.RootElement.GetProperty("tlv_area");
        Assert.Equal(20, area.GetProperty("tlv_hdr_prot").GetProperty("tlv_tot").GetInt32());
        Assert.Equal("AAAAAAEFAAAAAAAA", area.GetProperty("tlvs_prot")[0].GetProperty("data").GetString());
        Assert.Equal("2.0.0+0", json.RootElement.GetProperty("header").GetProperty("version").GetString());
    }

    [Fact]
    public void DumpinfoRefusesWhatIsNotAnImage()
    {
        var result = CliRunner.Run("mcuboot", "dumpinfo", Path.Combine(Vectors, "plain-1000.bin"));

        Assert.Equal((2, "[mcuboot-bad-magic]"), Refusal(result));
        Assert.Empty(result.Out);
    }

    [Fact]
    public void PaddedAndConfirmedFillsTheSlotAndDumpsItsTrailer()
    {
        using var dir = new TempDir();
        var result = CliRunner.Run("mcuboot", "sign", "-k", Key, "--align", "4", "-v", "1.2.3", "-H", "0x200", "--pad-header", "-S", "0x4000",
            "--confirm", "-s", "auto", "--public-key-format", "full", Path.Combine(Vectors, "plain-1000.bin"), dir["out.bin"]);
        Assert.True(result.ExitCode == 0, result.Error);

        Assert.Equal(0x4000, new FileInfo(dir["out.bin"]).Length);
        Assert.Equal(0, CliRunner.Run("mcuboot", "verify", dir["out.bin"], "--key", Key).ExitCode);
        var dump = CliRunner.Run("mcuboot", "dumpinfo", dir["out.bin"]).Out;
        Assert.Contains("  - type: 80\n    len: 4\n    data: !!binary |\n      AwACAQ==\n", dump); // 0x01020003
        Assert.Contains("  - type: 2\n    len: 91\n", dump);
        Assert.EndsWith("trailer:\n  magic: !!binary |\n    d8KV82DS7381UlAPLLZ5gA==\n  image_ok: 1\n  copy_done: 255\n  swap_info: 255\n  swap_size: 4294967295\n", dump);
    }

    public static TheoryData<string, string> OtherKeys()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new TheoryData<string, string>
        {
            { File.ReadAllText(Path.Combine(RepoPaths.Root, "tests", "vectors", "secure-boot-v2", "key-rsa3072.pem")), "[mcuboot-key-unsupported]" },
            { p384.ExportPkcs8PrivateKeyPem(), "[mcuboot-key-unsupported]" },
            { "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n", "[mcuboot-key-unsupported]" },
            { p256.ExportSubjectPublicKeyInfoPem(), "[mcuboot-key-not-private]" },
            { "not a key", "[mcuboot-invalid-key]" },
        };
    }

    [Theory]
    [MemberData(nameof(OtherKeys))]
    public void OtherKeysAreRefusedAndNothingIsWritten(string pem, string code)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["key.pem"], pem);

        var result = CliRunner.Run("mcuboot", "sign", "-k", dir["key.pem"], "-v", "1.0.0", "-H", "32", "--pad-header", Path.Combine(Vectors, "plain-1000.bin"), dir["out.bin"]);

        Assert.Equal((2, code), Refusal(result));
        Assert.Equal(["key.pem"], dir.Files);
    }

    [Fact]
    public void AnExistingOutputIsKeptUnlessForced()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["out.bin"], "keep me");
        string[] sign = ["mcuboot", "sign", "-k", Key, "-v", "1.0.0", "-H", "32", "--pad-header", Path.Combine(Vectors, "plain-1000.bin"), dir["out.bin"]];

        Assert.Equal((2, "[file-exists]"), Refusal(CliRunner.Run(sign)));
        Assert.Equal("keep me", File.ReadAllText(dir["out.bin"]));

        Assert.Equal(0, CliRunner.Run([.. sign, "--force"]).ExitCode);
        Assert.Equal(0, CliRunner.Run("mcuboot", "verify", dir["out.bin"], "--key", Key).ExitCode);
        Assert.Equal(["out.bin"], dir.Files); // no temporary file left beside it
    }

    [Fact]
    public void TheInputIsNeverTheOutput()
    {
        using var dir = new TempDir();
        File.Copy(Path.Combine(Vectors, "plain-1000.bin"), dir["in.bin"]);

        var result = CliRunner.Run("mcuboot", "sign", "-v", "1.0.0", "-H", "32", "--pad-header", "--force", dir["in.bin"], dir["in.bin"]);

        Assert.Equal((2, "[same-file]"), Refusal(result));
        Assert.Equal(File.ReadAllBytes(Path.Combine(Vectors, "plain-1000.bin")), File.ReadAllBytes(dir["in.bin"]));
    }

    [Theory]
    [InlineData("in.hex", "out.bin", "[intel-hex-unsupported]")]
    [InlineData("in.bin", "out.HEX", "[intel-hex-unsupported]")]
    public void IntelHexIsRefusedByName(string input, string output, string code)
    {
        using var dir = new TempDir();
        File.Copy(Path.Combine(Vectors, "plain-1000.bin"), dir[input]);

        Assert.Equal((2, code), Refusal(CliRunner.Run("mcuboot", "sign", "-v", "1.0.0", "-H", "32", "--pad-header", dir[input], dir[output])));
        Assert.Equal([input], dir.Files);
    }

    [Theory]
    [InlineData("[invalid-argument]", "-v", "1.2+3")]
    [InlineData("[invalid-argument]", "-v", "1.0.0", "-d", "(0)")]
    [InlineData("[invalid-argument]", "-v", "1.0.0", "-s", "-1")]
    [InlineData("[invalid-argument]", "-v", "1.0.0", "-s", "0x100000000")]
    [InlineData("[invalid-argument]", "-v", "1.0.0", "--pad")]
    [InlineData("[usage]", "-v", "1.0.0", "--align", "3")]
    [InlineData("[mcuboot-slot-overflow]", "-v", "1.0.0", "-S", "0x400")]
    [InlineData("[mcuboot-header-not-zero]", "-v", "1.0.0", "--pad-header=false")]
    public void BadOptionsAreOneLineAndExit2(string code, params string[] options)
    {
        using var dir = new TempDir();

        var result = CliRunner.Run(["mcuboot", "sign", "-H", "0x20", .. options.Contains("--pad-header=false") ? [] : new[] { "--pad-header" },
            .. options.Where(o => o != "--pad-header=false"), Path.Combine(Vectors, "plain-1000.bin"), dir["out.bin"]]);

        Assert.Equal((2, code), Refusal(result));
        Assert.Empty(dir.Files);
    }

    /// <summary>The dump with the signature TLV's length and data, and the unprotected area's total (which the signature's length sets), cut out.</summary>
    private static string WithoutSignature(string yaml)
    {
        var lines = yaml.Split('\n').ToList();
        var at = lines.IndexOf("  - type: 34");
        if (at >= 0)
        {
            var end = at + 3;
            while (end < lines.Count && lines[end].StartsWith("      ", StringComparison.Ordinal)) end++;
            lines.RemoveRange(at, end - at);
        }
        var total = lines.IndexOf("  tlv_hdr:") + 2;
        lines[total] = lines[total].StartsWith("    tlv_tot: ", StringComparison.Ordinal) ? "    tlv_tot: (signature's)" : lines[total];
        return string.Join('\n', lines);
    }

    private static (int, string) Refusal(CliResult result)
    {
        var line = Assert.Single(result.ErrorLines);
        Assert.Matches(@"^nfota: error: .+ \[[a-z-]+\]$", line);
        return (result.ExitCode, line[line.LastIndexOf('[')..]);
    }
}
