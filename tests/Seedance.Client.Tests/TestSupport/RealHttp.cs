using System.Net.Http;
using System.Threading;
using Seedance.Client.Http;

namespace Seedance.Client.Tests
{
    /// <summary>A client on the module's real handlers (no redirects, no decompression, the .NET Framework settings), unpooled.</summary>
    internal static class RealHttp
    {
        public static SeedanceClient Client(SeedanceClientOptions options) =>
            new SeedanceClient(options, Unpooled(SeedanceHttp.ApiClientNameFor(options.BaseUri)), Unpooled(SeedanceHttp.DownloadClientName));

        private static HttpClient Unpooled(string clientName) => new HttpClient(SeedanceHttp.CreateHandler(clientName)) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
