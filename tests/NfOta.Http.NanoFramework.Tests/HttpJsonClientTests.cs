using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using NfOta.Http;
using NfOta.Transfer;

namespace NfOta.Http.NanoFramework.Tests;

/// <summary>The device's DDI transport (firmware/NfOta.Http.NanoFramework/HttpJsonClient.cs) over the library's rules, against Kestrel.</summary>
public sealed class HttpJsonClientTests
{
    private static async Task<WebApplication> Echo()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            context.Response.StatusCode = context.Request.Path == "/missing" ? 404 : 200;
            var said = $"{context.Request.Method} {context.Request.Headers.Authorization} {context.Request.ContentType} {Encoding.UTF8.GetString(body.ToArray())}";
            await context.Response.WriteAsync(context.Request.Path == "/huge" ? new string('x', 5000) : said);
        });
        await app.StartAsync();
        return app;
    }

    [Fact]
    public async Task PutsAJsonBodyWithTheTokenAndReadsTheAnswer()
    {
        await using var app = await Echo();
        var client = new HttpJsonClient(null, 5);
        var answer = client.Send(new JsonHttpRequest { Method = "PUT", Url = app.Urls.First() + "/configData", Authorization = "TargetToken abc", Body = "{\"a\":1}"u8.ToArray() });
        Assert.Equal(200, answer.Status);
        Assert.Equal("PUT TargetToken abc application/json {\"a\":1}", Encoding.UTF8.GetString(answer.Body, 0, answer.Length));
        var get = client.Send(new JsonHttpRequest { Method = "GET", Url = app.Urls.First() + "/x" });
        Assert.Equal("GET   ", Encoding.UTF8.GetString(get.Body, 0, get.Length));
    }

    [Fact]
    public async Task AnErrorStatusIsReturnedAndAnAnswerPastTheCapRefused()
    {
        await using var app = await Echo();
        var client = new HttpJsonClient(null, 5);
        Assert.Equal(404, client.Send(new JsonHttpRequest { Method = "GET", Url = app.Urls.First() + "/missing" }).Status);
        var e = Assert.Throws<OtaException>(() => client.Send(new JsonHttpRequest { Method = "GET", Url = app.Urls.First() + "/huge", MaxResponseLength = 4999 }));
        Assert.Equal(OtaError.JsonInvalid, e.Error);
        Assert.Equal(5000, client.Send(new JsonHttpRequest { Method = "GET", Url = app.Urls.First() + "/huge", MaxResponseLength = 5000 }).Length);
    }

    [Fact]
    public void AnUnreachableServerIsATransientNetworkFailure()
    {
        var e = Assert.Throws<OtaException>(() => new HttpJsonClient(null, 2).Send(new JsonHttpRequest { Method = "GET", Url = "http://127.0.0.1:1/" }));
        Assert.Equal((OtaError.Network, true), (e.Error, e.IsTransient));
    }

    [Fact]
    public void TheHostTestBuildRefusesARootCaNamingTheClass()
    {
        var e = Assert.Throws<OtaException>(() => new HttpJsonClient("-----BEGIN CERTIFICATE-----", 5));
        Assert.Equal("this build of HttpJsonClient is the host's test build: http only", e.Message);
    }
}
