using System.Net;
using Microsoft.AspNetCore.Builder;
using NfOta.Server;

namespace NfOta.Cli.Tests;

/// <summary>
/// The update server against a folder that changes under it. The server's Before hook runs after
/// the request's path checks and before the file is opened: exactly where a racing attacker swaps
/// a file for a link, so the race is played deterministically, once per request.
/// </summary>
public sealed class ServeLinkRaceTests : IDisposable
{
    private const string Secret = "-----BEGIN PRIVATE KEY----- the manifest key";

    private readonly TempDir _dir = new();

    public ServeLinkRaceTests()
    {
        Directory.CreateDirectory(_dir["pkg/sub"]);
        Directory.CreateDirectory(_dir["keys"]);
        File.WriteAllText(_dir["keys/manifest-key.pem"], Secret);
        File.WriteAllText(_dir["keys/app.bin"], Secret);
        File.WriteAllText(_dir["pkg/app.bin"], "firmware");
        File.WriteAllText(_dir["pkg/sub/app.bin"], "firmware");
    }

    private Task<UpdateServer> Serve(Action<string>? swap = null) => UpdateServer.StartAsync(new UpdateServerOptions
    {
        Root = _dir["pkg"],
        Before = app => app.Use(async (context, next) =>
        {
            swap?.Invoke(context.Request.Path.Value!);
            await next(context);
        }),
    });

    [Fact]
    public async Task AFileSwappedForALinkAfterTheChecksIsNotFollowed()
    {
        await using var server = await Serve(_ =>
        {
            File.Delete(_dir["pkg/app.bin"]);
            File.CreateSymbolicLink(_dir["pkg/app.bin"], _dir["keys/manifest-key.pem"]);
        });
        using var client = new HttpClient { BaseAddress = server.BaseUri };
        var response = await client.GetAsync("app.bin");
        Assert.DoesNotContain("PRIVATE KEY", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AFolderSwappedForALinkAfterTheChecksIsNotFollowed()
    {
        await using var server = await Serve(_ =>
        {
            Directory.Move(_dir["pkg/sub"], _dir["old-sub"]);
            Directory.CreateSymbolicLink(_dir["pkg/sub"], _dir["keys"]);
        });
        using var client = new HttpClient { BaseAddress = server.BaseUri };
        var response = await client.GetAsync("sub/app.bin");
        Assert.DoesNotContain("PRIVATE KEY", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData(".git/config")]
    [InlineData(".secrets/x.pem")]
    [InlineData("sub/.hidden.bin")]
    [InlineData(".nfota-demo")]
    public async Task NamesStartingWithADotAreNotServed(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(_dir["pkg/" + path])!);
        File.WriteAllText(_dir["pkg/" + path], Secret);
        await using var server = await Serve();
        using var client = new HttpClient { BaseAddress = server.BaseUri };
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("PRIVATE KEY", await response.Content.ReadAsStringAsync());
        Assert.Equal("firmware", await client.GetStringAsync("sub/app.bin"));
    }

    public void Dispose() => _dir.Dispose();
}
