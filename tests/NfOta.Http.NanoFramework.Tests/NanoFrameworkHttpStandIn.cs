// A stand-in for the part of nanoFramework.System.Net.Http 1.5.193 (HttpWebRequest and friends) that
// firmware/NfOta.Http.NanoFramework/HttpImageSource.cs uses, with the behaviour read from that
// library's tagged source (see firmware/tests/README.md):
//   - request headers are a WebHeaderCollection(true): Add/Set of a restricted header (Range among
//     them) throws ArgumentException("Cannot update restricted header: <name>"); AddRange sets Range;
//   - WebRequest.Create refuses schemes other than http/https with NotSupportedException;
//   - GetResponse returns 4xx/5xx responses (it does not throw for them) and wraps every failure as
//     WebException("GetResponse() failed", inner).
// These types shadow .NET's System.Net ones inside this test assembly only (CS0436), so the device
// source compiles here unchanged. The wire work is .NET's HttpClient.
using System.Net.Http.Headers;

namespace System.Net;

public class WebHeaderCollection
{
    private static readonly string[] Restricted =
        ["Accept", "Connection", "Content-Length", "Expect", "Host", "If-Modified-Since", "Proxy-Connection", "Range", "Referer", "Transfer-Encoding", "User-Agent"];

    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public string? this[string name] => _values.TryGetValue(name, out var value) ? value : null;

    public void Add(string name, string value)
    {
        if (Restricted.Contains(name, StringComparer.OrdinalIgnoreCase)) throw new ArgumentException("Cannot update restricted header: " + name);
        _values[name] = value;
    }

    internal void SetInternal(string name, string value) => _values[name] = value;

    internal IEnumerable<KeyValuePair<string, string>> All => _values;
}

public abstract class WebRequest
{
    public static WebRequest Create(string requestUriString)
    {
        var uri = new Uri(requestUriString);
        if (uri.Scheme != "http" && uri.Scheme != "https") throw new NotSupportedException("the URI prefix is not recognized: " + uri.Scheme);
        return new HttpWebRequest(uri);
    }

    public abstract WebResponse GetResponse();
}

public abstract class WebResponse : IDisposable
{
    public virtual void Close() { }

    public void Dispose() => Close();
}

public class WebException(string message, Exception? inner = null, WebResponse? response = null) : InvalidOperationException(message, inner)
{
    public WebResponse? Response { get; } = response;
}

public class HttpWebRequest : WebRequest
{
    private readonly Uri _uri;
    private int? _rangeFrom;

    internal HttpWebRequest(Uri uri) => _uri = uri;

    public string Method { get; set; } = "GET";

    public int Timeout { get; set; } = 100000;

    public int ReadWriteTimeout { get; set; } = 300000;

    public bool KeepAlive { get; set; } = true;

    public WebHeaderCollection Headers { get; } = new();

    /// <summary>Accept is a restricted header: its property sets it.</summary>
    public string? Accept { get => Headers["Accept"]; set => Headers.SetInternal("Accept", value!); }

    public string? ContentType { get; set; }

    public long ContentLength { get; set; } = -1;

    private IO.MemoryStream? _body;

    public IO.Stream GetRequestStream() => _body ??= new IO.MemoryStream();

    public void AddRange(int range)
    {
        if (range < 0) throw new ArgumentOutOfRangeException(nameof(range));
        _rangeFrom = range;
        Headers.SetInternal("Range", "bytes=" + range + "-");
    }

    public override WebResponse GetResponse()
    {
        var client = new HttpClient { Timeout = TimeSpan.FromMilliseconds(Timeout) };
        try
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), _uri);
            if (_rangeFrom is { } from) request.Headers.Range = new RangeHeaderValue(from, null);
            foreach (var (name, value) in Headers.All)
            {
                if (name != "Range") request.Headers.TryAddWithoutValidation(name, value);
            }
            if (_body is not null)
            {
                var bytes = _body.ToArray();
                if (ContentLength != bytes.Length) throw new ProtocolViolationException("ContentLength is " + ContentLength + " but " + bytes.Length + " bytes were written");
                request.Content = new ByteArrayContent(bytes);
                if (ContentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ContentType);
            }
            request.Headers.ConnectionClose = !KeepAlive;
            var response = client.Send(request, HttpCompletionOption.ResponseHeadersRead);
            return new HttpWebResponse(client, response);
        }
        catch (Exception e)
        {
            client.Dispose();
            throw new WebException("GetResponse() failed", e);
        }
    }
}

public class HttpWebResponse : WebResponse
{
    private readonly HttpClient _client;
    private readonly HttpResponseMessage _response;

    internal HttpWebResponse(HttpClient client, HttpResponseMessage response)
    {
        _client = client;
        _response = response;
    }

    public HttpStatusCode StatusCode => _response.StatusCode;

    public long ContentLength => _response.Content.Headers.ContentLength ?? -1;

    public IO.Stream GetResponseStream() => _response.Content.ReadAsStream();

    public override void Close()
    {
        _response.Dispose();
        _client.Dispose();
    }
}
