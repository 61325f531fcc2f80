namespace NfOta.Model
{
    /// <summary>Chip names as manifests spell them, and the chip ids app images and GetChipId use.</summary>
    public static class Chips
    {
        private static readonly string[] Names = { "esp32", "esp32s2", "esp32s3", "esp32c2", "esp32c3", "esp32c6", "esp32h2" };
        private static readonly string[] DisplayNames = { "ESP32", "ESP32-S2", "ESP32-S3", "ESP32-C2", "ESP32-C3", "ESP32-C6", "ESP32-H2" };
        private static readonly int[] Ids = { 0, 2, 9, 12, 5, 13, 16 };

        /// <summary>The chip id for a manifest name ("esp32c3" is 5), or -1.</summary>
        public static int IdOf(string name)
        {
            for (int i = 0; i < Names.Length; i++)
            {
                if (Names[i] == name)
                {
                    return Ids[i];
                }
            }
            return -1;
        }

        /// <summary>The manifest name of a chip id, or null.</summary>
        public static string NameOf(int id)
        {
            for (int i = 0; i < Ids.Length; i++)
            {
                if (Ids[i] == id)
                {
                    return Names[i];
                }
            }
            return null;
        }

        /// <summary>"ESP32-C3 (id 5)", for messages.</summary>
        public static string Describe(int id)
        {
            for (int i = 0; i < Ids.Length; i++)
            {
                if (Ids[i] == id)
                {
                    return DisplayNames[i] + " (id " + id.ToString() + ")";
                }
            }
            return "an unknown chip (id " + id.ToString() + ")";
        }
    }
}
