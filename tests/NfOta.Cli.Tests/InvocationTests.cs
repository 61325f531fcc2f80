using NfOta.Cli.Cli;

namespace NfOta.Cli.Tests;

/// <summary>Commands nfota prints run the way the user runs nfota: from a clone through dotnet, installed as `nfota`.</summary>
public sealed class InvocationTests
{
    [Fact]
    public void FromACloneItIsDotnetRunRelativeInsideTheCloneAbsoluteOutside()
    {
        using var clone = new TempDir();
        Directory.CreateDirectory(clone["tools/nfota"]);
        File.WriteAllText(clone["tools/nfota/nfota.csproj"], "<Project />");
        var build = Directory.CreateDirectory(clone["artifacts/bin/nfota/debug"]).FullName;
        using var elsewhere = new TempDir();
        Assert.Equal("dotnet run --project tools/nfota --", Invocation.Prefix(build, clone.Path));
        Assert.Equal($"dotnet run --project {Path.Combine(clone.Path, "tools", "nfota")} --", Invocation.Prefix(build, elsewhere.Path));
    }

    [Fact]
    public void InstalledAsAToolItIsNfota()
    {
        using var store = new TempDir();
        var tool = Directory.CreateDirectory(store[".store/nfota.cli/1.0.0/nfota.cli/1.0.0/tools/net10.0/any"]).FullName;
        Assert.Equal("nfota", Invocation.Prefix(tool, store.Path));
    }
}
