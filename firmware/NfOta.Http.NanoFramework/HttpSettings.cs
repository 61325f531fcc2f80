using System.Net;
#if NANOFRAMEWORK_1_0
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
#endif
using NfOta.Transfer;

namespace NfOta.Http
{
    /// <summary>
    /// What <see cref="HttpImageSource"/> and <see cref="HttpJsonClient"/> share: the root CA that
    /// HTTPS is checked against and the timeout, and the HttpWebRequest they make from them (one
    /// request per connection, the timeout for the response and for each read, TLS 1.2 with the CA
    /// required when there is one). The same file compiles for .NET over the stand-in in
    /// tests/NfOta.Http.NanoFramework.Tests, where only http is possible.
    /// </summary>
    internal sealed class HttpSettings
    {
#if NANOFRAMEWORK_1_0
        private readonly X509Certificate _rootCa;
#endif
        private readonly int _timeoutMilliseconds;

        /// <param name="rootCaPem">The CA that signed the server's certificate (PEM); null for http only.</param>
        /// <param name="timeoutSeconds">For the response and for each read.</param>
        /// <param name="user">The class these settings are for, named in the host test build's refusal of a CA.</param>
        public HttpSettings(string rootCaPem, int timeoutSeconds, string user)
        {
#if NANOFRAMEWORK_1_0
            _rootCa = rootCaPem == null ? null : new X509Certificate(rootCaPem);
#else
            if (rootCaPem != null)
            {
                throw new OtaException(OtaError.Network, "this build of " + user + " is the host's test build: http only");
            }
#endif
            _timeoutMilliseconds = timeoutSeconds * 1000;
        }

        /// <summary>A request for <paramref name="url"/> with the timeouts, no keep-alive and, with a CA, TLS set; it throws as WebRequest.Create does.</summary>
        public HttpWebRequest CreateRequest(string url, string method)
        {
            var request = (HttpWebRequest)WebRequest.Create(url);
            request.Method = method;
            request.Timeout = _timeoutMilliseconds;
            request.ReadWriteTimeout = _timeoutMilliseconds;
            request.KeepAlive = false;
#if NANOFRAMEWORK_1_0
            if (_rootCa != null)
            {
                request.HttpsAuthentCert = _rootCa;
                request.SslProtocols = SslProtocols.Tls12;
                request.SslVerification = SslVerification.CertificateRequired;
            }
#endif
            return request;
        }
    }
}
