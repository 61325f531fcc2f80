using NfOta.Text;

namespace NfOta.Model
{
    /// <summary>
    /// A firmware version as esp_app_desc_t.version and manifests carry it: two to four dot-separated
    /// numbers ("2.1", "2.1.0", "2.1.0.7"); missing parts count as 0 when comparing.
    /// </summary>
    public sealed class FirmwareVersion
    {
        private readonly int[] _parts;

        private FirmwareVersion(int[] parts, string text)
        {
            _parts = parts;
            Text = text;
        }

        public string Text { get; private set; }

        /// <summary>The version, or null if the text is not 2 to 4 strict decimal numbers joined by dots.</summary>
        public static FirmwareVersion TryParse(string text)
        {
            if (text == null)
            {
                return null;
            }
            string[] pieces = text.Split('.');
            if (pieces.Length < 2 || pieces.Length > 4)
            {
                return null;
            }
            var parts = new int[4];
            for (int i = 0; i < pieces.Length; i++)
            {
                int value = DecimalText.Parse(pieces[i]);
                if (value < 0)
                {
                    return null;
                }
                parts[i] = value;
            }
            return new FirmwareVersion(parts, text);
        }

        /// <summary>Negative, zero or positive as this version is older than, equal to or newer than the other.</summary>
        public int CompareTo(FirmwareVersion other)
        {
            for (int i = 0; i < 4; i++)
            {
                if (_parts[i] != other._parts[i])
                {
                    return _parts[i] < other._parts[i] ? -1 : 1;
                }
            }
            return 0;
        }

        public override string ToString()
        {
            return Text;
        }
    }
}
