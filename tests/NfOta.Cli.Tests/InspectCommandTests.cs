using System.Text.Json;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Esp32.Tests;

namespace NfOta.Cli.Tests;

public class InspectCommandTests
{
    [Theory]
    [InlineData("esp32")]
    [InlineData("esp32c3")]
    public void HumanOutputNamesTheCauseOfTheSeedFailure(string chipName)
    {
        var chip = EspChip.Parse(chipName);
        using var dir = new TempDir();
        var (_, dump) = Boards.SeedFailure(chip);
        File.WriteAllBytes(dir["dump.bin"], dump);
        File.WriteAllBytes(dir["key.bin"], Boards.FlashKey(chip));
        var result = CliRunner.Run("inspect", dir["dump.bin"], "--key", dir["key.bin"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Boots  ota_0 (version 1.0.0)", result.Out);
        Assert.Contains("otadata-plaintext", result.Out);
        Assert.Contains("written in", result.Out);
        Assert.Contains("PLAINTEXT", result.Out);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void JsonIsStableAndComplete()
    {
        var chip = EspChip.Esp32;
        using var dir = new TempDir();
        var (_, dump) = Boards.SeedFailure(chip);
        File.WriteAllBytes(dir["dump.bin"], dump);
        File.WriteAllBytes(dir["key.bin"], Boards.FlashKey(chip));
        var result = CliRunner.Run("inspect", dir["dump.bin"], "--key", dir["key.bin"], "--json",
            "--secure-boot-key", Vectors.PathOf("secure-boot-v2", "key-rsa3072.pem"));
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var root = json.RootElement;
        Assert.Equal("esp32", root.GetProperty("chip").GetString());
        Assert.True(root.GetProperty("flashEncrypted").GetBoolean());
        Assert.Equal("ota_0", root.GetProperty("boot").GetProperty("partition").GetString());
        Assert.True(root.GetProperty("boot").GetProperty("secureBootChecked").GetBoolean());
        var sectors = root.GetProperty("otadata").GetProperty("sectors");
        Assert.False(sectors[1].GetProperty("asBootloaderSees").GetProperty("crcOk").GetBoolean());
        Assert.Equal(2u, sectors[1].GetProperty("raw").GetProperty("seq").GetUInt32());
        Assert.Equal("otadata-plaintext", root.GetProperty("findings")[0].GetProperty("code").GetString());
        Assert.True(root.GetProperty("slots")[0].GetProperty("signature").GetProperty("trusted").GetBoolean());
    }

    [Theory]
    [InlineData("esp32", false)]
    [InlineData("esp32c3", false)]
    [InlineData("esp32c3", true)]
    public void AnEncryptedDumpWithoutAKeyIsOneLineNotBootsNothing(string chipName, bool json)
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["dump.bin"], Boards.SeedFailure(EspChip.Parse(chipName)).Dump);
        var result = CliRunner.Run(["inspect", dir["dump.bin"], .. json ? ["--json"] : Array.Empty<string>()]);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("nfota: error: this dump is encrypted: give the flash-encryption key with --key", line);
        Assert.EndsWith("[dump-encrypted]", line);
        Assert.Equal("", result.Out); // no "Boots nothing", no report
    }

    [Theory]
    [InlineData("esp32", false)]
    [InlineData("esp32c3", false)]
    [InlineData("esp32", true)]
    public void AnotherBoardsKeyIsOneLineNotFlashEncryptionOff(string chipName, bool json)
    {
        var chip = EspChip.Parse(chipName);
        using var dir = new TempDir();
        File.WriteAllBytes(dir["dump.bin"], Boards.SeedFailure(chip).Dump);
        File.WriteAllBytes(dir["other.bin"], Boards.FlashKey(chip).Select(b => (byte)(b ^ 0x5A)).ToArray());
        var result = CliRunner.Run(["inspect", dir["dump.bin"], "--key", dir["other.bin"], .. json ? ["--json"] : Array.Empty<string>()]);
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("nfota: error: this key does not decrypt this dump", line);
        Assert.EndsWith("[key-does-not-decrypt]", line);
        Assert.Equal("", result.Out); // no "flash encryption off"
    }

    [Fact]
    public void ARolledBackSlotSaysTheBootloaderSkipsIt()
    {
        var chip = EspChip.Esp32C3;
        var device = Boards.Secured(chip);
        Assert.True(NfOta.Emulator.Device.OtaScript.Update(device, Boards.Image(chip, "2.0.0")).Ok);
        device.Restart();
        Assert.Throws<NfOta.Emulator.Device.DeviceRestartedException>(() => device.Ota!.MarkAppInvalidRollbackAndReboot());
        using var dir = new TempDir();
        File.WriteAllBytes(dir["dump.bin"], device.Flash.Dump());
        File.WriteAllBytes(dir["key.bin"], Boards.FlashKey(chip));

        var human = CliRunner.Run("inspect", dir["dump.bin"], "--key", dir["key.bin"]);
        Assert.Equal(0, human.ExitCode);
        Assert.Contains("image valid, rolled back (otadata", human.Out); // the table folds the rest over lines
        Assert.Contains("bootloader skips it", human.Out);

        var json = CliRunner.Run("inspect", dir["dump.bin"], "--key", dir["key.bin"], "--json");
        using var document = JsonDocument.Parse(json.Out);
        var slot = document.RootElement.GetProperty("slots")[1];
        Assert.Equal("ota_1", slot.GetProperty("name").GetString());
        Assert.Equal("valid", slot.GetProperty("status").GetString());
        Assert.True(slot.GetProperty("rolledBack").GetBoolean());
        Assert.Equal("INVALID", slot.GetProperty("otadataState").GetString());
    }

    [Fact]
    public void PartitionKindsPrintInHexWithTheirNames()
    {
        var chip = EspChip.Esp32;
        var device = NfOta.Emulator.Provisioning.Provisioner.Create(Boards.Spec(chip) with
        {
            PartitionCsv = NfOta.Emulator.Provisioning.DeviceSpec.PairedCsv,
            FlashEncryptionKey = null,
        });
        device.PowerOn();
        using var dir = new TempDir();
        File.WriteAllBytes(dir["dump.bin"], device.Flash.Dump());

        var human = CliRunner.Run("inspect", dir["dump.bin"]);
        Assert.Equal(0, human.ExitCode);
        Assert.Matches(@"│ deploy_1 +│ data +│ 0x84 nanoFramework deploy +│", human.Out);
        Assert.Matches(@"│ nfota_key +│ 0x40 +│ 0x4B nfota_key +│", human.Out);
        Assert.Matches(@"│ ota_0 +│ app +│ ota_0 +│", human.Out);
        Assert.Matches(@"│ otadata +│ data +│ ota +│", human.Out);
        Assert.DoesNotMatch(@"│ (132|64|75) +│", human.Out);

        var json = CliRunner.Run("inspect", dir["dump.bin"], "--json");
        using var document = JsonDocument.Parse(json.Out);
        var key = document.RootElement.GetProperty("partitionTable").GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("name").GetString() == "nfota_key");
        Assert.Equal(0x40, key.GetProperty("typeId").GetInt32());
        Assert.Equal(0x4B, key.GetProperty("subtypeId").GetInt32());
        Assert.Equal("nfota_key", key.GetProperty("knownAs").GetString());
    }

