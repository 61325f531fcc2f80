namespace NfOta.Text
{
    /// <summary>Strict decimal numbers: digits only, no sign, no spaces, no leading zeros, no overflow.</summary>
    public static class DecimalText
    {
        /// <summary>The value, or -1 when the text is not a strict number in [0, int.MaxValue].</summary>
        public static int Parse(string text)
        {
            return (int)ParseUpTo(text, int.MaxValue);
        }

        /// <summary>The value, or -1 when the text is not a strict number in [0, max] (max below 10^10).</summary>
        public static long ParseUpTo(string text, long max)
        {
            if (text == null || text.Length == 0 || text.Length > 10 || (text.Length > 1 && text[0] == '0'))
            {
                return -1;
            }
            long value = 0;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c < '0' || c > '9')
                {
                    return -1;
                }
                value = value * 10 + (c - '0');
            }
            return value > max ? -1 : value;
        }
    }
}
