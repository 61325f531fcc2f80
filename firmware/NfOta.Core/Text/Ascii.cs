namespace NfOta.Text
{
    /// <summary>ASCII text to and from bytes: nanoFramework's mscorlib has no System.Text.Encoding.</summary>
    public static class Ascii
    {
        /// <summary>The bytes [offset, offset+count) as a string; -1 if any is not printable ASCII (0x20..0x7E).</summary>
        public static string Decode(byte[] bytes, int offset, int count)
        {
            var chars = new char[count];
            for (int i = 0; i < count; i++)
            {
                byte b = bytes[offset + i];
                if (b < 0x20 || b > 0x7E)
                {
                    return null;
                }
                chars[i] = (char)b;
            }
            return new string(chars);
        }

        /// <summary>A zero-terminated ASCII field of at most <paramref name="max"/> bytes (as in esp_app_desc_t).</summary>
        public static string DecodeField(byte[] bytes, int offset, int max)
        {
            int length = 0;
            while (length < max && bytes[offset + length] != 0)
            {
                length++;
            }
            var chars = new char[length];
            for (int i = 0; i < length; i++)
            {
                byte b = bytes[offset + i];
                chars[i] = b >= 0x20 && b <= 0x7E ? (char)b : '?';
            }
            return new string(chars);
        }

        /// <summary>The string's bytes; characters outside ASCII become '?'.</summary>
        public static byte[] Encode(string text)
        {
            var bytes = new byte[text.Length];
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                bytes[i] = c < 0x80 ? (byte)c : (byte)'?';
            }
            return bytes;
        }
    }
}
