using System;
using System.IO;
using System.Net;
using NfOta.Transfer;

namespace NfOta.Http
{
    /// <summary>
    /// The engine's image source on the device: nanoFramework's HttpWebRequest, HTTPS checked against
    /// one root CA built into the app, and AddRange(offset) ("Range: bytes=N-") to resume. Not HttpClient:
    /// in nanoFramework.System.Net.Http 1.5.193 every HttpClient header collection treats Range as a
    /// restricted header (Headers.Add("Range", ...) throws ArgumentException), and only HttpWebRequest's
    /// AddRange may set it. Every failure leaves as an OtaException.
    /// The same file compiles for .NET over a stand-in with the library's rules (tests/NfOta.Http.NanoFramework.Tests).
    /// </summary>
    public sealed class HttpImageSource : IImageSource
    {
        private readonly HttpSettings _settings;

        /// <param name="rootCaPem">The CA that signed the update server's certificate (PEM); null for http only.</param>
        /// <param name="timeoutSeconds">For the response and for each read: a stalled connection fails after this long.</param>
        public HttpImageSource(string rootCaPem, int timeoutSeconds)
        {
            _settings = new HttpSettings(rootCaPem, timeoutSeconds, "HttpImageSource");
        }

        /// <summary>
        /// An Authorization header value (e.g. a DDI "TargetToken ...") sent with downloads whose URL
        /// starts with <see cref="AuthorizedPrefix"/>, so a token for the fleet server never goes to a CDN.
        /// </summary>
        public string Authorization { get; set; }

        /// <summary>Where <see cref="Authorization"/> is sent (e.g. the DDI server's base URL); null: nowhere.</summary>
        public string AuthorizedPrefix { get; set; }

        public IImageStream Open(string url, int offset)
        {
            HttpWebResponse response = null;
            try
            {
                var request = _settings.CreateRequest(url, "GET");
                if (Authorization != null && AuthorizedPrefix != null && url.StartsWith(AuthorizedPrefix))
                {
                    request.Headers.Add("Authorization", Authorization);
                }
                if (offset > 0)
                {
                    request.AddRange(offset);
                }
                response = (HttpWebResponse)request.GetResponse();
            }
            catch (Exception e)
            {
                // .NET throws WebException for 4xx/5xx; nanoFramework returns the response. Both end below.
                // (No exception filter: nanoCLR does not run them.)
                var web = e as WebException;
                response = web == null ? null : web.Response as HttpWebResponse;
                if (response == null)
                {
                    throw new OtaException(OtaError.Network, "cannot reach " + url + ": " + Describe(e), e) { IsTransient = !(e is NotSupportedException || e is ArgumentException) };
                }
            }

            int status = (int)response.StatusCode;
            int skip;
            if (status == 206 && offset > 0)
            {
                skip = 0;
            }
            else if (status == 200)
            {
                skip = offset; // no Range support: the whole body again, skip what is in flash
            }
            else
            {
                response.Close();
                throw new OtaException(OtaError.HttpStatus, url + " answered " + status.ToString()) { HttpStatus = status, IsTransient = status >= 500 };
            }
            long length = response.ContentLength;
            int total = length < 0 ? -1 : (int)length + (status == 206 ? offset : 0);
            Stream stream;
            try
            {
                stream = response.GetResponseStream();
            }
            catch (Exception e)
            {
                response.Close();
                throw new OtaException(OtaError.Network, "the connection to " + url + " failed: " + Describe(e), e) { IsTransient = true };
            }
            return new Body(response, stream, total, skip);
        }

        /// <summary>nanoFramework wraps every GetResponse failure as "GetResponse() failed": the cause is inside.</summary>
        private static string Describe(Exception e)
        {
            var inner = e.InnerException;
            return inner == null ? e.Message : e.Message + " (" + inner.Message + ")";
        }

        private sealed class Body : IImageStream
        {
            private readonly HttpWebResponse _response;
            private readonly Stream _stream;
            private int _skip;

            public Body(HttpWebResponse response, Stream stream, int total, int skip)
            {
                _response = response;
                _stream = stream;
                TotalLength = total;
                _skip = skip;
            }

            public int TotalLength { get; private set; }

            public int Read(byte[] buffer, int offset, int count)
            {
                try
                {
                    while (_skip > 0)
                    {
                        int n = _stream.Read(buffer, offset, _skip < count ? _skip : count);
                        if (n <= 0)
                        {
                            return 0;
                        }
                        _skip -= n;
                    }
                    return _stream.Read(buffer, offset, count);
                }
                catch (Exception e)
                {
                    throw new OtaException(OtaError.Network, "the connection failed mid-download: " + Describe(e), e) { IsTransient = true };
                }
            }

            public void Close()
            {
                try
                {
                    _stream.Close();
                    _response.Close();
                }
                catch (Exception e)
                {
                    throw new OtaException(OtaError.Network, "closing the connection failed: " + Describe(e), e) { IsTransient = true };
                }
            }
        }
    }
}
