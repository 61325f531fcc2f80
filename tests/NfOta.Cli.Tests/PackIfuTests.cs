using System.Security.Cryptography;
using System.Text.Json;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Manifest;
using NfOta.McuBoot.Images;
using NfOta.McuBoot.Signing;
using NfOta.McuBoot.Tlvs;
using NfOta.McuBoot.Writing;

namespace NfOta.Cli.Tests;

/// <summary>
/// `nfota pack --ifu`: an MCUboot image (imgtool 2.3.0's own vectors, and a nanoCLR image signed by
/// NfOta.McuBoot's writer) released with a format 3 manifest the device parser reads back; what
/// the device's UpdateManager Complete would refuse is refused here, one line, a code, exit 2, nothing
/// written; `nfota verify` checks the release as the device would.
/// </summary>
public sealed class PackIfuTests
{
    private static string Vectors => Path.Combine(RepoPaths.Root, "tests", "vectors", "mcuboot-images");

    private static string Vector(string name) => Path.Combine(Vectors, name);

    private static string IfuKey => Vector("key-ec256.pem");

    private static TempDir WithKeys()
    {
        var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("keys", "new", "--out", dir["keys"]).ExitCode);
        return dir;
    }

    private static CliResult Pack(TempDir dir, string image, params string[] more) =>
        CliRunner.Run(["pack", "--ifu", image, "--key", dir["keys/manifest-key.pem"], "--url-base", "https://u.example/r", "--out", dir["rel"], .. more]);

    private static CliResult Verify(TempDir dir, params string[] more) =>
        CliRunner.Run(["verify", dir["rel"], "--pubkey", dir["keys/manifest-key.pub.pem"], .. more]);

    private static UpdateManifest DeviceReads(string path)
    {
        var bytes = File.ReadAllBytes(path);
        return UpdateManifest.Parse(bytes, bytes.Length);
    }

    /// <summary>A nanoCLR image as nanoFramework's IFU build signs it: the ESP-IDF app after an MCUboot header.</summary>
    private static byte[] NanoClrPackage(EspChip chip, string version, SignOptions? options = null)
    {
        using var signer = Ec256Signer.FromPem(File.ReadAllText(IfuKey));
        return ImageWriter.Write(Boards.Image(chip, "1.5.0"), options ?? new SignOptions { Version = ImageVersion.Parse(version), HeaderSize = 0x20, PadHeader = true, Align = 4 }, signer);
    }

    [Fact]
    public void ImgtoolsImageIsReleasedAsADeploymentPackage()
    {
        using var dir = WithKeys();
        var result = Pack(dir, Vector("ec256-h200-65549.bin"), "--ifu-key", IfuKey, "--chip", "esp32c3", "--json");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Equal(["app-1.2.3.4.ifu.bin", "app-1.2.3.4.manifest", "latest.manifest"], Directory.GetFiles(dir["rel"]).Select(Path.GetFileName).Order());
        var image = File.ReadAllBytes(Vector("ec256-h200-65549.bin"));
        Assert.Equal(image, File.ReadAllBytes(dir["rel/app-1.2.3.4.ifu.bin"]));
        using (var json = JsonDocument.Parse(result.Out))
        {
            Assert.Equal("deployment", json.RootElement.GetProperty("ifuImage").GetString());
            Assert.Equal("verified", json.RootElement.GetProperty("signature").GetString());
        }

        var m = DeviceReads(dir["rel/latest.manifest"]);
        Assert.True(m.IsIfu);
        Assert.False(m.HasFirmware || m.HasApp);
        Assert.Equal("esp32c3", m.Chip);
        Assert.Equal("1.2.3.4", m.Version.Text);
        Assert.Equal("1.2.3+4", m.IfuVersion.Text);
        Assert.Equal(1, m.IfuImageType);
        Assert.Equal(image.Length, m.IfuSize);
        Assert.Equal(SHA256.HashData(image), m.IfuSha256);
        Assert.Equal("https://u.example/r/app-1.2.3.4.ifu.bin", m.IfuUrl);
        Assert.Empty(m.IfuDependencies);

        var verified = Verify(dir, "--ifu-key", IfuKey);
        Assert.True(verified.ExitCode == 0, verified.Error + verified.Out);
        Assert.Contains("app-1.2.3.4.ifu.bin (in-field update, deployment; depends on nothing)", verified.Out);
    }

    [Fact]
    public void ADependentImageCarriesItsDependenciesAndVerifyPrintsThem()
    {
        using var dir = WithKeys();
        var result = Pack(dir, Vector("ec256-dep-65549.bin"), "--ifu-key", IfuKey, "--chip", "esp32", "--name", "sensor");
        Assert.True(result.ExitCode == 0, result.Error);
        var m = DeviceReads(dir["rel/sensor-2.0.0.manifest"]);
        Assert.Equal(["0:1.5.0+0"], m.IfuDependencies.Select(d => d.ToString()));
        var verified = Verify(dir, "--json");
        Assert.Equal(0, verified.ExitCode);
        using var json = JsonDocument.Parse(verified.Out);
        Assert.All(json.RootElement.EnumerateArray(), c => Assert.Equal(["0:1.5.0+0"], c.GetProperty("ifuDependencies").EnumerateArray().Select(d => d.GetString())));
    }

    [Fact]
    public void ANanoClrImageGivesTheChipAndTheName()
    {
        using var dir = WithKeys();
        File.WriteAllBytes(dir["clr.signed.bin"], NanoClrPackage(EspChip.Esp32C3, "1.5.0+7"));
        var result = Pack(dir, dir["clr.signed.bin"], "--ifu-key", IfuKey);
        Assert.True(result.ExitCode == 0, result.Error);
        var m = DeviceReads(dir["rel/nf-ota-test-1.5.0.7.manifest"]);
        Assert.Equal((0, "esp32c3", "1.5.0+7"), (m.IfuImageType, m.Chip, m.IfuVersion.Text));
        Assert.Equal(0, Verify(dir, "--ifu-key", IfuKey).ExitCode);

        using var other = WithKeys();
        AssertRefused(Pack(other, dir["clr.signed.bin"], "--chip", "esp32"), "bad-argument", other);
    }

    public static TheoryData<string, string> Refusals() => new()
    {
        { "unsigned-1000.bin", "ifu-unsigned" },
        { "tampered-payload-ec256-h200-65549.bin", "mcuboot-hash-mismatch" },
        { "tampered-magic-ec256-h200-65549.bin", "mcuboot-bad-magic" },
        { "plain-1000.bin", "mcuboot-bad-magic" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void WhatTheDeviceWouldRefuseIsRefused(string vector, string code)
    {
        using var dir = WithKeys();
        AssertRefused(Pack(dir, Vector(vector), "--chip", "esp32"), code, dir);
    }

    [Fact]
    public void ASignatureByAnotherKeyIsRefused()
    {
        using var dir = WithKeys();
        AssertRefused(Pack(dir, Vector("ec256-h200-65549.bin"), "--ifu-key", Vector("key-ec256-other.pem"), "--chip", "esp32"), "mcuboot-key-mismatch", dir);
    }

    [Fact]
    public void ASignatureThatDoesNotVerifyIsRefused()
    {
        using var dir = WithKeys();
        var image = File.ReadAllBytes(Vector("ec256-h200-65549.bin"));
        var signature = McuBootImage.Parse(image).UnprotectedTlvs.Single(t => t.Type == TlvTypes.EcdsaSignature);
        // The last byte of s: still DER, no longer the key's signature over this image.
        int end = signature.Offset + 2 + signature.Data.Span[1] - 1;
        image[end] ^= 0x01;
        var path = dir["bad-signature.bin"];
        File.WriteAllBytes(path, image);

        AssertRefused(Pack(dir, path, "--ifu-key", IfuKey, "--chip", "esp32"), "mcuboot-signature-invalid", dir);
    }

    [Theory]
    [InlineData("(0,1.0.0), (0,1.1.0), (0,1.2.0), (0,1.3.0), (0,1.4.0)", "ifu-tlv-invalid")] // more dependencies than the device keeps
    [InlineData("(0,1.5.0)", "ifu-dependency-unmet")] // a nanoCLR image depending on image 0: itself
    [InlineData("(2,1.0.0)", "ifu-dependency-unmet")] // an image the board does not have
    public void DependenciesTheDeviceCannotMeetAreRefused(string dependencies, string code)
    {
        using var dir = WithKeys();
        var options = new SignOptions { Version = ImageVersion.Parse("2.0.0"), HeaderSize = 0x20, PadHeader = true, Align = 4, Dependencies = ImageDependency.ParseList(dependencies) };
        var path = dir["nanoclr.signed.bin"];
        File.WriteAllBytes(path, NanoClrPackage(EspChip.Esp32, "2.0.0", options));

        AssertRefused(Pack(dir, path), code, dir);
    }

    [Fact]
    public void ADeploymentNeedsTheChip()
    {
        using var dir = WithKeys();
        AssertRefused(Pack(dir, Vector("ec256-h200-65549.bin")), "bad-argument", dir);
    }

    [Theory]
    [InlineData(0x04u)] // IMAGE_F_ENCRYPTED_AES128
    [InlineData(0x10u)] // IMAGE_F_NON_BOOTABLE
    [InlineData(0x20u)] // IMAGE_F_RAM_LOAD
    public void FlagsOtherThanPicAndRomFixedAreRefused(uint flag)
    {
        using var dir = WithKeys();
        var image = File.ReadAllBytes(Vector("ec256-h20-1000.bin"));
        image[16] = (byte)flag;
        File.WriteAllBytes(dir["flagged.bin"], image);
        AssertRefused(Pack(dir, dir["flagged.bin"], "--chip", "esp32"), "ifu-flags-unsupported", dir);
    }

    [Fact]
    public void PicAndRomFixedAreTaken()
    {
        using var dir = WithKeys();
        using var signer = Ec256Signer.FromPem(File.ReadAllText(IfuKey));
        // Flags are hashed: set them, then hash and sign again over the changed header.
        var flagged = WithFlags(NanoClrPackage(EspChip.Esp32, "1.0.0"), 0x101, signer);
        File.WriteAllBytes(dir["pic.bin"], flagged);
        var result = Pack(dir, dir["pic.bin"], "--ifu-key", IfuKey);
        Assert.True(result.ExitCode == 0, result.Error);
    }

    [Fact]
    public void AHeaderOrTlvsLargerThanTheDeviceKeepsAreRefused()
    {
        using var dir = WithKeys();
        var payload = File.ReadAllBytes(Vector("plain-1000.bin"));
        using var signer = Ec256Signer.FromPem(File.ReadAllText(IfuKey));
        File.WriteAllBytes(dir["big-header.bin"], ImageWriter.Write(payload, new SignOptions { Version = ImageVersion.Parse("1.0.0"), HeaderSize = 3840 + 16, PadHeader = true, Align = 4 }, signer));
        AssertRefused(Pack(dir, dir["big-header.bin"], "--chip", "esp32"), "ifu-header-too-large", dir);
        File.WriteAllBytes(dir["at-limit.bin"], ImageWriter.Write(payload, new SignOptions { Version = ImageVersion.Parse("1.0.0"), HeaderSize = 3840, PadHeader = true, Align = 4 }, signer));
        Assert.Equal(0, Pack(dir, dir["at-limit.bin"], "--chip", "esp32").ExitCode);

        using var padded = WithKeys();
        File.WriteAllBytes(padded["padded.bin"], ImageWriter.Write(payload, new SignOptions { Version = ImageVersion.Parse("1.0.0"), HeaderSize = 0x20, PadHeader = true, Align = 4, SlotSize = 0x10000, Pad = true }, signer));
        AssertRefused(Pack(padded, padded["padded.bin"], "--chip", "esp32"), "ifu-tlvs-too-large", padded);
    }

    [Fact]
    public void AnUnsignedImageIsForDevelopmentBoardsOnly()
    {
        using var dir = WithKeys();
        var result = Pack(dir, Vector("unsigned-1000.bin"), "--chip", "esp32", "--allow-unsigned");
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("development board", result.Out);
        var refused = Verify(dir);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("[ifu-unsigned]", refused.Error);
        Assert.Equal(0, Verify(dir, "--allow-unsigned").ExitCode);
    }

    [Fact]
    public void VerifyFindsAChangedPackageAndAnotherKey()
    {
        using var dir = WithKeys();
        Assert.Equal(0, Pack(dir, Vector("ec256-dep-65549.bin"), "--chip", "esp32").ExitCode);
        var wrongKey = Verify(dir, "--ifu-key", Vector("key-ec256-other.pem"));
        Assert.Equal(1, wrongKey.ExitCode);
        Assert.Contains("[mcuboot-key-mismatch]", wrongKey.Error);

        File.Copy(Vector("tampered-payload-ec256-h200-65549.bin"), dir["rel/app-2.0.0.ifu.bin"], overwrite: true);
        var changed = Verify(dir, "--json");
        Assert.Equal(1, changed.ExitCode);
        using var json = JsonDocument.Parse(changed.Out);
        var problems = json.RootElement[0].GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Contains(problems, p => p.EndsWith("[size-mismatch]", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.EndsWith("[hash-mismatch]", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.EndsWith("[mcuboot-hash-mismatch]", StringComparison.Ordinal));
    }

    [Fact]
    public void IfuOptionsGoAlone()
    {
        using var dir = WithKeys();
        AssertRefused(Pack(dir, Vector("ec256-h200-65549.bin"), "--chip", "esp32", "--min-version", "1.0.0"), "invalid-argument", dir);
        var keyAlone = CliRunner.Run("pack", dir["fw.bin"], "--ifu-key", IfuKey, "--key", dir["keys/manifest-key.pem"], "--url-base", "https://u.example/r", "--out", dir["rel"]);
        AssertRefused(keyAlone, "invalid-argument", dir);
    }

    private static void AssertRefused(CliResult result, string code, TempDir dir)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Matches($@"^nfota: error: .+ \[{code}\]$", Assert.Single(result.ErrorLines));
        Assert.Empty(result.Out);
        Assert.False(Directory.Exists(dir["rel"]), "nothing may be written");
    }

    /// <summary>The image with other header flags, hash and signature made again over them.</summary>
    private static byte[] WithFlags(byte[] image, uint flags, Ec256Signer signer)
    {
        var parsed = McuBootImage.Parse(image);
        var copy = image.ToArray();
        BitConverter.TryWriteBytes(copy.AsSpan(16), flags);
        var digest = SHA256.HashData(copy.AsSpan(0, (int)parsed.Header.HashedLength));
        var hash = parsed.UnprotectedTlvs.Single(t => t.Type == TlvTypes.Sha256);
        digest.CopyTo(copy.AsSpan(hash.Offset));
        var signature = parsed.UnprotectedTlvs.Single(t => t.Type == TlvTypes.EcdsaSignature);
        var der = signer.SignDigest(digest);
        while (der.Length > signature.Length)
        {
            der = signer.SignDigest(digest); // ECDSA is randomized: a DER as short as the TLV comes soon
        }
        copy.AsSpan(signature.Offset, signature.Length).Clear();
        der.CopyTo(copy.AsSpan(signature.Offset));
        return copy;
    }
}
