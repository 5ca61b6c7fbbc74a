using System;
using System.Net;
using System.Net.Http;
using System.Threading;
using Microsoft.Extensions.DependencyInjection;

namespace Seedance.Client.Http
{
    /// <summary>
    /// The one place HttpClients come from: an IHttpClientFactory built once per process, which pools and
    /// recycles handlers so connections are reused across cmdlet calls without going stale on DNS changes.
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

        /// <summary>For output files on the storage host; never carries the key, may follow redirects.</summary>
        public const string DownloadClientName = "Seedance.Download";

        private static readonly Lazy<IHttpClientFactory> Factory = new Lazy<IHttpClientFactory>(BuildFactory, LazyThreadSafetyMode.ExecutionAndPublication);

        public static HttpClient CreateApiClient() => Factory.Value.CreateClient(ApiClientName);

        /// <summary>The API client for <paramref name="baseUri"/>: plain http (loopback only, by policy) bypasses every proxy.</summary>
        public static HttpClient CreateApiClient(Uri baseUri) =>
            Factory.Value.CreateClient(baseUri.Scheme == Uri.UriSchemeHttp ? LocalApiClientName : ApiClientName);

        public static HttpClient CreateDownloadClient() => Factory.Value.CreateClient(DownloadClientName);

        private static IHttpClientFactory BuildFactory()
        {
            ServiceCollection services = new ServiceCollection();
            // A redirect could move the Authorization header to another host; the API never needs one. Decompression is
            // done by BoundedContent, which limits the compressed and the inflated size alike.
            services.AddHttpClient(ApiClientName)
                .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler
                {
                    AllowAutoRedirect = false,
                    AutomaticDecompression = DecompressionMethods.None,
                })
                .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
            services.AddHttpClient(LocalApiClientName)
                .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler
                {
                    AllowAutoRedirect = false,
                    AutomaticDecompression = DecompressionMethods.None,
                    UseProxy = false,
                })
                .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
            services.AddHttpClient(DownloadClientName)
                .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler
                {
                    AllowAutoRedirect = true,
                    AutomaticDecompression = DecompressionMethods.None,
                })
                .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);

            // Timeouts are per request (linked tokens), so a long download is not cut by a client-wide limit.
            return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        }
    }
}
