using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using NfOta.Ddi;
using NfOta.Http;
using NfOta.Json;
using NfOta.Transfer;

namespace NfOta.Core.Tests;

/// <summary>The DDI answers the board reads, the bodies it writes, and the .NET transport over real HTTP.</summary>
public sealed class DdiProtocolTests
{
    private static JsonDocument Json(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        return JsonDocument.Parse(bytes, bytes.Length, null);
    }

    [Theory]
    [InlineData("00:00:00", 0)]
    [InlineData("00:05:00", 300)]
    [InlineData("12:00:00", 43200)]
    [InlineData("100:00:01", 360001)]
    public void SleepIsHoursMinutesSeconds(string text, int seconds) => Assert.Equal(seconds, DdiPoll.ParseSleep(text));

    [Theory]
    [InlineData("5:00")]
    [InlineData("00:60:00")]
    [InlineData("00:00:60")]
    [InlineData("aa:00:00")]
    [InlineData("00-05-00")]
    [InlineData("")]
    [InlineData("99999:00:00")]
    public void ABadSleepIsDdiInvalid(string text) => Assert.Equal(OtaError.DdiInvalid, Assert.Throws<OtaException>(() => DdiPoll.ParseSleep(text)).Error);

    [Fact]
    public void ABasePollWithoutLinksIsIdleAndItsLinksAreRead()
    {
        var idle = DdiPoll.Parse(Json("""{"config":{"polling":{"sleep":"00:01:00"}},"_links":{}}"""));
        Assert.Equal((60, null, null), (idle.SleepSeconds, idle.DeploymentUrl, idle.ConfigDataUrl));
        var busy = DdiPoll.Parse(Json("""{"_links":{"deploymentBase":{"href":"https://h/T/controller/v1/C/deploymentBase/5?c=-2"},"cancelAction":{"href":"https://h/x"}}}"""));
        Assert.Equal((-1, "https://h/T/controller/v1/C/deploymentBase/5?c=-2"), (busy.SleepSeconds, busy.DeploymentUrl));
        Assert.Equal(OtaError.DdiInvalid, Assert.Throws<OtaException>(() => DdiPoll.Parse(Json("""{"_links":{"deploymentBase":{"href":"ftp://h"}}}"""))).Error);
        Assert.Equal(OtaError.DdiInvalid, Assert.Throws<OtaException>(() => DdiPoll.Parse(Json("[]"))).Error);
    }

    [Fact]
    public void ADeploymentPrefersTheHttpsLinkAndFindsItsOneManifest()
    {
        var deployment = DdiDeployment.Parse(Json("""
            {"id":"8","deployment":{"download":"forced","update":"attempt","maintenanceWindow":"available","chunks":[
              {"part":"os","version":"2.0.0","name":"fw","artifacts":[
                {"filename":"nf-2.0.0.bin","hashes":{"sha1":"a","md5":"b","sha256":"cc"},"size":123456,
                 "_links":{"download":{"href":"https://cdn/sm/1/nf-2.0.0.bin"},"download-http":{"href":"http://cdn/sm/1/nf-2.0.0.bin"}}}]},
              {"part":"app","version":"2.0.0","name":"m","artifacts":[
                {"filename":"nf-2.0.0.manifest","size":900,"_links":{"download-http":{"href":"http://cdn/sm/2/nf-2.0.0.manifest"}}}]}]},
             "actionHistory":{"status":"RUNNING","messages":["x"]}}
            """));
        Assert.Equal(("8", "forced", "attempt", "available"), (deployment.ActionId, deployment.Download, deployment.Update, deployment.MaintenanceWindow));
        Assert.Equal(2, deployment.Artifacts.Length);
        var image = deployment.Find("nf-2.0.0.bin")!;
        Assert.Equal(("https://cdn/sm/1/nf-2.0.0.bin", 123456L, "cc"), (image.DownloadUrl, image.Size, image.Sha256));
        Assert.Equal("http://cdn/sm/2/nf-2.0.0.manifest", deployment.Manifest.DownloadUrl);
    }

    [Theory]
    [InlineData("""{"deployment":{"chunks":[]}}""", OtaError.DdiInvalid)]
    [InlineData("""{"id":8,"deployment":{"chunks":[]}}""", OtaError.DdiInvalid)]
    [InlineData("""{"id":"8/../../x?y","deployment":{"chunks":[]}}""", OtaError.DdiInvalid)]
    [InlineData("""{"id":"","deployment":{"chunks":[]}}""", OtaError.DdiInvalid)]
    [InlineData("""{"id":"8","deployment":{}}""", OtaError.DdiInvalid)]
    [InlineData("""{"id":"8","deployment":{"chunks":[{"artifacts":[{"size":1}]}]}}""", OtaError.DdiInvalid)]
    public void ADeploymentMissingWhatDdiRequiresIsDdiInvalid(string json, OtaError error) =>
        Assert.Equal(error, Assert.Throws<OtaException>(() => DdiDeployment.Parse(Json(json))).Error);

