using System.Diagnostics;
using System.Net;
using NfOta.Fleet.Admin;
using NfOta.Fleet.Dashboard;

namespace NfOta.Fleet.Tests;

/// <summary>
/// The read-only dashboard: rendered on the server, encoded, behind the admin token; and seen by a
/// real headless browser (Debian's Chromium, which native/scripts/install-deps.sh installs).
/// </summary>
public sealed class DashboardTests
{
    [Fact]
    public void ThePageShowsEveryRolloutWaveAndDeviceAndEncodesWhatDevicesSend()
    {
        var counts = new CountsOut(10, 6, 2, 8, 2, 0.25);
        var rollout = new RolloutOut(7, "lab", 10, "2.0.0", "https://cdn.example.com/r", "paused", "3 boards failed", 2,
            [new WaveOut(1, 10, true, counts), new WaveOut(2, 100, true, counts)], counts);
        var hostile = new DeviceOut("<script>alert(1)</script>", null, new Dictionary<string, string> { ["firmware"] = "1.0.0" }, 7, 70, "2.0.0", "rolled-back", "health-check-failed");
        var html = DashboardPage.Render(new DashboardView("DEFAULT", DateTimeOffset.UnixEpoch, [("lab", 10)], [rollout], [hostile]));

        Assert.DoesNotContain("<script>", html);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html);
        Assert.Contains("failure rate 25 % (2 failed of 8 finished), 0 of 10 boards not offered it", html);
        Assert.Contains("<b class=\"paused\">paused</b> (3 boards failed)", html);
        Assert.Contains("<td>lab</td><td>10</td>", html);
    }

    [Fact]
    public async Task WithoutTheAdminTokenItAsksForItAndShowsNothing()
    {
        await using var test = await TestDatabases.CreateAsync("sqlite");
        await using var fleet = await FleetHarness.StartAsync(test.Db);
        await fleet.SetUpFleetAsync(3);
        using var anonymous = await fleet.Http.GetAsync($"dashboard/{FleetHarness.Tenant}");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.StartsWith("Basic", anonymous.Headers.WwwAuthenticate.ToString());
        Assert.DoesNotContain("d000", await anonymous.Content.ReadAsStringAsync());
        using var request = new HttpRequestMessage(HttpMethod.Get, $"dashboard/{FleetHarness.Tenant}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("admin:wrong"u8.ToArray()));
        using var wrong = await fleet.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
    }

    [Fact]
    public async Task AHeadlessBrowserSeesCohortsWavesDeviceStatesAndTheFailureRate()
    {
        await using var test = await TestDatabases.CreateAsync("sqlite");
        await using var fleet = await FleetHarness.StartAsync(test.Db);
        await fleet.SetUpFleetAsync(20);
        var id = (await fleet.StartRolloutAsync(waves: "100")).GetProperty("id").GetInt64();
        await fleet.FinishAsync(FleetHarness.Id(0), success: true);
        await fleet.FinishAsync(FleetHarness.Id(1), success: false);

        var url = new UriBuilder(fleet.Server.BaseUri) { UserName = "admin", Password = FleetHarness.AdminToken, Path = $"dashboard/{FleetHarness.Tenant}" }.Uri;
        var dom = DumpDom(url);

        Assert.Contains($"<h2>Rollout {id}: 1.2.0 to all</h2>", dom);
        Assert.Contains("failure rate 50 % (1 failed of 2 finished)", dom);
        Assert.Contains("<td>all</td><td>20</td>", dom);
        Assert.Contains("<td>d000</td>", dom);
        Assert.Matches("<td>d001</td>.*?rolled-back", dom);
        Assert.Contains("health-check-failed", dom);
    }

    /// <summary>The DOM Chromium builds for the page (headless; --no-sandbox as tests may run as root).</summary>
    private static string DumpDom(Uri url)
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("no Chromium: native/scripts/install-deps.sh installs Debian's chromium");
        var profile = Directory.CreateTempSubdirectory("nfota-chromium-");
        try
        {
            return DumpDom(chromium, profile.FullName, url);
        }
        finally
        {
            profile.Delete(recursive: true);
        }
    }

    private static string DumpDom(string chromium, string profile, Uri url)
    {
        var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=" + profile, "--dump-dom", url.ToString() })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Chromium did not finish within a minute");
        }
        Assert.True(process.ExitCode == 0, $"Chromium exited {process.ExitCode}: {error.Result}");
        return output.Result;
    }
}
