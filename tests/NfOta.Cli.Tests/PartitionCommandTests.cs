namespace NfOta.Cli.Tests;

public class PartitionCommandTests
{
    private const string Csv = """
        # Name,   Type, SubType, Offset,  Size, Flags
        nvs,      data, nvs,     0x9000,  0x4000,
        otadata,  data, ota,     0xd000,  0x2000,
        phy_init, data, phy,     0xf000,  0x1000,
        ota_0,    app,  ota_0,   0x10000, 1M,
        ota_1,    app,  ota_1,   ,        1M,
        """;

    [Fact]
    public void ASmallNvsIsAcceptedWhenReadonly()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["t.csv"], "nvs, data, nvs, 0x9000, 0x1000, readonly\nfactory, app, factory, 0x10000, 1M,\n");
        var result = CliRunner.Run("partitions", "to-binary", "--in", dir["t.csv"], "--out", dir["t.bin"]);
        Assert.True(result.ExitCode == 0, result.Error);
    }

    [Fact]
    public void CsvToBinaryAndBack()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["t.csv"], Csv);
        Assert.Equal(0, CliRunner.Run("partitions", "to-binary", "--in", dir["t.csv"], "--out", dir["t.bin"]).ExitCode);
        Assert.Equal(0xC00, new FileInfo(dir["t.bin"]).Length);
        Assert.Equal(0, CliRunner.Run("partitions", "to-csv", "--in", dir["t.bin"], "--out", dir["back.csv"]).ExitCode);
        var back = File.ReadAllText(dir["back.csv"]);
        Assert.Contains("ota_1,app,ota_1,0x110000,1M,", back);
        Assert.Equal(0, CliRunner.Run("partitions", "to-binary", "--in", dir["back.csv"], "--out", dir["again.bin"]).ExitCode);
        Assert.Equal(File.ReadAllBytes(dir["t.bin"]), File.ReadAllBytes(dir["again.bin"]));
    }

    [Theory]
    [InlineData("a, data, nvs, 0x9000, 0x4000,\nb, data, nvs, 0xa000, 0x1000,", "partition-overlap")]
    [InlineData("factory, app, factory, 0x11000, 1M,", "partition-misaligned")]
    [InlineData("x, data, nvs, 0x9000, 0x1000, secret", "partition-unknown-keyword")]
    [InlineData("", "partition-table-empty")]
    [InlineData("# Name, Type, SubType, Offset, Size, Flags\n", "partition-table-empty")]
    [InlineData("nvs, data, nvs, 0x9000, 0x2000,\nfactory, app, factory, 0x10000, 1M,", "partition-nvs-too-small")]
    public void BadCsvIsOneLineAndNoOutput(string csv, string code)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["t.csv"], csv);
        var result = CliRunner.Run("partitions", "to-binary", "--in", dir["t.csv"], "--out", dir["t.bin"]);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith($"[{code}]", Assert.Single(result.ErrorLines));
        Assert.Equal(["t.csv"], dir.Files);
    }

    [Fact]
    public void CorruptBinaryTableIsOneLineAndNoOutput()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["t.csv"], Csv);
        CliRunner.Run("partitions", "to-binary", "--in", dir["t.csv"], "--out", dir["t.bin"]);
        var bytes = File.ReadAllBytes(dir["t.bin"]);
        bytes[40] ^= 0xFF;
        File.WriteAllBytes(dir["t.bin"], bytes);
        var result = CliRunner.Run("partitions", "to-csv", "--in", dir["t.bin"], "--out", dir["t2.csv"]);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[partition-md5-mismatch]", Assert.Single(result.ErrorLines));
        Assert.False(File.Exists(dir["t2.csv"]));
    }

    [Fact]
    public void BinaryGivenToToBinaryIsExplained()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir["t.csv"], Csv);
        CliRunner.Run("partitions", "to-binary", "--in", dir["t.csv"], "--out", dir["t.bin"]);
        var result = CliRunner.Run("partitions", "to-binary", "--in", dir["t.bin"], "--out", dir["x.bin"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("to-csv", Assert.Single(result.ErrorLines));
    }
}
