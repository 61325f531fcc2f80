using NfOta.Transfer;

namespace NfOta.Ddi
{
    /// <summary>
    /// The engine's image source during a DDI deployment: a file the signed manifest names is
    /// fetched from the deployment's artifact of the same file name (the server's own, possibly
    /// authenticated, download link) when there is one, else from the manifest's URL as signed
    /// (a static host or CDN). Either way the engine checks every byte against the manifest.
    /// </summary>
    public sealed class DdiArtifactSource : IImageSource
    {
        private readonly IImageSource _inner;
        private readonly DdiDeployment _deployment;

        public DdiArtifactSource(IImageSource inner, DdiDeployment deployment)
        {
            _inner = inner;
            _deployment = deployment;
        }

        public IImageStream Open(string url, int offset)
        {
            var artifact = _deployment.Find(FileName(url));
            return _inner.Open(artifact != null && artifact.DownloadUrl != null ? artifact.DownloadUrl : url, offset);
        }

        /// <summary>The last path segment of a URL, without query or fragment.</summary>
        public static string FileName(string url)
        {
            int end = url.Length;
            int query = url.IndexOf('?');
            int fragment = url.IndexOf('#');
            if (query >= 0)
            {
                end = query;
            }
            if (fragment >= 0 && fragment < end)
            {
                end = fragment;
            }
            int slash = url.LastIndexOf('/', end - 1);
            return url.Substring(slash + 1, end - slash - 1);
        }
    }
}
