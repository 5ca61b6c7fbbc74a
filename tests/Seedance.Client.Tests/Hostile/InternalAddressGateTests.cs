using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Seedance.Client.Tests.TestSupport;
using Seedance.HostileServer;
using Xunit;

namespace Seedance.Client.Tests.Hostile
{
    /// <summary>
    /// Downloads and every redirect hop must not reach this machine's own networks (loopback, private, link-local,
    /// IPv4 and IPv6, literal or by name) unless the API host is on such a network itself (the emulator on loopback).
    /// Against the hostile server on real loopback sockets: a refused URL is one the server never sees a request for.
    /// </summary>
    public sealed class InternalAddressGateTests : IDisposable
    {
        private const string Key = "sk-internal-address-0123456789";

        private readonly HostileServer.HostileServer _server = HostileServer.HostileServer.Start();
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "seedance-internal-" + Guid.NewGuid().ToString("N"));

        public InternalAddressGateTests()
        {
            Directory.CreateDirectory(_folder);
        }

        public void Dispose()
        {
            _server.Dispose();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private string Destination => Path.Combine(_folder, "task_1.mp4");

        /// <summary>A client of an API on the internet (never contacted: only its downloader is used).</summary>
        private static SeedanceClient PublicApiClient(Dictionary<string, IPAddress[]>? names = null) => Client(new Uri("https://api.seedance.example.com/api/v1"), names);

        /// <summary>A client of an API on this machine: the hostile server, as the emulator would be.</summary>
        private SeedanceClient LoopbackApiClient(Dictionary<string, IPAddress[]>? names = null) => Client(new Uri(_server.BaseUri + "/api/v1"), names);

        private static SeedanceClient Client(Uri api, Dictionary<string, IPAddress[]>? names)
        {
            SeedanceClientOptions options = new SeedanceClientOptions(api, new ApiKey(Key))
            {
                RequestTimeout = TimeSpan.FromSeconds(5),
                ReadRetry = new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) },
            };
            SeedanceClient client = RealHttp.Client(options);
            if (names is not null)
            {
                client.Downloader.AddressGate.Resolve = host => names.TryGetValue(host, out IPAddress[]? addresses)
                    ? Task.FromResult(addresses)
                    : throw new System.Net.Sockets.SocketException(11001);
            }

