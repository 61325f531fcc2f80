namespace NfOta.Json
{
    /// <summary>
    /// Caps for <see cref="JsonDocument.Parse"/>: a body past any of them is refused (json-invalid)
    /// before it can exhaust the board's stack or heap. The defaults fit hawkBit's DDI answers
    /// with room to spare (a deployment with a few chunks is 2-4 KB, 8 levels deep).
    /// </summary>
    public sealed class JsonLimits
    {
        public JsonLimits()
        {
            MaxLength = 16384;
            MaxDepth = 16;
            MaxValues = 1024;
        }

        /// <summary>Bytes of text.</summary>
        public int MaxLength { get; set; }

        /// <summary>Nesting of arrays and objects (the root is depth 1).</summary>
        public int MaxDepth { get; set; }

        /// <summary>Values, object keys included.</summary>
        public int MaxValues { get; set; }
    }
}
