using NfOta.Text;

namespace NfOta.Model
{
    /// <summary>The fields of ESP-IDF's esp_app_desc_t that updates care about.</summary>
    public sealed class AppInfo
    {
        public const uint MagicWord = 0xABCD5432;

        public string Version { get; private set; }

        public string ProjectName { get; private set; }

        public int SecureVersion { get; private set; }

        public string IdfVersion { get; private set; }

        /// <summary>SHA-256 of the app's ELF file (32 bytes).</summary>
        public byte[] ElfSha256 { get; private set; }

        /// <summary>The description, or null when the record does not start with the esp_app_desc_t magic word.</summary>
        public static AppInfo FromRecord(byte[] record)
        {
            if ((uint)SlotInfo.ReadInt(record, 0) != MagicWord)
            {
                return null;
            }
            var elf = new byte[32];
            for (int i = 0; i < 32; i++)
            {
                elf[i] = record[144 + i];
            }
            return new AppInfo
            {
                SecureVersion = SlotInfo.ReadInt(record, 4),
                Version = Ascii.DecodeField(record, 16, 32),
                ProjectName = Ascii.DecodeField(record, 48, 32),
                IdfVersion = Ascii.DecodeField(record, 112, 32),
                ElfSha256 = elf,
            };
        }
    }
}
