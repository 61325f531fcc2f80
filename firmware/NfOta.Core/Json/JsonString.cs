namespace NfOta.Json
{
    /// <summary>
    /// JSON strings in UTF-8 bytes: <see cref="Scan"/> checks one (escapes, control characters,
    /// well-formed UTF-8) without allocating, <see cref="Decode"/> turns a checked one into a string.
    /// Written by hand: nanoFramework's mscorlib has no System.Text.Encoding.
    /// </summary>
    internal static class JsonString
    {
        /// <summary>Check the string whose first byte after the opening quote is at <paramref name="at"/>; returns the index after its closing quote.</summary>
        internal static int Scan(byte[] text, int at, int length)
        {
            while (at < length)
            {
                byte b = text[at];
                if (b == (byte)'"')
                {
                    return at + 1;
                }
                if (b < 0x20)
                {
                    throw JsonDocument.Invalid("a control character inside a string", at);
                }
                if (b == (byte)'\\')
                {
                    at = ScanEscape(text, at + 1, length);
                }
                else
                {
                    at += b < 0x80 ? 1 : Utf8Length(text, at, length);
                }
            }
            throw JsonDocument.Invalid("a string is not closed", at);
        }

        private static int ScanEscape(byte[] text, int at, int length)
        {
            if (at >= length)
            {
                throw JsonDocument.Invalid("a string ends inside an escape", at);
            }
            switch (text[at])
            {
                case (byte)'"':
                case (byte)'\\':
                case (byte)'/':
                case (byte)'b':
                case (byte)'f':
                case (byte)'n':
                case (byte)'r':
                case (byte)'t':
                    return at + 1;
                case (byte)'u':
                    if (at + 4 >= length)
                    {
                        throw JsonDocument.Invalid("a string ends inside a \\u escape", at);
                    }
                    for (int i = 1; i <= 4; i++)
                    {
                        if (HexValue(text[at + i]) < 0)
                        {
                            throw JsonDocument.Invalid("\\u needs four hex digits", at + i);
                        }
                    }
                    return at + 5;
            }
            throw JsonDocument.Invalid("an unknown escape \\" + (char)text[at], at);
        }

        /// <summary>The length of the well-formed UTF-8 sequence at <paramref name="at"/> (no overlongs, no surrogates, at most U+10FFFF).</summary>
        private static int Utf8Length(byte[] text, int at, int length)
        {
            byte b = text[at];
            int count = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
            if (count == 0 || at + count > length)
            {
                throw JsonDocument.Invalid("a string is not well-formed UTF-8", at);
            }
            for (int i = 1; i < count; i++)
            {
                if ((text[at + i] & 0xC0) != 0x80)
                {
                    throw JsonDocument.Invalid("a string is not well-formed UTF-8", at + i);
                }
            }
            byte second = text[at + 1];
            bool bad = (b == 0xE0 && second < 0xA0) || (b == 0xED && second > 0x9F) || (b == 0xF0 && second < 0x90) || (b == 0xF4 && second > 0x8F);
            if (bad)
            {
                throw JsonDocument.Invalid("a string is not well-formed UTF-8 (overlong, surrogate or past U+10FFFF)", at);
            }
            return count;
        }

        /// <summary>The string between <paramref name="start"/> (its opening quote) and <paramref name="end"/> (after its closing quote), already checked by <see cref="Scan"/>.</summary>
        internal static string Decode(byte[] text, int start, int end)
        {
            var chars = new char[end - start - 2];
            int n = 0;
            int at = start + 1;
            while (at < end - 1)
            {
                byte b = text[at];
                if (b == (byte)'\\')
                {
                    at = DecodeEscape(text, at + 1, chars, ref n);
                }
                else if (b < 0x80)
                {
                    chars[n++] = (char)b;
                    at++;
                }
                else
                {
                    at = DecodeUtf8(text, at, chars, ref n);
                }
            }
            return new string(chars, 0, n);
        }

        private static int DecodeEscape(byte[] text, int at, char[] chars, ref int n)
        {
            byte e = text[at];
            switch (e)
            {
                case (byte)'b': chars[n++] = '\b'; return at + 1;
                case (byte)'f': chars[n++] = '\f'; return at + 1;
                case (byte)'n': chars[n++] = '\n'; return at + 1;
                case (byte)'r': chars[n++] = '\r'; return at + 1;
                case (byte)'t': chars[n++] = '\t'; return at + 1;
                case (byte)'u':
                    int value = 0;
                    for (int i = 1; i <= 4; i++)
                    {
                        value = (value << 4) | HexValue(text[at + i]);
                    }
                    // A surrogate pair arrives as two escapes, one UTF-16 unit each: kept as they are.
                    chars[n++] = (char)value;
                    return at + 5;
                default: chars[n++] = (char)e; return at + 1;
            }
        }

        private static int DecodeUtf8(byte[] text, int at, char[] chars, ref int n)
        {
            byte b = text[at];
            int count = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
            int value = b & (count == 2 ? 0x1F : count == 3 ? 0x0F : 0x07);
            for (int i = 1; i < count; i++)
            {
                value = (value << 6) | (text[at + i] & 0x3F);
            }
            if (value >= 0x10000)
            {
                value -= 0x10000;
                chars[n++] = (char)(0xD800 + (value >> 10));
                chars[n++] = (char)(0xDC00 + (value & 0x3FF));
            }
            else
            {
                chars[n++] = (char)value;
            }
            return at + count;
        }

        internal static int HexValue(byte b)
        {
            if (b >= (byte)'0' && b <= (byte)'9')
            {
                return b - '0';
            }
            if (b >= (byte)'a' && b <= (byte)'f')
            {
                return b - 'a' + 10;
            }
            if (b >= (byte)'A' && b <= (byte)'F')
            {
                return b - 'A' + 10;
            }
            return -1;
        }
    }
}
