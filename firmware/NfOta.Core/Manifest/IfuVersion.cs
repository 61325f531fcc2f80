using NfOta.Text;

namespace NfOta.Manifest
{
    /// <summary>
    /// An MCUboot image version as imgtool prints it, <c>major.minor.revision+build</c> (a byte, a
    /// byte, 16 and 32 bits): the ifu-version of a format 3 manifest and each ifu-dependencies entry.
    /// </summary>
    public sealed class IfuVersion
    {
        private IfuVersion()
        {
        }

        public int Major { get; private set; }

        public int Minor { get; private set; }

        public int Revision { get; private set; }

        public uint Build { get; private set; }

        /// <summary>The text as the manifest has it.</summary>
        public string Text { get; private set; }

        /// <summary>The version, or null unless the text is exactly major.minor.revision+build, strict decimals within MCUboot's widths.</summary>
        public static IfuVersion TryParse(string text)
        {
            if (text == null)
            {
                return null;
            }
            int plus = text.IndexOf('+');
            if (plus < 0)
            {
                return null;
            }
            string[] parts = text.Substring(0, plus).Split('.');
            if (parts.Length != 3)
            {
                return null;
            }
            int major = DecimalText.Parse(parts[0]);
            int minor = DecimalText.Parse(parts[1]);
            int revision = DecimalText.Parse(parts[2]);
            long build = DecimalText.ParseUpTo(text.Substring(plus + 1), 0xFFFFFFFFL);
            if (major < 0 || major > 255 || minor < 0 || minor > 255 || revision < 0 || revision > 65535 || build < 0)
            {
                return null;
            }
            return new IfuVersion { Major = major, Minor = minor, Revision = revision, Build = (uint)build, Text = text };
        }

        public override string ToString()
        {
            return Text;
        }
    }

    /// <summary>One ifu-dependencies entry: the image (0 nanoCLR, 1 deployment) and the oldest version of it the package runs with.</summary>
    public sealed class IfuDependency
    {
        public IfuDependency(int imageId, IfuVersion minVersion)
        {
            ImageId = imageId;
            MinVersion = minVersion;
        }

        public int ImageId { get; private set; }

        public IfuVersion MinVersion { get; private set; }

        /// <summary>"image:version" entries joined by commas, or null when one is malformed (an image id is 0 to 255).</summary>
        public static IfuDependency[] ParseList(string text)
        {
            string[] entries = text.Split(',');
            var list = new IfuDependency[entries.Length];
            for (int i = 0; i < entries.Length; i++)
            {
                int colon = entries[i].IndexOf(':');
                if (colon <= 0)
                {
                    return null;
                }
                int id = DecimalText.Parse(entries[i].Substring(0, colon));
                IfuVersion version = IfuVersion.TryParse(entries[i].Substring(colon + 1));
                if (id < 0 || id > 255 || version == null)
                {
                    return null;
                }
                list[i] = new IfuDependency(id, version);
            }
            return list;
        }

        public override string ToString()
        {
            return ImageId.ToString() + ":" + MinVersion.Text;
        }
    }
}
