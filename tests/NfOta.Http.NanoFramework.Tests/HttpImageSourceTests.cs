using System.Net;
using NfOta.Http;
using NfOta.Server;
using NfOta.Transfer;

namespace NfOta.Http.NanoFramework.Tests;

/// <summary>
/// The device's HTTP source against the update server on loopback: resume with Range, the answers
/// it maps, and every failure as an OtaException. Range is what broke on the device: in
/// nanoFramework.System.Net.Http 1.5.193 HttpClient's headers refuse it, and only HttpWebRequest.AddRange
/// sets it; the stand-in keeps that rule (first test), so a source that set the header by name fails here too.
/// </summary>
public sealed class HttpImageSourceTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("nfota-http-").FullName;
    private readonly byte[] _image = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 31 + 7)).ToArray();
    private UpdateServer _server = null!;

    public async Task InitializeAsync()
    {
        await File.WriteAllBytesAsync(Path.Combine(_root, "app.bin"), _image);
        _server = await UpdateServer.StartAsync(new UpdateServerOptions { Root = _root });
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private string Url(string name) => _server.UrlOf(name).ToString();

    private static byte[] ReadAll(IImageStream stream)
    {
        var output = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0) output.Write(buffer, 0, n);
        stream.Close();
        return output.ToArray();
    }

    [Fact]
    public void TheStandInRefusesRangeByNameAsNanoFrameworkDoes()
    {
        var request = (HttpWebRequest)WebRequest.Create("http://127.0.0.1/");
        Assert.Throws<ArgumentException>(() => request.Headers.Add("Range", "bytes=5-"));
        request.AddRange(5);
        Assert.Equal("bytes=5-", request.Headers["Range"]);
    }

    [Fact]
    public void ReadsTheWholeImage()
    {
        var stream = new HttpImageSource(null, 10).Open(Url("app.bin"), 0);
        Assert.Equal(_image.Length, stream.TotalLength);
        Assert.Equal(_image, ReadAll(stream));
        Assert.Null(_server.Requests.Single().Range);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(99_999)]
    public void ResumesFromAnOffsetWithARangeRequest(int offset)
    {
        var stream = new HttpImageSource(null, 10).Open(Url("app.bin"), offset);
        Assert.Equal(_image.Length, stream.TotalLength); // the whole resource, as the engine checks it
        Assert.Equal(_image.AsSpan(offset).ToArray(), ReadAll(stream));
        var request = _server.Requests.Single();
        Assert.Equal(206, request.Status);
        Assert.Equal($"bytes={offset}-", request.Range);
    }

    [Fact]
    public void AMissingImageIsAnHttpStatusErrorThatIsNotRetried()
    {
        var e = Assert.Throws<OtaException>(() => new HttpImageSource(null, 10).Open(Url("missing.bin"), 0));
        Assert.Equal(OtaError.HttpStatus, e.Error);
        Assert.Equal(404, e.HttpStatus);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public void ARangePastTheEndIsAnHttpStatusError()
    {
        var e = Assert.Throws<OtaException>(() => new HttpImageSource(null, 10).Open(Url("app.bin"), _image.Length + 10));
        Assert.Equal(OtaError.HttpStatus, e.Error);
        Assert.Equal(416, e.HttpStatus);
    }

    [Fact]
    public void AnUnreachableServerIsATransientNetworkError()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        var e = Assert.Throws<OtaException>(() => new HttpImageSource(null, 5).Open($"http://127.0.0.1:{port}/app.bin", 100));
        Assert.Equal(OtaError.Network, e.Error);
        Assert.True(e.IsTransient);
    }

    [Fact]
    public void AMalformedUrlIsANetworkErrorThatIsNotRetried()
    {
        var e = Assert.Throws<OtaException>(() => new HttpImageSource(null, 5).Open("ftp2://nowhere/app.bin", 0));
        Assert.Equal(OtaError.Network, e.Error);
        Assert.False(e.IsTransient);
    }

    [Fact]
    public void TheHostTestBuildRefusesARootCaNamingTheClass()
    {
        var e = Assert.Throws<OtaException>(() => new HttpImageSource("-----BEGIN CERTIFICATE-----", 5));
        Assert.Equal("this build of HttpImageSource is the host's test build: http only", e.Message);
    }
}
