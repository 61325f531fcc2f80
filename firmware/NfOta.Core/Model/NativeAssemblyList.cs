using NfOta.Text;

namespace NfOta.Model
{
    /// <summary>
    /// Native assemblies by name and native checksum: what a firmware provides (nanoCLR's interop
    /// table) or what a managed app needs from it (each assembly with native methods). An app
    /// binds to a firmware only when every assembly it needs is there with the same checksum.
    /// </summary>
    public sealed class NativeAssemblyList
    {
        private readonly string[] _names;
        private readonly uint[] _checksums;

        public NativeAssemblyList(string[] names, uint[] checksums)
        {
            _names = names;
            _checksums = checksums;
        }

        public int Count { get { return _names.Length; } }

        public string NameAt(int index) { return _names[index]; }

        public uint ChecksumAt(int index) { return _checksums[index]; }

        /// <summary>The index of the entry with this name, or -1.</summary>
        public int IndexOf(string name)
        {
            for (int i = 0; i < _names.Length; i++)
            {
                if (_names[i] == name)
                {
                    return i;
                }
            }
            return -1;
        }

        /// <summary>
        /// Why an app needing <paramref name="needs"/> would not bind to a firmware providing this
        /// list, or null when it binds.
        /// </summary>
        public string Mismatch(NativeAssemblyList needs)
        {
            for (int i = 0; i < needs.Count; i++)
            {
                int at = IndexOf(needs.NameAt(i));
                if (at < 0)
                {
                    return "the app needs native " + needs.NameAt(i) + " " + Hex.Word((int)needs.ChecksumAt(i)) + " but the firmware has no native " + needs.NameAt(i);
                }
                if (_checksums[at] != needs.ChecksumAt(i))
                {
                    return "the app needs native " + needs.NameAt(i) + " " + Hex.Word((int)needs.ChecksumAt(i)) + " but the firmware's is " + Hex.Word((int)_checksums[at]);
                }
            }
            return null;
        }

        /// <summary>"Name:XXXXXXXX,Name:XXXXXXXX", the manifest form (names as <see cref="IsValidName"/> allows); null for text that is not.</summary>
        public static NativeAssemblyList Parse(string text)
        {
            if (text == null)
            {
                return null;
            }
            if (text.Length == 0)
            {
                return new NativeAssemblyList(new string[0], new uint[0]);
            }
            string[] items = text.Split(',');
            var names = new string[items.Length];
            var checksums = new uint[items.Length];
            for (int i = 0; i < items.Length; i++)
            {
                int colon = items[i].IndexOf(':');
                if (colon <= 0)
                {
                    return null;
                }
                byte[] checksum = Hex.Decode(items[i].Substring(colon + 1), 4);
                string name = items[i].Substring(0, colon);
                if (checksum == null || !IsValidName(name))
                {
                    return null;
                }
                names[i] = name;
                checksums[i] = (uint)((checksum[0] << 24) | (checksum[1] << 16) | (checksum[2] << 8) | checksum[3]);
            }
            return new NativeAssemblyList(names, checksums);
        }

        /// <summary>
        /// Whether a native assembly name may appear in a manifest: letters, digits, '.', '_' and '-'
        /// (every nanoFramework assembly name fits). Anything else, a ',' or ':' above all, could
        /// make one list read as another.
        /// </summary>
        public static bool IsValidName(string name)
        {
            if (name == null || name.Length == 0)
            {
                return false;
            }
            for (int i = 0; i < name.Length; i++)
            {
                char c = name[i];
                bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
                if (!ok)
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>The manifest form (see <see cref="Parse"/>).</summary>
        public string Format()
        {
            string text = "";
            for (int i = 0; i < _names.Length; i++)
            {
                text += (i == 0 ? "" : ",") + _names[i] + ":" + Hex.Word((int)_checksums[i]).Substring(2);
            }
            return text;
        }

        /// <summary>NativeOta.GetNativeAssemblies' record: per entry u32 checksum (LE), u8 name length, name.</summary>
        public static NativeAssemblyList FromRecord(byte[] record, int length)
        {
            int count = 0;
            for (int at = 0; at + 5 <= length; at += 5 + record[at + 4])
            {
                count++;
            }
            var names = new string[count];
            var checksums = new uint[count];
            int position = 0;
            for (int i = 0; i < count; i++)
            {
                checksums[i] = (uint)(record[position] | (record[position + 1] << 8) | (record[position + 2] << 16) | (record[position + 3] << 24));
                int nameLength = record[position + 4];
                if (position + 5 + nameLength > length)
                {
                    throw new OtaException(OtaError.NativeError, "the firmware's native assembly table is cut inside entry " + (i + 1).ToString());
                }
                names[i] = Ascii.Decode(record, position + 5, nameLength);
                position += 5 + nameLength;
            }
            return new NativeAssemblyList(names, checksums);
        }
    }
}