    [Theory]
    [InlineData("""{"id":"8","deployment":{"chunks":[{"artifacts":[{"filename":"a.bin","_links":{"download":{"href":"https://x/a.bin"}}}]}]}}""", OtaError.DdiNoManifest)]
    [InlineData("""{"id":"8","deployment":{"chunks":[{"artifacts":[{"filename":"a.manifest"}]}]}}""", OtaError.DdiNoManifest)]
    [InlineData("""{"id":"8","deployment":{"chunks":[{"artifacts":[{"filename":"a.manifest","_links":{"download":{"href":"https://x/a"}}},{"filename":"b.manifest","_links":{"download":{"href":"https://x/b"}}}]}]}}""", OtaError.DdiInvalid)]
    public void OneDownloadableManifestOrTheDeploymentIsNoNfOtaRelease(string json, OtaError error) =>
        Assert.Equal(error, Assert.Throws<OtaException>(() => DdiDeployment.Parse(Json(json)).Manifest).Error);

    [Fact]
    public void FeedbackAndConfigBodiesAreHawkBitsShapes()
    {
        Assert.Equal("""{"status":{"execution":"closed","result":{"finished":"failure"},"details":["[hash-mismatch] x"]}}""",
            Encoding.UTF8.GetString(DdiFeedback.Body(DdiFeedback.Closed, DdiFeedback.Failure, "[hash-mismatch] x")));
        Assert.Equal("""{"status":{"execution":"download","result":{"finished":"none"}}}""",
            Encoding.UTF8.GetString(DdiFeedback.Body(DdiFeedback.Download, DdiFeedback.None, null)));
    }

    [Theory]
    [InlineData("http://h/a/b/file.bin", "file.bin")]
    [InlineData("http://h/file.bin?x=/y", "file.bin")]
    [InlineData("http://h/d/file.bin#frag", "file.bin")]
    public void AnImageIsMatchedToAnArtifactByItsFileName(string url, string name) => Assert.Equal(name, DdiArtifactSource.FileName(url));

    [Fact]
    public async Task AnAnswerPastTheCapIsRefusedNotTruncated()
    {
        await using var app = await Host(new Holder(), huge: true);
        using var http = new HttpJsonClient();
        var e = Assert.Throws<OtaException>(() => http.Send(new JsonHttpRequest { Method = "GET", Url = app.Urls.First() + "/huge", MaxResponseLength = 1000 }));
        Assert.Equal(OtaError.JsonInvalid, e.Error);
        Assert.Equal(1000, http.Send(new JsonHttpRequest { Method = "GET", Url = app.Urls.First() + "/huge", MaxResponseLength = 100_000 }).Length / 50);
    }

    [Fact]
    public async Task ADownloadCarriesTheTokenOnlyUnderTheAuthorizedPrefix()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.Run(context => context.Response.WriteAsync(context.Request.Headers.Authorization.FirstOrDefault() ?? "none"));
        await app.StartAsync();
        var root = app.Urls.First();
        using var source = new HttpImageSource { Authorization = "TargetToken abc", AuthorizedPrefix = root + "/DEFAULT/" };

        Assert.Equal("TargetToken abc", Read(source, root + "/DEFAULT/controller/v1/b/softwaremodules/1/artifacts/a.bin"));
        Assert.Equal("none", Read(source, root + "/cdn/a.bin"));
        source.AuthorizedPrefix = null;
        Assert.Equal("none", Read(source, root + "/DEFAULT/a.bin"));
    }

    private static string Read(IImageSource source, string url)
    {
        var stream = source.Open(url, 0);
        var buffer = new byte[100];
        int n = stream.Read(buffer, 0, buffer.Length);
        stream.Close();
        return Encoding.ASCII.GetString(buffer, 0, n);
    }

    internal sealed class Holder
    {
        public FakeDdiServer? Server;
    }

    /// <summary>Kestrel on a loopback port; every request goes to the holder's fake DDI server.</summary>
    internal static async Task<WebApplication> Host(Holder holder, bool huge = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var h = holder;
        app.Run(async context =>
        {
            if (huge)
            {
                await context.Response.Body.WriteAsync(new byte[50_000]);
                return;
            }
            using var copy = new MemoryStream();
            await context.Request.Body.CopyToAsync(copy);
            var url = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}{context.Request.QueryString}";
            var (status, body) = h.Server!.Handle(context.Request.Method, url, context.Request.Headers.Authorization.FirstOrDefault(), copy.Length == 0 ? null : copy.ToArray());
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/hal+json";
            await context.Response.Body.WriteAsync(body);
        });
        await app.StartAsync();
        return app;
    }
}
