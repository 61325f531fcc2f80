using System.Security.Cryptography;
using NfOta.Emulator.Tests;
using NfOta.Esp32.Chips;
using NfOta.Esp32.EncryptedImages;
using NfOta.Esp32.FlashEncryption;

namespace NfOta.Cli.Tests;

/// <summary>
/// A board's dump holds its device private key in the nfota_key partition (type 0x40, subtype 0x4B,
/// flagged encrypted). `flash decrypt` must not turn it into a plain, world-readable file, and
/// `inspect` names the partition without showing it.
/// </summary>
public sealed class DeviceKeyInDumpTests : IDisposable
{
    private const uint KeyPartition = 0x3D0000; // where DeviceSpec.PairedCsv puts nfota_key

    private readonly TempDir _dir = new();
    private readonly byte[] _keyPartition;
    private readonly byte[] _keyDer;

    public DeviceKeyInDumpTests()
    {
        var chip = EspChip.Esp32C3;
        using var deviceKey = DeviceKey.NewRsa3072();
        _keyPartition = DeviceKeyPartition.Build(deviceKey);
        // The PKCS#1 DER the partition carries after its 16-byte header (magic, scheme, length).
        _keyDer = _keyPartition.AsSpan(16, (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(_keyPartition.AsSpan(12))).ToArray();
        var board = NfOta.Emulator.Provisioning.Provisioner.Create(Boards.Spec(chip) with { PartitionCsv = NfOta.Emulator.Provisioning.DeviceSpec.PairedCsv });
        Assert.True(board.PowerOn().Booted);
        var dump = board.Flash.Dump();
        using var cipher = FlashCipher.Create(chip, Boards.FlashKey(chip));
        cipher.Encrypt(_keyPartition, dump.AsSpan((int)KeyPartition, _keyPartition.Length), KeyPartition);
        File.WriteAllBytes(_dir["dump.bin"], dump);
        File.WriteAllBytes(_dir["key.bin"], Boards.FlashKey(chip));
        File.WriteAllBytes(_dir["key-sector.bin"], dump.AsSpan((int)KeyPartition, _keyPartition.Length).ToArray());
    }

    private static bool Holds(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    [Fact]
    public void DecryptingAWholeDumpBlanksTheDeviceKey()
    {
        var result = CliRunner.Run("flash", "decrypt", "--chip", "esp32c3", "--key", _dir["key.bin"], "--address", "0", "--in", _dir["dump.bin"], "--out", _dir["plain.bin"]);
        Assert.Equal(0, result.ExitCode);
        var plain = File.ReadAllBytes(_dir["plain.bin"]);
        Assert.False(Holds(plain, _keyDer));
        Assert.All(plain.AsSpan((int)KeyPartition, _keyPartition.Length).ToArray(), b => Assert.Equal(0xFF, b));
        Assert.Contains($"blanked the board's device private key (nfota_key) at 0x{KeyPartition:X}", result.Out);
    }

    [Fact]
    public void DecryptingTheKeySectorAloneBlanksItToo()
    {
        // No partition table in this dump: the partition's own magic gives it away.
        var result = CliRunner.Run("flash", "decrypt", "--chip", "esp32c3", "--key", _dir["key.bin"], "--address", $"0x{KeyPartition:X}", "--in", _dir["key-sector.bin"], "--out", _dir["plain.bin"]);
        Assert.Equal(0, result.ExitCode);
        Assert.False(Holds(File.ReadAllBytes(_dir["plain.bin"]), _keyDer));
    }

    [Fact]
    public void ASliceStartingInsideTheKeyPartitionIsRefusedUnlessTheKeyIsAskedFor()
    {
        // 16 bytes in: past the NFOTADK1 magic, scheme and length, so the slice starts with the key's DER.
        const uint At = KeyPartition + 16;
        var dump = File.ReadAllBytes(_dir["dump.bin"]);
        File.WriteAllBytes(_dir["slice.bin"], dump.AsSpan((int)At, 0x2000).ToArray());
        string[] args = ["flash", "decrypt", "--chip", "esp32c3", "--key", _dir["key.bin"], "--address", $"0x{At:X}", "--in", _dir["slice.bin"], "--out", _dir["plain.bin"]];

        var refused = CliRunner.Run(args);
        Assert.Equal(2, refused.ExitCode);
        Assert.EndsWith("[device-key-possible]", Assert.Single(refused.ErrorLines));
        Assert.False(File.Exists(_dir["plain.bin"]));

        var kept = CliRunner.Run([.. args, "--include-device-key"]);
        Assert.Equal(0, kept.ExitCode);
        Assert.True(Holds(File.ReadAllBytes(_dir["plain.bin"]), _keyDer[..64]));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir["plain.bin"]));
        }
    }

    [Fact]
    public void ASliceStartingInsideASectorOfErasedBytesIsDecrypted()
    {
        // Past the key and its hash the partition is 0xFF: no key material, nothing to refuse.
        const uint At = KeyPartition + 0x800;
        var dump = File.ReadAllBytes(_dir["dump.bin"]);
        File.WriteAllBytes(_dir["slice.bin"], dump.AsSpan((int)At, 0x800).ToArray());
        var result = CliRunner.Run("flash", "decrypt", "--chip", "esp32c3", "--key", _dir["key.bin"], "--address", $"0x{At:X}", "--in", _dir["slice.bin"], "--out", _dir["plain.bin"]);
        Assert.Equal(0, result.ExitCode);
        Assert.All(File.ReadAllBytes(_dir["plain.bin"]), b => Assert.Equal(0xFF, b));
    }

    [Fact]
    public void IncludeDeviceKeyKeepsItInAnOwnerOnlyFile()
    {
        var result = CliRunner.Run("flash", "decrypt", "--chip", "esp32c3", "--key", _dir["key.bin"], "--address", "0", "--in", _dir["dump.bin"], "--out", _dir["plain.bin"], "--include-device-key");
        Assert.Equal(0, result.ExitCode);
        Assert.True(Holds(File.ReadAllBytes(_dir["plain.bin"]), _keyDer));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(_dir["plain.bin"]));
        }
    }

    [Fact]
    public void InspectNamesThePartitionButNeverShowsTheKey()
    {
        foreach (var json in new[] { false, true })
        {
            var result = CliRunner.Run(["inspect", _dir["dump.bin"], "--key", _dir["key.bin"], .. json ? new[] { "--json" } : []]);
            Assert.Equal(0, result.ExitCode);
            Assert.Contains("device-key-partition", result.Out);
            Assert.Contains($"nfota_key at 0x{KeyPartition:X}", result.Out);
            foreach (var form in new[] { Convert.ToHexString(_keyDer[..48]), Convert.ToHexStringLower(_keyDer[..48]), Convert.ToBase64String(_keyDer[..48]) })
            {
                Assert.DoesNotContain(form, result.Out, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(_keyDer);
        _dir.Dispose();
    }
}
