using System;
using System.IO;
using System.Net;
using NfOta.Transfer;

namespace NfOta.Http
{
    /// <summary>
    /// The DDI client's transport on the device: nanoFramework's HttpWebRequest (as
    /// <see cref="HttpImageSource"/>, for the same reasons), HTTPS checked against one root CA, the
    /// body sent with ContentType and ContentLength (Content-Type is set through its property, not
    /// Headers), Authorization through Headers (not a restricted header), the answer read whole up
    /// to its cap. The same file compiles for .NET over the stand-in in tests/NfOta.Http.NanoFramework.Tests.
    /// </summary>
    public sealed class HttpJsonClient : IJsonHttp
    {
        private readonly HttpSettings _settings;

        /// <param name="rootCaPem">The CA that signed the DDI server's certificate (PEM); null for http only.</param>
        /// <param name="timeoutSeconds">For the response and for each read.</param>
        public HttpJsonClient(string rootCaPem, int timeoutSeconds)
        {
            _settings = new HttpSettings(rootCaPem, timeoutSeconds, "HttpJsonClient");
        }

        public JsonHttpResponse Send(JsonHttpRequest request)
        {
            HttpWebResponse response = null;
            try
            {
                response = Exchange(request);
            }
            catch (Exception e)
            {
                // .NET throws WebException for 4xx/5xx; nanoFramework returns the response. Both end below.
                var web = e as WebException;
                response = web == null ? null : web.Response as HttpWebResponse;
                if (response == null)
                {
                    throw new OtaException(OtaError.Network, "cannot reach " + request.Url + ": " + Describe(e), e) { IsTransient = !(e is NotSupportedException || e is ArgumentException) };
                }
            }
            try
            {
                var buffer = new byte[request.MaxResponseLength + 1];
                int length = ReadAll(response.GetResponseStream(), buffer);
                if (length > request.MaxResponseLength)
                {
                    throw new OtaException(OtaError.JsonInvalid, "json: the answer from " + request.Url + " is longer than " + request.MaxResponseLength.ToString() + " bytes");
                }
                return new JsonHttpResponse((int)response.StatusCode, buffer, length);
            }
            catch (OtaException)
            {
                throw;
            }
            catch (Exception e)
            {
                throw new OtaException(OtaError.Network, "the answer from " + request.Url + " broke off: " + Describe(e), e) { IsTransient = true };
            }
            finally
            {
                response.Close();
            }
        }

        private HttpWebResponse Exchange(JsonHttpRequest request)
        {
            var http = _settings.CreateRequest(request.Url, request.Method);
            http.Accept = "application/json";
            if (request.Authorization != null)
            {
                http.Headers.Add("Authorization", request.Authorization);
            }
            if (request.Body != null)
            {
                http.ContentType = "application/json";
                http.ContentLength = request.Body.Length;
                using (var body = http.GetRequestStream())
                {
                    body.Write(request.Body, 0, request.Body.Length);
                }
            }
            return (HttpWebResponse)http.GetResponse();
        }

        /// <summary>Fill the buffer from the stream; returns how much came (buffer.Length means "more than fits").</summary>
        private static int ReadAll(Stream stream, byte[] buffer)
        {
            int length = 0;
            while (length < buffer.Length)
            {
                int n = stream.Read(buffer, length, buffer.Length - length);
                if (n <= 0)
                {
                    break;
                }
                length += n;
            }
            return length;
        }

        private static string Describe(Exception e)
        {
            var inner = e.InnerException;
            return inner == null ? e.Message : e.Message + " (" + inner.Message + ")";
        }
    }
}
