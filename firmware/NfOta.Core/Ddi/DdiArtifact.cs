namespace NfOta.Ddi
{
    /// <summary>
    /// One artifact of a deployment's chunk (hawkBit's DdiArtifact): its file name, size, SHA-256
    /// and download link. The board does not trust these for authenticity: the signed manifest
    /// and the engine's checks decide.
    /// </summary>
    public sealed class DdiArtifact
    {
        public DdiArtifact(string filename, long size, string sha256, string downloadUrl)
        {
            Filename = filename;
            Size = size;
            Sha256 = sha256;
            DownloadUrl = downloadUrl;
        }

        public string Filename { get; private set; }

        /// <summary>The size the server states, or -1.</summary>
        public long Size { get; private set; }

        /// <summary>hashes.sha256 (hex) as the server states it, or null.</summary>
        public string Sha256 { get; private set; }

        /// <summary>_links.download.href (HTTPS), else _links.download-http.href; null when neither is given.</summary>
        public string DownloadUrl { get; private set; }
    }
}
