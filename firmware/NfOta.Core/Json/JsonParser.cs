namespace NfOta.Json
{
    /// <summary>
    /// Checks JSON text (RFC 8259) and records each value's kind, byte span and next sibling in a
    /// few int arrays sized once from the caps: no string or object is allocated while parsing, and
    /// strings are decoded only when asked for. Recursion is bounded by MaxDepth.
    /// </summary>
    internal sealed class JsonParser
    {
        private readonly byte[] _text;
        private readonly int _length;
        private readonly JsonLimits _limits;
        private int _at;

        internal int[] Kind;
        internal int[] Start;
        internal int[] End;
        internal int[] Next;
        internal int[] Count;
        internal int Values;

        internal JsonParser(byte[] text, int length, JsonLimits limits)
        {
            _text = text;
            _length = length;
            _limits = limits;
            // Each value needs at least one byte of text: never more slots than bytes.
            int slots = length < limits.MaxValues ? length : limits.MaxValues;
            Kind = new int[slots];
            Start = new int[slots];
            End = new int[slots];
            Next = new int[slots];
            Count = new int[slots];
        }

        internal void Run()
        {
            SkipSpace();
            ParseValue(1);
            SkipSpace();
            if (_at != _length)
            {
                throw JsonDocument.Invalid("unexpected text after the value", _at);
            }
        }

        private int ParseValue(int depth)
        {
            if (_at >= _length)
            {
                throw JsonDocument.Invalid("the text ends where a value was expected", _at);
            }
            byte b = _text[_at];
            switch (b)
            {
                case (byte)'{': return ParseContainer(depth, JsonKind.Object, (byte)'}');
                case (byte)'[': return ParseContainer(depth, JsonKind.Array, (byte)']');
                case (byte)'"': return ParseString();
                case (byte)'t': return ParseLiteral("true", JsonKind.True);
                case (byte)'f': return ParseLiteral("false", JsonKind.False);
                case (byte)'n': return ParseLiteral("null", JsonKind.Null);
            }
            if (b == (byte)'-' || (b >= (byte)'0' && b <= (byte)'9'))
            {
                return ParseNumber();
            }
            throw JsonDocument.Invalid("unexpected byte 0x" + Text.Hex.Encode(new byte[] { b }), _at);
        }

        /// <summary>An object's children are key, value, key, value...; each key's Next is the next key.</summary>
        private int ParseContainer(int depth, JsonKind kind, byte close)
        {
            if (depth > _limits.MaxDepth)
            {
                throw JsonDocument.Invalid("nested deeper than " + _limits.MaxDepth.ToString() + " levels", _at);
            }
            int node = Add(kind, _at);
            _at++;
            SkipSpace();
            int previous = -1;
            int count = 0;
            if (_at < _length && _text[_at] == close)
            {
                _at++;
                End[node] = _at;
                return node;
            }
            while (true)
            {
                int child = kind == JsonKind.Object ? ParseMember(depth) : ParseValue(depth + 1);
                if (previous >= 0)
                {
                    Next[previous] = child;
                }
                previous = child;
                count++;
                SkipSpace();
                if (_at < _length && _text[_at] == (byte)',')
                {
                    _at++;
                    SkipSpace();
                    continue;
                }
                if (_at < _length && _text[_at] == close)
                {
                    _at++;
                    break;
                }
                throw JsonDocument.Invalid(kind == JsonKind.Object ? "expected ',' or '}'" : "expected ',' or ']'", _at);
            }
            Count[node] = count;
            End[node] = _at;
            return node;
        }

        /// <summary>"key": value; returns the key's node (the value is the node after the key's subtree).</summary>
        private int ParseMember(int depth)
        {
            if (_at >= _length || _text[_at] != (byte)'"')
            {
                throw JsonDocument.Invalid("expected a quoted key", _at);
            }
            int key = ParseString();
            SkipSpace();
            if (_at >= _length || _text[_at] != (byte)':')
            {
                throw JsonDocument.Invalid("expected ':' after a key", _at);
            }
            _at++;
            SkipSpace();
            ParseValue(depth + 1);
            return key;
        }

        private int ParseString()
        {
            int node = Add(JsonKind.String, _at);
            _at = JsonString.Scan(_text, _at + 1, _length);
            End[node] = _at;
            return node;
        }

        private int ParseLiteral(string word, JsonKind kind)
        {
            int node = Add(kind, _at);
            for (int i = 0; i < word.Length; i++)
            {
                if (_at >= _length || _text[_at] != (byte)word[i])
                {
                    throw JsonDocument.Invalid("expected \"" + word + "\"", _at);
                }
                _at++;
            }
            End[node] = _at;
            return node;
        }

        /// <summary>-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?</summary>
        private int ParseNumber()
        {
            int node = Add(JsonKind.Number, _at);
            if (_text[_at] == (byte)'-')
            {
                _at++;
            }
            if (_at < _length && _text[_at] == (byte)'0')
            {
                _at++;
            }
            else
            {
                Digits();
            }
            if (_at < _length && _text[_at] == (byte)'.')
            {
                _at++;
                Digits();
            }
            if (_at < _length && (_text[_at] == (byte)'e' || _text[_at] == (byte)'E'))
            {
                _at++;
                if (_at < _length && (_text[_at] == (byte)'+' || _text[_at] == (byte)'-'))
                {
                    _at++;
                }
                Digits();
            }
            End[node] = _at;
            return node;
        }

        private void Digits()
        {
            int first = _at;
            while (_at < _length && _text[_at] >= (byte)'0' && _text[_at] <= (byte)'9')
            {
                _at++;
            }
            if (_at == first)
            {
                throw JsonDocument.Invalid("expected a digit", _at);
            }
        }

        private int Add(JsonKind kind, int start)
        {
            if (Values == Kind.Length)
            {
                throw JsonDocument.Invalid("more than " + Kind.Length.ToString() + " values", start);
            }
            int node = Values++;
            Kind[node] = (int)kind;
            Start[node] = start;
            Next[node] = -1;
            return node;
        }

        private void SkipSpace()
        {
            while (_at < _length)
            {
                byte b = _text[_at];
                if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\n' && b != (byte)'\r')
                {
                    return;
                }
                _at++;
            }
        }
    }
}
