using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace NfOta.Cli.Tests;

/// <summary>`nfota serve` as a real process on loopback, spoken to over real sockets.</summary>
public sealed class ServeCommandTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly Process _server;
    private readonly StringBuilder _log = new();
    private readonly Uri _base;
    private readonly byte[] _image = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7)).ToArray();

    public ServeCommandTests()
    {
        Directory.CreateDirectory(_dir["pkg"]);
        File.WriteAllBytes(_dir["pkg/app-2.0.0.bin"], _image);
        File.WriteAllText(_dir["secret.pem"], "not for the web");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(dotnet) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "nfota.dll"), "serve", _dir["pkg"], "--port", "0" }) start.ArgumentList.Add(arg);
        var listening = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        _server = new Process { StartInfo = start };
        _server.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            if (e.Data.StartsWith("serving ", StringComparison.Ordinal)) listening.TrySetResult(e.Data);
            lock (_log) _log.AppendLine(e.Data);
        };
        _server.Start();
        _server.BeginOutputReadLine();
        if (!listening.Task.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException("nfota serve did not start: " + _server.StandardError.ReadToEnd());
        }
        _base = new Uri(listening.Task.Result.Split(" at ")[1].Split(' ')[0]);
    }

    private string Log()
    {
        Thread.Sleep(200);
        lock (_log) return _log.ToString();
    }

    [Fact]
    public async Task ServesWholeFilesRangesHeadAndEtags()
    {
        using var client = new HttpClient { BaseAddress = _base };
        var whole = await client.GetAsync("app-2.0.0.bin");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(_image, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes", whole.Headers.AcceptRanges.Single());
        var etag = whole.Headers.ETag!;

        var request = new HttpRequestMessage(HttpMethod.Get, "app-2.0.0.bin");
        request.Headers.Range = new RangeHeaderValue(4000, null);
        var partial = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(_image[4000..], await partial.Content.ReadAsByteArrayAsync());
        Assert.Equal("bytes 4000-9999/10000", partial.Content.Headers.ContentRange!.ToString());

        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "app-2.0.0.bin"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(10_000, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        var conditional = new HttpRequestMessage(HttpMethod.Get, "app-2.0.0.bin");
        conditional.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(conditional)).StatusCode);

        var log = Log();
        Assert.Contains("GET /app-2.0.0.bin [bytes=4000-] -> 206 bytes 4000-9999/10000, 6000 bytes", log);
        Assert.Contains("HEAD /app-2.0.0.bin -> 200", log);
    }

    [Fact]
    public async Task AnswersNotFoundAndUnsatisfiableRanges()
    {
        using var client = new HttpClient { BaseAddress = _base };
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("app-9.0.0.bin")).StatusCode);
        var request = new HttpRequestMessage(HttpMethod.Get, "app-2.0.0.bin");
        request.Headers.Range = new RangeHeaderValue(20_000, null);
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */10000", response.Content.Headers.ContentRange!.ToString());
        Assert.Contains("-> 416", Log());
    }

    [Theory]
    [InlineData("/../secret.pem")]
    [InlineData("/%2e%2e/secret.pem")]
    [InlineData("/%252e%252e/secret.pem")]
    [InlineData("/..%2fsecret.pem")]
    [InlineData("/..\\secret.pem")]
    public void RefusesPathTraversal(string target)
    {
        // Raw bytes on a socket: an HTTP client library would normalise the path before sending it.
        using var tcp = new TcpClient();
        tcp.Connect(_base.Host, _base.Port);
        using var stream = tcp.GetStream();
        var ask = Encoding.ASCII.GetBytes($"GET {target} HTTP/1.1\r\nHost: {_base.Authority}\r\nConnection: close\r\n\r\n");
        stream.Write(ask);
        var answer = new StreamReader(stream, Encoding.ASCII).ReadToEnd();
        Assert.DoesNotContain("not for the web", answer);
        Assert.Matches("^HTTP/1.1 (400|404)", answer);
    }

    [Fact]
    public async Task NeverServesThroughALinkOutOfTheRoot()
    {
        Directory.CreateDirectory(_dir["keys"]);
        File.WriteAllText(_dir["keys/manifest-key.pem"], "private key");
        Directory.CreateSymbolicLink(_dir["pkg/keys"], _dir["keys"]);
        File.CreateSymbolicLink(_dir["pkg/secret.pem"], "../secret.pem");
        Directory.CreateSymbolicLink(_dir["pkg/up"], "..");
        Directory.CreateDirectory(_dir["pkg/sub"]);
        File.CreateSymbolicLink(_dir["pkg/sub/hop.pem"], "../up/secret.pem");
        File.CreateSymbolicLink(_dir["pkg/latest.bin"], "app-2.0.0.bin");

        using var client = new HttpClient { BaseAddress = _base };
        foreach (var path in new[] { "keys/manifest-key.pem", "secret.pem", "up/secret.pem", "up/keys/manifest-key.pem", "sub/hop.pem" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("private key", await response.Content.ReadAsStringAsync());
        }
        // No link is followed, not even one that stays inside the folder: the file is opened without following any.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("latest.bin")).StatusCode);
        Assert.Equal(_image, await client.GetByteArrayAsync("app-2.0.0.bin"));
    }

    [Fact]
    public void TheLogEscapesControlCharactersFromRequests()
    {
        // Raw bytes, as a hostile client sends them: an ESC and a CSI (U+009B, as UTF-8) in the Range header the log quotes.
        Send([.. Encoding.ASCII.GetBytes("GET /app HTTP/1.1\r\nRange: bytes=0-1\u001b[2J\r\n")]);
        Send([.. Encoding.ASCII.GetBytes("GET /x HTTP/1.1\r\nRange: bytes=0-1"), 0xC2, 0x9B, .. Encoding.ASCII.GetBytes("2J\r\n")]);
        var log = Log();
        Assert.Contains("GET /app", log);
        Assert.Contains("GET /x", log);
        Assert.DoesNotContain('\u009b', log);
        Assert.DoesNotContain('\u001b', log);

        void Send(byte[] requestLine)
        {
            using var tcp = new TcpClient();
            tcp.Connect(_base.Host, _base.Port);
            using var stream = tcp.GetStream();
            stream.Write([.. requestLine, .. Encoding.ASCII.GetBytes("Host: x\r\nConnection: close\r\n\r\n")]);
            new StreamReader(stream, Encoding.ASCII).ReadToEnd();
        }
    }

    [Fact]
    public void ExplainsBadArguments()
    {
        var missing = CliRunner.Run("serve", _dir["nope"], "--port", "0");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("[file-not-found]", missing.Error);
        Assert.Contains("[invalid-argument]", CliRunner.Run("serve", _dir["pkg"], "--address", "localhost:80").Error);
        Assert.Contains("[invalid-argument]", CliRunner.Run("serve", _dir["pkg"], "--port", "70000").Error);
    }

    [Fact]
    public void AnUnusablePortOrAddressIsOneLine()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString();
        var inUse = CliRunner.Run("serve", _dir["pkg"], "--port", port);
        Assert.Equal(3, inUse.ExitCode);
        Assert.EndsWith("[port-in-use]", Assert.Single(inUse.ErrorLines));
        Assert.Contains(port, inUse.Error);

        // 192.0.2.1 is TEST-NET-1: no machine has it, so binding fails (nothing is sent).
        var foreign = CliRunner.Run("serve", _dir["pkg"], "--port", "0", "--address", "192.0.2.1");
        Assert.Equal(3, foreign.ExitCode);
        Assert.EndsWith("[address-not-local]", Assert.Single(foreign.ErrorLines));
    }

    [Fact]
    public void APrivilegedPortIsExplained()
    {
        // Root may bind below 1024, so the refusal is built as the kernel reports it.
        var refused = new IOException("Failed to bind", new SocketException((int)SocketError.AccessDenied));
        var e = Commands.ListenFailure.Explain(refused, IPAddress.Loopback, 80);
        Assert.Equal("port-not-permitted", e.Code);
        Assert.Equal(3, e.ExitCode);
        Assert.Contains("below 1024", e.Message);
    }

    [Fact]
    public void APfxWithoutItsPrivateKeyIsOneLine()
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=localhost", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var withKey = request.CreateSelfSigned(DateTimeOffset.Now.AddDays(-1), DateTimeOffset.Now.AddDays(1));
        using var publicOnly = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(withKey.RawData);
        File.WriteAllBytes(_dir["public-only.pfx"], publicOnly.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12));
        var result = CliRunner.Run("serve", _dir["pkg"], "--port", "0", "--tls-cert", _dir["public-only.pfx"]);
        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("[tls-cert-invalid]", Assert.Single(result.ErrorLines));
        Assert.Contains("no private key", result.Error);
    }

    public void Dispose()
    {
        if (!_server.HasExited) _server.Kill(entireProcessTree: true);
        _server.WaitForExit();
        _server.Dispose();
        _dir.Dispose();
    }
}
