using System.Net.Http.Headers;
using NfOta.Transfer;

namespace NfOta.Http;

/// <summary>
/// <see cref="IJsonHttp"/> over HttpClient, for the DDI client on .NET (tests, emulated fleets):
/// one request, the answer read whole up to its cap, every wait bounded by <see cref="Timeout"/>.
/// Failures to connect or read are Network (transient), as for <see cref="HttpImageSource"/>.
/// </summary>
public sealed class HttpJsonClient : IJsonHttp, IDisposable
{
    private readonly HttpClient _client;

    public HttpJsonClient(HttpMessageHandler? handler = null)
    {
        _client = new HttpClient(handler ?? new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) }) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary>The longest wait for the whole exchange (default 15 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    public JsonHttpResponse Send(JsonHttpRequest request)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (request.Authorization is not null)
        {
            message.Headers.TryAddWithoutValidation("Authorization", request.Authorization);
        }
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            using var response = _client.Send(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            using var body = response.Content.ReadAsStream(timeout.Token);
            var (bytes, length) = ReadCapped(body, request.MaxResponseLength, request.Url);
            return new JsonHttpResponse((int)response.StatusCode, bytes, length);
        }
        catch (OperationCanceledException e)
        {
            throw HttpImageSource.Network($"no answer from {request.Url} within {Timeout.TotalSeconds:0.#} s", e);
        }
        catch (HttpRequestException e)
        {
            throw HttpImageSource.Network($"cannot reach {request.Url}: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw HttpImageSource.Network($"the answer from {request.Url} broke off: {e.Message}", e);
        }
    }

    /// <summary>The body, refused (not truncated) past <paramref name="max"/> bytes.</summary>
    private static (byte[] Bytes, int Length) ReadCapped(Stream body, int max, string url)
    {
        var bytes = new byte[Math.Min(max + 1, 4096)];
        int length = 0;
        while (true)
        {
            if (length == bytes.Length)
            {
                if (length > max)
                {
                    throw new OtaException(OtaError.JsonInvalid, $"json: the answer from {url} is longer than {max} bytes");
                }
                Array.Resize(ref bytes, Math.Min(max + 1, bytes.Length * 2));
            }
            int n = body.Read(bytes, length, bytes.Length - length);
            if (n == 0)
            {
                return (bytes, length);
            }
            length += n;
        }
    }

    public void Dispose() => _client.Dispose();
}
