using NfOta.Text;

namespace NfOta.Model
{
    /// <summary>
    /// What nf-ota writes in the last 4 KiB sector of a deploy partition after the app: which
    /// release it is, how long the app is and its SHA-256. nanoCLR's walk never reaches it as an
    /// assembly (no .pe marker). It gives an app-only release a version of its own (the firmware's
    /// esp_app_desc_t still names the firmware's), and an app deployed over USB simply has none.
    /// <code>
    /// 0   "NFOTAAP1"
    /// 8   u32 app length (little-endian)
    /// 12  SHA-256 of the app (32 bytes)
    /// 44  release version, ASCII, zero-padded (16 bytes)
    /// 60  u32 CRC-32 of bytes 0..59 (nanoFramework's CRC: polynomial 0x04C11DB7, MSB first, seed 0)
    /// </code>
    /// </summary>
    public sealed class AppRecord
    {
        public const int Length = 64;
        public const int SectorSize = 4096;
        private const string Magic = "NFOTAAP1";
        private const int VersionLength = 16;

        public int AppLength { get; private set; }

        public byte[] Sha256 { get; private set; }

        public string Version { get; private set; }

        /// <summary>Where the record sits in a deploy partition of this size: its last sector.</summary>
        public static int OffsetIn(int partitionSize)
        {
            return partitionSize - SectorSize;
        }

        public static byte[] Build(int appLength, byte[] sha256, string version)
        {
            var bytes = new byte[Length];
            for (int i = 0; i < Magic.Length; i++)
            {
                bytes[i] = (byte)Magic[i];
            }
            PutU32(bytes, 8, (uint)appLength);
            System.Array.Copy(sha256, 0, bytes, 12, 32);
            for (int i = 0; i < version.Length && i < VersionLength; i++)
            {
                bytes[44 + i] = (byte)version[i];
            }
            PutU32(bytes, 60, Crc(bytes, 60));
            return bytes;
        }

        /// <summary>The record in these bytes, or null when they hold none (erased, another layout, a bad CRC).</summary>
        public static AppRecord Parse(byte[] bytes)
        {
            if (bytes == null || bytes.Length < Length)
            {
                return null;
            }
            for (int i = 0; i < Magic.Length; i++)
            {
                if (bytes[i] != (byte)Magic[i])
                {
                    return null;
                }
            }
            if (Crc(bytes, 60) != GetU32(bytes, 60))
            {
                return null;
            }
            var sha = new byte[32];
            System.Array.Copy(bytes, 12, sha, 0, 32);
            string version = Ascii.DecodeField(bytes, 44, VersionLength);
            int length = (int)GetU32(bytes, 8);
            if (version == null || length <= 0)
            {
                return null;
            }
            return new AppRecord { AppLength = length, Sha256 = sha, Version = version };
        }

        private static uint Crc(byte[] bytes, int count)
        {
            uint crc = 0;
            for (int i = 0; i < count; i++)
            {
                crc ^= (uint)bytes[i] << 24;
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 0x80000000) != 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
                }
            }
            return crc;
        }

        private static void PutU32(byte[] bytes, int at, uint value)
        {
            bytes[at] = (byte)value;
            bytes[at + 1] = (byte)(value >> 8);
            bytes[at + 2] = (byte)(value >> 16);
            bytes[at + 3] = (byte)(value >> 24);
        }

        private static uint GetU32(byte[] bytes, int at)
        {
            return (uint)(bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24));
        }
    }
}
