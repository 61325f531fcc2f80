namespace NfOta.Text
{
    /// <summary>SHA-256 digests (32 bytes) as the engine compares them.</summary>
    public static class Digest
    {
        public const int Length = 32;

        /// <summary>Whether <paramref name="digest"/> equals the 32 bytes of <paramref name="expected"/> at <paramref name="offset"/>.</summary>
        public static bool Matches(byte[] digest, byte[] expected, int offset)
        {
            for (int i = 0; i < Length; i++)
            {
                if (digest[i] != expected[offset + i])
                {
                    return false;
                }
            }
            return true;
        }
    }
}