    [Fact]
    public void MissingDumpIsOneLine()
    {
        var result = CliRunner.Run("inspect", "/no/such/dump.bin");
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[file-not-found]", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void WrongKeyLengthIsOneLine()
    {
        using var dir = new TempDir();
        var (_, dump) = Boards.SeedFailure(EspChip.Esp32C3);
        File.WriteAllBytes(dir["dump.bin"], dump);
        File.WriteAllBytes(dir["key.bin"], new byte[20]);
        var result = CliRunner.Run("inspect", dir["dump.bin"], "--chip", "esp32c3", "--key", dir["key.bin"]);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[key-length]", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void AFreshEncryptedBoardShowsCiphertextNotGarbage()
    {
        var chip = EspChip.Esp32C3;
        using var dir = new TempDir();
        File.WriteAllBytes(dir["dump.bin"], Boards.Secured(chip).Flash.Dump());
        File.WriteAllBytes(dir["key.bin"], Boards.FlashKey(chip));
        var result = CliRunner.Run("inspect", dir["dump.bin"], "--key", dir["key.bin"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("ciphertext", result.Out);
        Assert.Contains("empty (encrypted blank sector)", result.Out);
        Assert.DoesNotContain("garbage", result.Out);
        Assert.DoesNotContain("otadata-corrupt", result.Out);
    }

    [Fact]
    public void ATruncatedDumpSaysSoInsteadOfCrashing()
    {
        var chip = EspChip.Esp32;
        using var dir = new TempDir();
        File.WriteAllBytes(dir["dump.bin"], Boards.Secured(chip).Flash.Dump()[..(36 * 1024)]);
        File.WriteAllBytes(dir["key.bin"], Boards.FlashKey(chip));
        var result = CliRunner.Run("inspect", dir["dump.bin"], "--key", dir["key.bin"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Contains("dump-truncated", result.Out);
        Assert.Contains("36 KiB flash", result.Out);
    }

    [Theory]
    [InlineData("0xFFFFFFFF")]
    [InlineData("0x8001")]
    [InlineData("0")]
    public void AnUnusableTableOffsetIsOneLine(string offset)
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["dump.bin"], new byte[0x10000]);
        var result = CliRunner.Run("inspect", dir["dump.bin"], "--table-offset", offset);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[bad-table-offset]", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void ControlCharactersFromTheDumpAreEscaped()
    {
        // An app description is whatever the image's builder wrote: here a version that would clear the screen.
        var chip = EspChip.Esp32C3;
        var spec = Boards.Spec(chip) with
        {
            FlashEncryptionKey = null,
            Images = new Dictionary<string, byte[]> { ["ota_0"] = Boards.Image(chip, "1.0\u001b[2J\u009b") },
        };
        var device = NfOta.Emulator.Provisioning.Provisioner.Create(spec);
        device.PowerOn();
        using var dir = new TempDir();
        File.WriteAllBytes(dir["dump.bin"], device.Flash.Dump());
        var result = CliRunner.Run("inspect", dir["dump.bin"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1.0\\x1b[2J\\x9b", result.Out);
        Assert.DoesNotContain('\u001b', result.Out);
        Assert.DoesNotContain('\u009b', result.Out);
    }
}
