using System.Net;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using NfOta.Transfer;

namespace NfOta.Http;

/// <summary>
/// <see cref="IImageSource"/> over HttpClient: GET with "Range: bytes=N-" to resume, redirects
/// followed up to a limit, every wait bounded by <see cref="ReadTimeout"/>. HTTPS can be pinned to
/// one root CA, as the device does with its built-in certificate.
/// </summary>
public sealed class HttpImageSource : IImageSource, IDisposable
{
    private readonly HttpClient _client;

    /// <param name="rootCa">Trust only chains ending in this CA (null: the system's trust store).</param>
    /// <param name="maxRedirects">Redirects followed before giving up.</param>
    public HttpImageSource(X509Certificate2? rootCa = null, int maxRedirects = 5)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = maxRedirects > 0,
            MaxAutomaticRedirections = Math.Max(1, maxRedirects),
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        if (rootCa is not null)
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                RemoteCertificateValidationCallback = (_, certificate, _, errors) => ChainsTo(rootCa, certificate, errors),
            };
        }
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The longest wait for a response or for the next bytes of a body (default 15 s).</summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// An Authorization header value (e.g. a DDI "TargetToken ...") sent with downloads whose URL
    /// starts with <see cref="AuthorizedPrefix"/>, so a token for the fleet server never goes to a CDN.
    /// </summary>
    public string? Authorization { get; set; }

    /// <summary>Where <see cref="Authorization"/> is sent (e.g. the DDI server's base URL); null: nowhere.</summary>
    public string? AuthorizedPrefix { get; set; }

    public IImageStream Open(string url, int offset)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (Authorization is not null && AuthorizedPrefix is not null && url.StartsWith(AuthorizedPrefix, StringComparison.Ordinal))
        {
            request.Headers.TryAddWithoutValidation("Authorization", Authorization);
        }
        if (offset > 0)
        {
            request.Headers.Range = new RangeHeaderValue(offset, null);
        }
        HttpResponseMessage response;
        using (var timeout = new CancellationTokenSource(ReadTimeout))
        {
            try
            {
                response = _client.Send(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            }
            catch (OperationCanceledException e)
            {
                throw Network($"no answer from {url} within {ReadTimeout.TotalSeconds:0.#} s", e);
            }
            catch (HttpRequestException e)
            {
                throw Network($"cannot reach {url}: {e.Message}", e);
            }
        }

        try
        {
            return Accept(response, url, offset);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private IImageStream Accept(HttpResponseMessage response, string url, int offset)
    {
        var status = (int)response.StatusCode;
        var body = response.Content.ReadAsStream();
        if (status == 206 && offset > 0)
        {
            var range = response.Content.Headers.ContentRange;
            if (range?.From != offset)
            {
                throw new OtaException(OtaError.HttpStatus, $"{url} answered the range from byte {offset} with {range}: the server's ranges cannot be trusted") { HttpStatus = status };
            }
            return new HttpImageStream(response, body, ToInt(range.Length), ReadTimeout, skip: 0);
        }
        if (status == 200)
        {
            // Without Range support the whole body comes again: skip what is already in flash.
            return new HttpImageStream(response, body, ToInt(response.Content.Headers.ContentLength), ReadTimeout, skip: offset);
        }
        var message = status switch
        {
            404 => $"{url} was not found (404): check the manifest's url and what the server holds",
            416 => $"{url} does not have byte {offset} (416): the file on the server is shorter than expected",
            401 or 403 => $"{url} refused access ({status})",
            >= 300 and < 400 => $"{url} redirected too many times ({status}): a redirect loop or a misconfigured server",
            >= 500 => $"{url} failed on the server ({status})",
            _ => $"{url} answered {status} {response.ReasonPhrase}",
        };
        throw new OtaException(OtaError.HttpStatus, message) { HttpStatus = status, IsTransient = status >= 500 };
    }

    private static int ToInt(long? length) => length is null ? -1 : length > int.MaxValue ? int.MaxValue : (int)length.Value;

    private static bool ChainsTo(X509Certificate2 rootCa, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0)
        {
            return false; // no certificate, or the name does not match
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(rootCa);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
    }

    internal static OtaException Network(string message, Exception inner) =>
        new(OtaError.Network, message, inner) { IsTransient = true };

    public void Dispose() => _client.Dispose();
}
