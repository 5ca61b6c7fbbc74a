using System.Net;
using System.Net.Http;

namespace Seedance.Client.Http
{
    /// <summary>
    /// What the two kinds of HTTP connection do. The pooling around them (IHttpClientFactory) lives in Seedance.Http,
    /// so this assembly, which holds every public type, needs no Microsoft.Extensions.* and can load normally.
    /// </summary>
    public static class SeedanceHttp
    {
        /// <summary>For the API host only; carries the key, so it never follows a redirect anywhere.</summary>
        public const string ApiClientName = "Seedance.Api";

        /// <summary>For output files on the storage host; never carries the key, may follow redirects.</summary>
        public const string DownloadClientName = "Seedance.Download";

        /// <summary>A redirect could move the Authorization header to another host; the API never needs one.</summary>
        public static HttpMessageHandler CreateApiHandler() => new HttpClientHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
        };

        /// <summary>Video bytes are counted and resumed by offset, so they arrive exactly as stored (no decompression).</summary>
        public static HttpMessageHandler CreateDownloadHandler() => new HttpClientHandler
        {
            AllowAutoRedirect = true,
            AutomaticDecompression = DecompressionMethods.None,
        };
    }
}
