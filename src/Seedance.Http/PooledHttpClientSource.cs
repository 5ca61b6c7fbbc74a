using System;
using System.Net.Http;
using System.Threading;
using Microsoft.Extensions.DependencyInjection;
using Seedance.Client.Http;

namespace Seedance.Http
{
    /// <summary>
    /// HttpClients from an IHttpClientFactory, which pools and recycles handlers so connections are reused across
    /// cmdlet calls without going stale on DNS changes. What the handlers do (no redirects with the key, no proxy for
    /// a plain-http API on this machine, no decompression of video bytes) is decided in Seedance.Client
    /// (<see cref="SeedanceHttp"/>); this class only pools.
    /// </summary>
    public sealed class PooledHttpClientSource : IHttpClientSource
    {
        private readonly IHttpClientFactory _factory;

        public PooledHttpClientSource()
        {
            ServiceCollection services = new ServiceCollection();
            foreach (string name in new[] { SeedanceHttp.ApiClientName, SeedanceHttp.LocalApiClientName, SeedanceHttp.DownloadClientName })
            {
                // Timeouts are per request (linked tokens), so a long download is not cut by a client-wide limit.
                services.AddHttpClient(name)
                    .ConfigurePrimaryHttpMessageHandler(() => SeedanceHttp.CreateHandler(name))
                    .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
            }

            _factory = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        }

        public HttpClient CreateApiClient(Uri baseUri) => _factory.CreateClient(SeedanceHttp.ApiClientNameFor(baseUri));

        public HttpClient CreateDownloadClient() => _factory.CreateClient(SeedanceHttp.DownloadClientName);
    }
}
