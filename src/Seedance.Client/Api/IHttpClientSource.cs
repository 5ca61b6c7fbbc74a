using System;
using System.Net.Http;

namespace Seedance.Client.Http
{
    /// <summary>Where a <see cref="SeedanceClient"/> gets its HttpClients (pooled by the module; plain ones in tests).</summary>
    public interface IHttpClientSource
    {
        /// <summary>The client for the API at <paramref name="baseUri"/> (see <see cref="SeedanceHttp.ApiClientNameFor"/>).</summary>
        HttpClient CreateApiClient(Uri baseUri);

        HttpClient CreateDownloadClient();
    }
}
