using System;
using System.Net;
using System.Net.Http;

namespace Seedance.Client.Http
{
    /// <summary>
    /// What the kinds of HTTP connection do. The pooling around them (IHttpClientFactory) lives in Seedance.Http,
    /// so this assembly, which holds every public type, needs no Microsoft.Extensions.* and can load normally.
    /// </summary>
    public static class SeedanceHttp
    {
        /// <summary>For the API host only; carries the key, so it never follows a redirect anywhere.</summary>
        public const string ApiClientName = "Seedance.Api";

        /// <summary>
        /// For an API on this machine over plain http (the emulator): like <see cref="ApiClientName"/>, but never through a
        /// proxy. HTTP_PROXY / ALL_PROXY apply to loopback too, and a plain-http request through a proxy hands it the
        /// key in clear text.
        /// </summary>
        public const string LocalApiClientName = "Seedance.Api.Local";

        /// <summary>For output files on the storage host; never carries the key. Redirects are followed by the downloader, hop by hop through its address check.</summary>
        public const string DownloadClientName = "Seedance.Download";

        /// <summary>
        /// Connections a handler opens to one host: at least the largest -ThrottleLimit of any cmdlet (64), so
        /// parallel requests are not queued behind each other (.NET Framework's default is 2; queued, a download's
        /// time would count against its stall timer).
        /// </summary>
        public const int MaxConnectionsPerServer = 64;

        /// <summary>The name of the API client for <paramref name="baseUri"/>: plain http (loopback only, by policy) bypasses every proxy.</summary>
        public static string ApiClientNameFor(Uri baseUri) => baseUri.Scheme == Uri.UriSchemeHttp ? LocalApiClientName : ApiClientName;

        /// <summary>
        /// The handler for a client name above. None follows a redirect: one could move the Authorization header to
        /// another host (the API never needs one), or lead a download into this machine's own network unchecked (the
        /// downloader follows them hop by hop). None decompresses: ResponseBody.ReadTextAsync limits an API answer's compressed and
        /// inflated size alike, and video bytes are counted and resumed by offset, so they arrive exactly as stored.
        /// </summary>
        public static HttpMessageHandler CreateHandler(string clientName) => Prepared(clientName switch
        {
            ApiClientName or DownloadClientName => new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None },
            LocalApiClientName => new HttpClientHandler { AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None, UseProxy = false },
            _ => throw new ArgumentOutOfRangeException(nameof(clientName), clientName, "Not a Seedance HTTP client name."),
        });

        /// <summary>
        /// What every handler gets: the process's TLS and connection settings on .NET Framework (once, before the first
        /// request can go out), and the per-handler connection limit where the runtime has one.
        /// </summary>
        private static HttpClientHandler Prepared(HttpClientHandler handler)
        {
            NetFrameworkNetworking.EnsureApplied();
            try
            {
                if (handler.MaxConnectionsPerServer < MaxConnectionsPerServer)
                {
                    handler.MaxConnectionsPerServer = MaxConnectionsPerServer;
                }
            }
            catch (PlatformNotSupportedException)
            {
                // A runtime whose handler has no such limit: the service point's (set above) is the one that counts.
            }

            return handler;
        }
    }
}
