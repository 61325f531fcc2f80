namespace NfOta.Text
{
    /// <summary>Lower-case hexadecimal, as manifests carry digests and signatures.</summary>
    public static class Hex
    {
        private const string Digits = "0123456789abcdef";

        public static string Encode(byte[] bytes)
        {
            var chars = new char[bytes.Length * 2];
            for (int i = 0; i < bytes.Length; i++)
            {
                chars[2 * i] = Digits[bytes[i] >> 4];
                chars[2 * i + 1] = Digits[bytes[i] & 0xF];
            }
            return new string(chars);
        }

        /// <summary>Exactly <paramref name="length"/> bytes from 2×length hex digits (either case); null otherwise.</summary>
        public static byte[] Decode(string text, int length)
        {
            if (text == null || text.Length != length * 2)
            {
                return null;
            }
            var bytes = new byte[length];
            for (int i = 0; i < length; i++)
            {
                int high = Digit(text[2 * i]);
                int low = Digit(text[2 * i + 1]);
                if (high < 0 || low < 0)
                {
                    return null;
                }
                bytes[i] = (byte)((high << 4) | low);
            }
            return bytes;
        }

        /// <summary>"0x" and eight upper-case digits, for esp_err_t values in messages.</summary>
        public static string Word(int value)
        {
            var chars = new char[10];
            chars[0] = '0';
            chars[1] = 'x';
            uint v = (uint)value;
            for (int i = 9; i >= 2; i--)
            {
                chars[i] = "0123456789ABCDEF"[(int)(v & 0xF)];
                v >>= 4;
            }
            return new string(chars);
        }

        private static int Digit(char c)
        {
            if (c >= '0' && c <= '9') return c - '0';
            if (c >= 'a' && c <= 'f') return c - 'a' + 10;
            if (c >= 'A' && c <= 'F') return c - 'A' + 10;
            return -1;
        }
    }
}
