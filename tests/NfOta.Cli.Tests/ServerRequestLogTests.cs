using NfOta.Server;

namespace NfOta.Cli.Tests;

/// <summary>The update server's request log stays bounded: the latest entries, short paths, totals as counters.</summary>
public sealed class ServerRequestLogTests
{
    [Fact]
    public async Task KeepsTheLatestEntriesWithShortPathsAndCountsThemAll()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir["fw.bin"], new byte[1000]);
        const int Keep = 10, Sent = 40;
        await using var server = await UpdateServer.StartAsync(new UpdateServerOptions { Root = dir.Path, RecentRequests = Keep });
        using var client = new HttpClient { BaseAddress = server.BaseUri };
        var padding = new string('a', 4000);
        for (var i = 0; i < Sent; i++)
        {
            using var response = await client.GetAsync(i % 2 == 0 ? $"r{i}-{padding}" : "fw.bin");
        }

        var kept = server.Requests;
        Assert.Equal(Keep, kept.Count);
        Assert.Equal(Sent, server.RequestCount);
        Assert.Equal(Sent / 2 * 1000, server.BytesSent);
        // The last ten, in order: r30, fw.bin, r32, ..., fw.bin.
        Assert.StartsWith($"/r{Sent - Keep}-aaa", kept[0].Path);
        Assert.Equal("/fw.bin", kept[^1].Path);
        Assert.All(kept, e => Assert.True(e.Path.Length < 600, $"a {e.Path.Length}-character path was kept"));
        Assert.Contains(kept, e => e.Path.EndsWith($"({padding.Length + 5} characters)", StringComparison.Ordinal));
    }
}
