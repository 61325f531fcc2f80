namespace NfOta.Json
{
    /// <summary>
    /// Writes a small JSON body (DDI feedback, config data) as UTF-8 into one growing buffer:
    /// commas and nesting are tracked, strings are escaped as RFC 8259 asks (quote, backslash,
    /// control characters as \u00XX), non-ASCII text is encoded as UTF-8.
    /// </summary>
    public sealed class JsonWriter
    {
        private const int MaxDepth = 16;
        private byte[] _buffer = new byte[256];
        private int _length;
        private readonly bool[] _hasItems = new bool[MaxDepth + 1];
        private int _depth;
        private bool _afterName;

        public int Length
        {
            get { return _length; }
        }

        /// <summary>The body written so far (a copy, exactly <see cref="Length"/> bytes).</summary>
        public byte[] ToArray()
        {
            var bytes = new byte[_length];
            System.Array.Copy(_buffer, bytes, _length);
            return bytes;
        }

        public JsonWriter BeginObject()
        {
            return Open((byte)'{');
        }

        public JsonWriter EndObject()
        {
            return Close((byte)'}');
        }

        public JsonWriter BeginArray()
        {
            return Open((byte)'[');
        }

        public JsonWriter EndArray()
        {
            return Close((byte)']');
        }

        /// <summary>An object member's name; its value comes next.</summary>
        public JsonWriter Name(string name)
        {
            Separate();
            Quoted(name);
            Put((byte)':');
            _afterName = true;
            return this;
        }

        /// <summary>A string value; null writes null.</summary>
        public JsonWriter String(string value)
        {
            Separate();
            if (value == null)
            {
                Ascii("null");
            }
            else
            {
                Quoted(value);
            }
            return this;
        }

        public JsonWriter Number(long value)
        {
            Separate();
            Ascii(value.ToString());
            return this;
        }

        public JsonWriter Boolean(bool value)
        {
            Separate();
            Ascii(value ? "true" : "false");
            return this;
        }

        private JsonWriter Open(byte bracket)
        {
            if (_depth == MaxDepth)
            {
                throw new OtaException(OtaError.JsonInvalid, "json: the writer nests at most " + MaxDepth.ToString() + " levels");
            }
            Separate();
            Put(bracket);
            _hasItems[++_depth] = false;
            return this;
        }

        private JsonWriter Close(byte bracket)
        {
            if (_depth == 0)
            {
                throw new OtaException(OtaError.JsonInvalid, "json: closing more than was opened");
            }
            _depth--;
            Put(bracket);
            return this;
        }

        /// <summary>A comma before every item but the first of its container (not between a name and its value).</summary>
        private void Separate()
        {
            if (_afterName)
            {
                _afterName = false;
                return;
            }
            if (_hasItems[_depth])
            {
                Put((byte)',');
            }
            _hasItems[_depth] = true;
        }

        private void Quoted(string text)
        {
            Put((byte)'"');
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == '"' || c == '\\')
                {
                    Put((byte)'\\');
                    Put((byte)c);
                }
                else if (c < 0x20)
                {
                    Ascii("\\u00");
                    Put((byte)"0123456789abcdef"[c >> 4]);
                    Put((byte)"0123456789abcdef"[c & 0xF]);
                }
                else
                {
                    i = Utf8(text, i);
                }
            }
            Put((byte)'"');
        }

        /// <summary>The character at <paramref name="i"/> (a surrogate pair taken whole) as UTF-8; returns the index of the last char used.</summary>
        private int Utf8(string text, int i)
        {
            int c = text[i];
            if (c >= 0xD800 && c <= 0xDBFF && i + 1 < text.Length && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF)
            {
                c = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                i++;
            }
            else if (c >= 0xD800 && c <= 0xDFFF)
            {
                c = 0xFFFD; // a lone surrogate has no UTF-8 form
            }
            if (c < 0x80)
            {
                Put((byte)c);
            }
            else if (c < 0x800)
            {
                Put((byte)(0xC0 | (c >> 6)));
                Put((byte)(0x80 | (c & 0x3F)));
            }
            else if (c < 0x10000)
            {
                Put((byte)(0xE0 | (c >> 12)));
                Put((byte)(0x80 | ((c >> 6) & 0x3F)));
                Put((byte)(0x80 | (c & 0x3F)));
            }
            else
            {
                Put((byte)(0xF0 | (c >> 18)));
                Put((byte)(0x80 | ((c >> 12) & 0x3F)));
                Put((byte)(0x80 | ((c >> 6) & 0x3F)));
                Put((byte)(0x80 | (c & 0x3F)));
            }
            return i;
        }

        private void Ascii(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                Put((byte)text[i]);
            }
        }

        private void Put(byte b)
        {
            if (_length == _buffer.Length)
            {
                var more = new byte[_buffer.Length * 2];
                System.Array.Copy(_buffer, more, _length);
                _buffer = more;
            }
            _buffer[_length++] = b;
        }
    }
}
