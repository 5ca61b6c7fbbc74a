using System.Net.Http;
using System.Threading;
using Microsoft.Extensions.DependencyInjection;
using Seedance.Client.Http;

namespace Seedance.Http
{
    /// <summary>
    /// HttpClients from an IHttpClientFactory, which pools and recycles handlers so connections are reused across
    /// cmdlet calls without going stale on DNS changes. What the handlers do (no redirects with the key, no
    /// decompression of video bytes) is decided in Seedance.Client (<see cref="SeedanceHttp"/>); this class only pools.
    /// </summary>
    public sealed class PooledHttpClientSource : IHttpClientSource
    {
        private readonly IHttpClientFactory _factory;

        public PooledHttpClientSource()
        {
            ServiceCollection services = new ServiceCollection();
            services.AddHttpClient(SeedanceHttp.ApiClientName)
                .ConfigurePrimaryHttpMessageHandler(SeedanceHttp.CreateApiHandler)
                .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);
            services.AddHttpClient(SeedanceHttp.DownloadClientName)
                .ConfigurePrimaryHttpMessageHandler(SeedanceHttp.CreateDownloadHandler)
                .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);

            // Timeouts are per request (linked tokens), so a long download is not cut by a client-wide limit.
            _factory = services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>();
        }

        public HttpClient CreateApiClient() => _factory.CreateClient(SeedanceHttp.ApiClientName);

        public HttpClient CreateDownloadClient() => _factory.CreateClient(SeedanceHttp.DownloadClientName);
    }
}
