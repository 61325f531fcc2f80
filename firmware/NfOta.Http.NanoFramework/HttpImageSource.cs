using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Security.Cryptography.X509Certificates;
using NfOta.Transfer;

namespace NfOta.Http
{
    /// <summary>
    /// The engine's image source on the device: nanoFramework's HttpClient, HTTPS checked against one
    /// root CA built into the app, "Range: bytes=N-" to resume. Kept tiny: it cannot be compiled on
    /// machines without the nanoFramework.System.Net.Http.Client package (see README, "Device builds").
    /// </summary>
    public sealed class HttpImageSource : IImageSource
    {
        private readonly X509Certificate _rootCa;
        private readonly TimeSpan _timeout;

        /// <param name="rootCaPem">The CA that signed the update server's certificate (PEM); null for http only.</param>
        public HttpImageSource(string rootCaPem, int timeoutSeconds)
        {
            _rootCa = rootCaPem == null ? null : new X509Certificate(rootCaPem);
            _timeout = TimeSpan.FromSeconds(timeoutSeconds);
        }

        public IImageStream Open(string url, int offset)
        {
            var client = new HttpClient { Timeout = _timeout, HttpsAuthentCert = _rootCa };
            var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (offset > 0)
            {
                request.Headers.Add("Range", "bytes=" + offset.ToString() + "-");
            }
            HttpResponseMessage response;
            try
            {
                response = client.Send(request, HttpCompletionOption.ResponseHeadersRead);
            }
            catch (Exception e)
            {
                client.Dispose();
                throw new OtaException(OtaError.Network, "cannot reach " + url + ": " + e.Message, e) { IsTransient = true };
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
                response.Dispose();
                client.Dispose();
                throw new OtaException(OtaError.HttpStatus, url + " answered " + status.ToString()) { HttpStatus = status, IsTransient = status >= 500 };
            }
            long length = response.Content.Headers.ContentLength;
            int total = length < 0 ? -1 : (int)length + (status == 206 ? offset : 0);
            return new Body(client, response, response.Content.ReadAsStream(), total, skip);
        }

        private sealed class Body : IImageStream
        {
            private readonly HttpClient _client;
            private readonly HttpResponseMessage _response;
            private readonly Stream _stream;
            private int _skip;

            public Body(HttpClient client, HttpResponseMessage response, Stream stream, int total, int skip)
            {
                _client = client;
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
                    throw new OtaException(OtaError.Network, "the connection failed mid-download: " + e.Message, e) { IsTransient = true };
                }
            }

            public void Close()
            {
                _stream.Dispose();
                _response.Dispose();
                _client.Dispose();
            }
        }
    }
}