            return client;
        }

        private Task<long> Download(SeedanceClient client, string url) =>
            client.Downloader.DownloadAsync(new Uri(url), "the video", Destination, overwrite: false, null, CancellationToken.None);

        private static HostileRule Video(string path = "/files/task_1.mp4") => new HostileRule { Path = path, File = new HostileFile { Length = 50_000, ETag = "\"v1\"" } };

        private static HostileRule Redirect(string from, string to, int status = 302) =>
            new HostileRule { Path = from, Status = status, Headers = { ["Location"] = to }, Body = "" };

        [Fact]
        public async Task AVideoOnLoopback_WhenTheApiIsNotThere_IsRefused_NothingSent()
        {
            _server.SetRules(Video());

            SeedanceException e = await ProblemAssert.ThrowsAsync(SeedanceProblem.InternalAddressRefused, () => Download(PublicApiClient(), _server.BaseUri + "/files/task_1.mp4"));

            Assert.Contains("loopback", e.Message);
            Assert.Empty(_server.Requests);
            Assert.Empty(Directory.GetFiles(_folder));
        }

        [Fact]
        public async Task ANameThatIsThisMachine_localhost_IsRefused_WhenTheApiIsNotHere()
        {
            _server.SetRules(Video());
            string url = _server.BaseUri.Replace("127.0.0.1", "localhost") + "/files/task_1.mp4";

            await ProblemAssert.ThrowsAsync(SeedanceProblem.InternalAddressRefused, () => Download(PublicApiClient(), url));

            Assert.Empty(_server.Requests);
        }

        [Theory]
        [InlineData("http://10.1.2.3/v.mp4", "private")]
        [InlineData("http://172.16.0.9/v.mp4", "private")]
        [InlineData("http://192.168.1.1/v.mp4", "private")]
        [InlineData("http://169.254.169.254/latest/meta-data/v.mp4", "link-local")]
        [InlineData("http://100.64.0.1/v.mp4", "carrier-grade NAT")]
        [InlineData("http://0.0.0.0:8080/v.mp4", "unroutable")]
        [InlineData("http://[::1]/v.mp4", "loopback")]
        [InlineData("http://[fd00::1]/v.mp4", "private")]
        [InlineData("http://[fe80::1]/v.mp4", "link-local")]
        [InlineData("http://[::ffff:192.168.0.1]/v.mp4", "private")]
        [InlineData("http://[::ffff:127.0.0.1]/v.mp4", "loopback")]
        public async Task AnInternalAddress_IsRefusedBeforeAnythingIsSent(string url, string kind)
        {
            SeedanceException e = await ProblemAssert.ThrowsAsync(SeedanceProblem.InternalAddressRefused, () => Download(PublicApiClient(), url));

            Assert.Contains(kind, e.Message);
            Assert.Empty(Directory.GetFiles(_folder));
        }

        [Theory]
        [InlineData("cdn.internal-v4.example.com", "10.20.30.40", "private")]
        [InlineData("cdn.internal-v6.example.com", "fd12:3456::1", "private")]
        [InlineData("metadata.example.com", "169.254.169.254", "link-local")]
        [InlineData("loop.example.com", "127.0.0.2", "loopback")]
        public async Task ANameThatResolvesToAnInternalAddress_IsRefused(string host, string address, string kind)
        {
            // One public and one internal address: one internal address is enough to refuse.
            Dictionary<string, IPAddress[]> names = new Dictionary<string, IPAddress[]>
            {
                [host] = new[] { IPAddress.Parse("93.184.216.34"), IPAddress.Parse(address) },
            };

            SeedanceException e = await ProblemAssert.ThrowsAsync(SeedanceProblem.InternalAddressRefused, () => Download(PublicApiClient(names), $"http://{host}/v.mp4"));

            Assert.Contains(address, e.Message);
            Assert.Contains(kind, e.Message);
        }

        [Theory]
        [InlineData("http://169.254.169.254/latest/meta-data/", "link-local")]
        [InlineData("http://10.0.0.1/admin", "private")]
        [InlineData("http://[fd00::5]/x", "private")]
        [InlineData("http://[fe80::1]/x", "link-local")]
        public async Task ARedirectHopIntoAnotherInternalNetwork_IsRefused_EvenForTheEmulator(string location, string kind)
        {
            // The API is on loopback, so loopback downloads are the emulator's case; a private or link-local hop is not.
            _server.SetRules(Redirect("/files/task_1.mp4", location));

            SeedanceException e = await ProblemAssert.ThrowsAsync(SeedanceProblem.InternalAddressRefused, () => Download(LoopbackApiClient(), _server.BaseUri + "/files/task_1.mp4"));

            Assert.Contains(kind, e.Message);
            Assert.Contains("redirect", e.Message);
            Assert.Single(_server.Requests); // the redirect was asked once (not retried), its target never
            Assert.Empty(Directory.GetFiles(_folder));
        }

        [Fact]
        public async Task ARedirectHopToANameResolvingInternally_IsRefused()
        {
            Dictionary<string, IPAddress[]> names = new Dictionary<string, IPAddress[]> { ["files.example.com"] = new[] { IPAddress.Parse("192.168.7.7") } };
            _server.SetRules(Redirect("/files/task_1.mp4", "http://files.example.com/v.mp4", 307));

            SeedanceException e = await ProblemAssert.ThrowsAsync(SeedanceProblem.InternalAddressRefused, () => Download(LoopbackApiClient(names), _server.BaseUri + "/files/task_1.mp4"));

            Assert.Contains("192.168.7.7", e.Message);
            Assert.Single(_server.Requests);
        }

        [Fact]
        public async Task TheEmulatorCase_LoopbackVideosAndLoopbackRedirects_AreSaved()
        {
            _server.SetRules(Redirect("/files/task_1.mp4", "/files/moved.mp4", 301), Video("/files/moved.mp4"));

            long bytes = await Download(LoopbackApiClient(), _server.BaseUri + "/files/task_1.mp4");

            Assert.Equal(50_000, bytes);
            Assert.Equal(new[] { "/files/task_1.mp4", "/files/moved.mp4" }, _server.Requests.Select(r => r.Path).ToArray());
            Assert.Equal(50_000, new FileInfo(Destination).Length);
        }

        [Fact]
        public async Task ARedirectToAnotherScheme_IsRefused()
        {
            _server.SetRules(Redirect("/files/task_1.mp4", "file:///etc/passwd"));

            await ProblemAssert.ThrowsAsync(SeedanceProblem.InternalAddressRefused, () => Download(LoopbackApiClient(), _server.BaseUri + "/files/task_1.mp4"));

            Assert.Single(_server.Requests);
            Assert.Empty(Directory.GetFiles(_folder));
        }

        [Fact]
        public async Task ARedirectLoop_EndsWithAnError_NotForever()
        {
            _server.SetRules(Redirect("/files/task_1.mp4", "/files/task_1.mp4"));

            ProblemAssert.Is(SeedanceProblem.InvalidResponse, await Assert.ThrowsAsync<SeedanceException>(() => Download(LoopbackApiClient(), _server.BaseUri + "/files/task_1.mp4")));

            Assert.Equal(11, _server.Requests.Count);
        }

        [Fact]
        public async Task AnUploadSlotOnAnInternalNetwork_IsRefused_TheFileIsNotSent()
        {
            string file = Path.Combine(_folder, "cat.png");
            File.WriteAllBytes(file, Seedance.Client.Tests.MediaSignatureTests.Header("png").Concat(new byte[1000]).ToArray());
            _server.SetRules(new HostileRule
            {
                Path = "/api/v1/uploads",
                Body = "{\"uploadUrl\":\"http://169.254.169.254/put\",\"url\":\"https://files.example.com/cat.png\"}",
            });
            SeedanceClient client = LoopbackApiClient();

            Seedance.Client.Uploads.LocalMaterialException e = await Assert.ThrowsAsync<Seedance.Client.Uploads.LocalMaterialException>(() =>
                client.Uploader.UploadAsync(Seedance.Client.Uploads.LocalMaterialInspector.Inspect(file, Seedance.Client.Uploads.MaterialKind.Image), null, CancellationToken.None));

            Assert.Equal(SeedanceProblem.UploadFailed, e.Problem);
            ProblemAssert.Is(SeedanceProblem.InternalAddressRefused, e.InnerException);
            Assert.Single(_server.Requests);
        }
    }
}
