using System.Net.Http;

namespace Seedance.Client.Http
{
    /// <summary>Where a <see cref="SeedanceClient"/> gets its HttpClients (pooled by the module; plain ones in tests).</summary>
    public interface IHttpClientSource
    {
        HttpClient CreateApiClient();

        HttpClient CreateDownloadClient();
    }
}
