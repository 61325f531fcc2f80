namespace NfOta.Json
{
    /// <summary>
    /// A parsed JSON text, read in place: values are node numbers (the root is 0, -1 means "none"),
    /// strings and numbers are decoded from the original bytes only when asked for. Built for the
    /// small answers of a DDI server on a board with a few hundred KB of heap: one pass, five int
    /// arrays, caps on length, depth and value count (<see cref="JsonLimits"/>), and every
    /// malformed input is an <see cref="OtaException"/> (json-invalid) saying where.
    /// </summary>
    public sealed class JsonDocument
    {
        private readonly byte[] _text;
        private readonly JsonParser _nodes;

        private JsonDocument(byte[] text, JsonParser nodes)
        {
            _text = text;
            _nodes = nodes;
        }

        /// <summary>The root value's node.</summary>
        public const int Root = 0;

        /// <summary>Parse text[0..length) under <paramref name="limits"/> (null: the defaults).</summary>
        public static JsonDocument Parse(byte[] text, int length, JsonLimits limits)
        {
            limits = limits ?? new JsonLimits();
            if (text == null || length < 0 || length > text.Length)
            {
                throw new OtaException(OtaError.JsonInvalid, "json: no text to parse");
            }
            if (length > limits.MaxLength)
            {
                throw new OtaException(OtaError.JsonInvalid, "json: the text is " + length.ToString() + " bytes, more than the " + limits.MaxLength.ToString() + " allowed");
            }
            var parser = new JsonParser(text, length, limits);
            parser.Run();
            return new JsonDocument(text, parser);
        }

        /// <summary>How many values (keys included) the text holds.</summary>
        public int ValueCount
        {
            get { return _nodes.Values; }
        }

        /// <summary>The node's kind; Null for -1 (a missing value reads as null).</summary>
        public JsonKind Kind(int node)
        {
            return node < 0 ? JsonKind.Null : (JsonKind)_nodes.Kind[node];
        }

        /// <summary>Elements of an array or members of an object; 0 for anything else.</summary>
        public int Count(int node)
        {
            return node < 0 ? 0 : _nodes.Count[node];
        }

        /// <summary>The value of member <paramref name="name"/> of an object, or -1 (not an object, no such key). The first wins if a key repeats.</summary>
        public int Member(int node, string name)
        {
            if (Kind(node) != JsonKind.Object || _nodes.Count[node] == 0)
            {
                return -1;
            }
            for (int key = node + 1; key >= 0; key = _nodes.Next[key])
            {
                if (KeyIs(key, name))
                {
                    return key + 1;
                }
            }
            return -1;
        }

        /// <summary>The first element of an array, or -1.</summary>
        public int First(int node)
        {
            return Kind(node) == JsonKind.Array && _nodes.Count[node] > 0 ? node + 1 : -1;
        }

        /// <summary>The array element after <paramref name="element"/>, or -1.</summary>
        public int Next(int element)
        {
            return element < 0 ? -1 : _nodes.Next[element];
        }

        /// <summary>The string's text, or null when the node is not a string.</summary>
        public string String(int node)
        {
            return Kind(node) != JsonKind.String ? null : JsonString.Decode(_text, _nodes.Start[node], _nodes.End[node]);
        }

        /// <summary>The number as a long when it is an integer within range; false for fractions, exponents, overflow and non-numbers.</summary>
        public bool TryInteger(int node, out long value)
        {
            value = 0;
            if (Kind(node) != JsonKind.Number)
            {
                return false;
            }
            int at = _nodes.Start[node];
            int end = _nodes.End[node];
            bool negative = _text[at] == (byte)'-';
            if (negative)
            {
                at++;
            }
            for (; at < end; at++)
            {
                int digit = _text[at] - '0';
                if (digit < 0 || digit > 9 || value > (long.MaxValue - digit) / 10)
                {
                    value = 0;
                    return false;
                }
                value = value * 10 + digit;
            }
            value = negative ? -value : value;
            return true;
        }

        /// <summary>Follow object members by name from <paramref name="node"/>; -1 when any is missing.</summary>
        public int Path(int node, string first, string second)
        {
            return Member(Member(node, first), second);
        }

        /// <summary>Compare a key with <paramref name="name"/>, byte by byte when the key is plain ASCII (no escape, no UTF-8).</summary>
        private bool KeyIs(int key, string name)
        {
            int start = _nodes.Start[key] + 1;
            int length = _nodes.End[key] - 1 - start;
            for (int i = 0; i < length; i++)
            {
                byte b = _text[start + i];
                if (b == (byte)'\\' || b >= 0x80)
                {
                    return String(key) == name;
                }
            }
            if (length != name.Length)
            {
                return false;
            }
            for (int i = 0; i < length; i++)
            {
                if (_text[start + i] != name[i])
                {
                    return false;
                }
            }
            return true;
        }

        internal static OtaException Invalid(string what, int at)
        {
            return new OtaException(OtaError.JsonInvalid, "json: " + what + " at byte " + at.ToString());
        }
    }
}
