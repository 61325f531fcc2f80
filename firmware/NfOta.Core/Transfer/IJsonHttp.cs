namespace NfOta.Transfer
{
    /// <summary>
    /// The few HTTP exchanges a DDI client makes: GET a JSON document, POST or PUT a JSON body,
    /// with an Authorization header. Adapters: nanoFramework's HttpWebRequest on the device
    /// (firmware/NfOta.Http.NanoFramework), HttpClient on .NET (firmware/NfOta.Http.Host).
    /// </summary>
    public interface IJsonHttp
    {
        /// <summary>
        /// Send <paramref name="request"/> and read the whole answer, whatever its status. Throws
        /// <see cref="OtaException"/>: Network (IsTransient) when the server cannot be reached or
        /// stalls, JsonInvalid when the body is longer than request.MaxResponseLength.
        /// </summary>
        JsonHttpResponse Send(JsonHttpRequest request);
    }

    /// <summary>One request: "GET", "POST" or "PUT"; a body is sent as application/json.</summary>
    public sealed class JsonHttpRequest
    {
        public JsonHttpRequest()
        {
            MaxResponseLength = 16384;
        }

        public string Method { get; set; }

        public string Url { get; set; }

        /// <summary>The Authorization header's value (e.g. "TargetToken abc"), or null for none.</summary>
        public string Authorization { get; set; }

        /// <summary>UTF-8 JSON, or null for no body.</summary>
        public byte[] Body { get; set; }

        /// <summary>The longest answer read; a longer one is refused, not truncated.</summary>
        public int MaxResponseLength { get; set; }
    }

    /// <summary>The status and body of an answer.</summary>
    public sealed class JsonHttpResponse
    {
        public JsonHttpResponse(int status, byte[] body, int length)
        {
            Status = status;
            Body = body;
            Length = length;
        }

        public int Status { get; private set; }

        /// <summary>The body's bytes are Body[0..Length).</summary>
        public byte[] Body { get; private set; }

        public int Length { get; private set; }
    }
}
