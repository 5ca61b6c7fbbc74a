using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Seedance.Client.Tests.TestSupport;
using Seedance.Client.Uploads;
using Xunit;

namespace Seedance.Client.Tests
{
    public sealed class MaterialUploaderTests : IDisposable
    {
        private const string Key = "sk-live-UPLOAD-SECRET-4242";
        private const string SlotJson = "{\"uploadUrl\":\"https://storage.example.test/put/cat.png?sig=abc\",\"url\":\"https://cdn.example.test/cat.png\",\"contentType\":\"image/png\"}";

        private readonly string _folder = Path.Combine(Path.GetTempPath(), "seedance-upload-" + Guid.NewGuid().ToString("N"));
        private readonly ConcurrentQueue<string> _log = new ConcurrentQueue<string>();
        private readonly List<byte[]> _putBodies = new List<byte[]>();
        private readonly string _path;
        private readonly byte[] _bytes;

        public MaterialUploaderTests()
        {
            Directory.CreateDirectory(_folder);
            _path = Path.Combine(_folder, "cat.png");
            _bytes = MediaSignatureTests.Header("png").Concat(Enumerable.Range(0, 300_000).Select(i => (byte)(i % 251))).ToArray();
            File.WriteAllBytes(_path, _bytes);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private LocalMaterial Material => LocalMaterialInspector.Inspect(_path, MaterialKind.Image);

        /// <summary>The API and the storage host behind one fake network, so the order of all requests is recorded.</summary>
        private MaterialUploader Uploader(FakeHttpHandler handler, int attempts = 4, double requestTimeoutSeconds = 10) =>
            new SeedanceClient(
                new SeedanceClientOptions(new Uri("https://api.example.test/api/v1"), new ApiKey(Key))
                {
                    RequestTimeout = TimeSpan.FromSeconds(requestTimeoutSeconds),
                    Log = line => _log.Enqueue(line),
                    ReadRetry = new RetryPolicy { MaxAttempts = attempts, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(4) },
                },
                new HttpClient(handler),
                new HttpClient(handler)).Uploader;

        /// <summary>Answers POST /uploads with <paramref name="slot"/> and each PUT with the next of <paramref name="puts"/> (the last repeats).</summary>
        private FakeHttpHandler Service(string slot = SlotJson, params HttpStatusCode[] puts)
        {
            int put = 0;
            return new FakeHttpHandler(async (request, n, cancellationToken) =>
            {
                if (request.Method == HttpMethod.Post)
                {
                    return FakeHttpHandler.Json(HttpStatusCode.OK, slot);
                }

                lock (_putBodies)
                {
                    _putBodies.Add(request.Content!.ReadAsByteArrayAsync(cancellationToken).GetAwaiter().GetResult());
                }

                HttpStatusCode status = puts.Length == 0 ? HttpStatusCode.OK : puts[Math.Min(put++, puts.Length - 1)];
                await Task.Yield();
                return FakeHttpHandler.Json(status, status == HttpStatusCode.OK ? "{}" : "{\"message\":\"storage says no\"}");
            });
        }

        [Fact]
        public async Task AsksForASlotWithTheKey_ThenPutsTheWholeFileWithoutIt()
        {
            FakeHttpHandler handler = Service();
            Uri url = await Uploader(handler).UploadAsync(Material, null, CancellationToken.None);

            Assert.Equal(new Uri("https://cdn.example.test/cat.png"), url);
            Assert.Equal(2, handler.Requests.Count);
            RecordedRequest post = handler.Requests[0];
            Assert.Equal(HttpMethod.Post, post.Method);
            Assert.Equal("https://api.example.test/api/v1/uploads", post.Uri.AbsoluteUri);
            Assert.Equal("Bearer", post.Authorization?.Scheme);
            Assert.Equal("{\"fileName\":\"cat.png\"}", post.Body);
            Assert.Equal("application/json", post.ContentType);

            RecordedRequest put = handler.Requests[1];
            Assert.Equal(HttpMethod.Put, put.Method);
            Assert.Equal("https://storage.example.test/put/cat.png?sig=abc", put.Uri.AbsoluteUri);
            Assert.Null(put.Authorization);
            Assert.DoesNotContain("Authorization", put.HeaderNames);
            Assert.Equal("image/png", put.ContentType);
            Assert.Equal(_bytes, _putBodies.Single());
        }

        [Fact]
        public async Task AFileThatBecomesShorterWhileItIsSent_IsUploadFailed_WithoutRetrying()
        {
            FakeHttpHandler service = Service();
            LocalMaterial material = Material;
            ShortenedBeforePut network = new ShortenedBeforePut(service, _path);
            MaterialUploader uploader = new SeedanceClient(
                new SeedanceClientOptions(new Uri("https://api.example.test/api/v1"), new ApiKey(Key)), new HttpClient(network), new HttpClient(network)).Uploader;

            LocalMaterialException e = await Assert.ThrowsAsync<LocalMaterialException>(() => uploader.UploadAsync(material, null, CancellationToken.None));

            Assert.Equal(SeedanceProblem.UploadFailed, e.Problem);
            Assert.Contains("reading the file failed part way", e.Message);
            Assert.Equal(1, network.Puts);
        }

        /// <summary>Cuts the file to 1,000 bytes once the PUT has opened it, just before its body is read; counts the PUTs.</summary>
        private sealed class ShortenedBeforePut : DelegatingHandler
        {
            private readonly string _path;

            public ShortenedBeforePut(HttpMessageHandler inner, string path)
                : base(inner) => _path = path;

            public int Puts { get; private set; }

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (request.Method == HttpMethod.Put)
                {
                    Puts++;
                    using FileStream file = new FileStream(_path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
                    file.SetLength(1000);
                }

                return base.SendAsync(request, cancellationToken);
            }
        }

        [Theory]
        [InlineData(HttpStatusCode.NotFound)]
        [InlineData(HttpStatusCode.MethodNotAllowed)]
        public async Task NoUploadEndpoint_IsUploadsNotSupported_AndNothingIsPut(HttpStatusCode status)
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, n) => FakeHttpHandler.Json(status, "{\"message\":\"Not Found\"}"));
            SeedanceException e = await ProblemAssert.ThrowsAsync(SeedanceProblem.UploadsNotSupported, () => Uploader(handler).UploadAsync(Material, null, CancellationToken.None));
            Assert.Contains($"it answered {(int)status}", e.Message);
            Assert.Contains("Set-SeedanceConfiguration -Uploader", e.Message);
            Assert.Single(handler.Requests);
        }

        [Fact]
        public async Task ARefusedKey_IsTheApiError_NotAnUploadFailure()
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, n) => FakeHttpHandler.Json(HttpStatusCode.Unauthorized, "{\"message\":\"Invalid API key\"}"));
            SeedanceApiException e = await Assert.ThrowsAsync<SeedanceApiException>(() => Uploader(handler).UploadAsync(Material, null, CancellationToken.None));
            Assert.Equal("Unauthorized", e.ErrorId);
        }

        [Fact]
        public async Task TheSlotRequest_IsRetriedLikeARead()
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, n) => request.Method == HttpMethod.Post && n < 3
                ? FakeHttpHandler.Json(HttpStatusCode.ServiceUnavailable, "{\"message\":\"busy\"}")
                : FakeHttpHandler.Json(HttpStatusCode.OK, request.Method == HttpMethod.Post ? SlotJson : "{}"));
            await Uploader(handler).UploadAsync(Material, null, CancellationToken.None);
            Assert.Equal(new[] { "POST", "POST", "POST", "PUT" }, handler.Requests.Select(r => r.Method.Method).ToArray());
        }

        [Fact]
        public async Task ATransientPutFailure_SendsTheWholeFileAgainFromByteZero()
        {
            FakeHttpHandler handler = Service(SlotJson, HttpStatusCode.ServiceUnavailable, HttpStatusCode.InternalServerError, HttpStatusCode.OK);
            await Uploader(handler).UploadAsync(Material, null, CancellationToken.None);

            Assert.Equal(3, _putBodies.Count);
            Assert.All(_putBodies, body => Assert.Equal(_bytes, body));
            Assert.Equal(2, _log.Count(line => line.Contains("sending cat.png again from byte 0")));
        }

        [Fact]
        public async Task APersistentPutFailure_IsUploadFailed_AfterTheReadRetries()
        {
            FakeHttpHandler handler = Service(SlotJson, HttpStatusCode.BadGateway);
            LocalMaterialException e = await Assert.ThrowsAsync<LocalMaterialException>(() => Uploader(handler, attempts: 3).UploadAsync(Material, null, CancellationToken.None));
            Assert.Equal(SeedanceProblem.UploadFailed, e.Problem);
            Assert.Equal("UploadFailed", e.ErrorId);
            Assert.Equal(_path, e.Path);
            Assert.IsType<SeedanceApiException>(e.InnerException);
            Assert.Contains("gave up after 3 attempt(s)", e.Message);
            Assert.Equal(3, _putBodies.Count);
        }

        [Fact]
        public async Task AStorageHostThatTakesTheFileAndNeverAnswers_IsAStall_RetriedThenUploadFailed()
        {
            // The transfer's stall timer (the download's) covers the wait for the answer after the last bytes went out.
            FakeHttpHandler handler = new FakeHttpHandler(async (request, n, cancellationToken) =>
            {
                if (request.Method == HttpMethod.Post)
                {
                    return FakeHttpHandler.Json(HttpStatusCode.OK, SlotJson);
                }

                await request.Content!.ReadAsByteArrayAsync(cancellationToken);
                await Task.Delay(Timeout.Infinite, cancellationToken);
                throw new InvalidOperationException("unreachable");
            });

            LocalMaterialException e = await Assert.ThrowsAsync<LocalMaterialException>(
                () => Uploader(handler, attempts: 2, requestTimeoutSeconds: 0.3).UploadAsync(Material, null, CancellationToken.None));
            Assert.Equal(SeedanceProblem.UploadFailed, e.Problem);
            ProblemAssert.Is(SeedanceProblem.RequestTimedOut, e.InnerException);
            Assert.Contains("stalled", e.Message);
            Assert.Contains("gave up after 2 attempt(s)", e.Message);
        }

        [Theory]
        [InlineData(HttpStatusCode.Forbidden)]
        [InlineData(HttpStatusCode.BadRequest)]
        public async Task ARefusedPut_IsUploadFailed_WithoutRetrying(HttpStatusCode status)
        {
            FakeHttpHandler handler = Service(SlotJson, status);
            LocalMaterialException e = await Assert.ThrowsAsync<LocalMaterialException>(() => Uploader(handler).UploadAsync(Material, null, CancellationToken.None));
            Assert.Equal(SeedanceProblem.UploadFailed, e.Problem);
            Assert.Contains("storage says no", e.Message);
            Assert.Single(_putBodies);
        }

        [Theory]
        [InlineData("{\"url\":\"https://cdn.example.test/cat.png\"}", "'uploadUrl' is missing")]
        [InlineData("{\"uploadUrl\":\"/put/cat.png\",\"url\":\"https://cdn.example.test/cat.png\"}", "'uploadUrl' is not an absolute http(s) URL")]
        [InlineData("{\"uploadUrl\":\"file:///etc/passwd\",\"url\":\"https://cdn.example.test/cat.png\"}", "'uploadUrl' is not an absolute http(s) URL")]
        [InlineData("{\"uploadUrl\":\"https://storage.example.test/put\",\"url\":\"ftp://cdn.example.test/cat.png\"}", "'url' is not an absolute http(s) URL")]
        [InlineData("{\"uploadUrl\":\"https://storage.example.test/put\",\"url\":\"https://cdn.example.test/cat.png\",\"contentType\":\"image png\"}", "contentType that is not a media type")]
        [InlineData("[1,2,3]", "not an object")]
        public async Task AnUnusableSlot_IsUploadFailed_AndNothingIsPut(string slot, string message)
        {
            FakeHttpHandler handler = Service(slot);
            LocalMaterialException e = await Assert.ThrowsAsync<LocalMaterialException>(() => Uploader(handler).UploadAsync(Material, null, CancellationToken.None));
            Assert.Equal(SeedanceProblem.UploadFailed, e.Problem);
            Assert.IsAssignableFrom<SeedanceException>(e.InnerException);
            Assert.Contains(message, e.Message);
            Assert.Empty(_putBodies);
        }

        /// <summary>
        /// The upload answer passes the same gate as a status answer: a slot whose uploadUrl or url carries the key (in
        /// any form), or is not http(s), is refused naming the field, nothing is PUT anywhere, and the key is in no message.
        /// </summary>
        [Theory]
        [InlineData("{\"uploadUrl\":\"https://storage.example.test/put?sig=" + Key + "\",\"url\":\"https://cdn.example.test/cat.png\"}", "uploadUrl")]
        [InlineData("{\"uploadUrl\":\"https://storage.example.test/put?sig=sk%2Dlive%2DUPLOAD%2DSECRET%2D4242\",\"url\":\"https://cdn.example.test/cat.png\"}", "uploadUrl")]
        [InlineData("{\"uploadUrl\":\"javascript:" + Key + "\",\"url\":\"https://cdn.example.test/cat.png\"}", "uploadUrl")]
        [InlineData("{\"uploadUrl\":\"ftp://storage.example.test/" + Key + "\",\"url\":\"https://cdn.example.test/cat.png\"}", "uploadUrl")]
        [InlineData("{\"uploadUrl\":\"https://storage.example.test/put\",\"url\":\"https://cdn.example.test/" + Key + "/cat.png\"}", "url")]
        [InlineData("{\"uploadUrl\":\"https://user:pass@storage.example.test/put\",\"url\":\"https://cdn.example.test/cat.png\"}", "uploadUrl")]
        public async Task ASlotCarryingTheKey_OrNotAWebUrl_IsRefusedByField_AndNothingIsPut(string slot, string field)
        {
            FakeHttpHandler handler = Service(slot);
            LocalMaterialException e = await Assert.ThrowsAsync<LocalMaterialException>(() => Uploader(handler).UploadAsync(Material, null, CancellationToken.None));
            Assert.Equal(SeedanceProblem.UploadFailed, e.Problem);
            SeedanceException inner = ProblemAssert.Is(SeedanceProblem.UnsafeServiceUrl, e.InnerException);
            Assert.Contains($"answer: '{field}'", inner.Message);
            Assert.Contains($"'{field}'", e.Message);
            Assert.Empty(_putBodies);
            Assert.Single(handler.Requests);
            Assert.False(new ApiKey(Key).IsIn(e.ToString()), e.ToString());
            Assert.DoesNotContain("pass@", e.Message);
        }

        [Fact]
        public async Task TheServicesContentType_IsTheOneSent_SinceItIsSigned()
        {
            FakeHttpHandler handler = Service("{\"uploadUrl\":\"https://storage.example.test/put\",\"url\":\"https://cdn.example.test/cat.png\",\"contentType\":\"application/octet-stream\"}");
            await Uploader(handler).UploadAsync(Material, null, CancellationToken.None);
            Assert.Equal("application/octet-stream", handler.Requests[1].ContentType);
        }

        [Fact]
        public async Task WithoutAContentTypeFromTheService_TheExtensionsTypeIsSent()
        {
            FakeHttpHandler handler = Service("{\"uploadUrl\":\"https://storage.example.test/put\",\"url\":\"https://cdn.example.test/cat.png\"}");
            await Uploader(handler).UploadAsync(Material, null, CancellationToken.None);
            Assert.Equal("image/png", handler.Requests[1].ContentType);
        }

        [Fact]
        public async Task AFileThatChangedSinceItWasChecked_IsNotSent()
        {
            LocalMaterial checkedEarlier = Material;
            File.AppendAllText(_path, "more");
            FakeHttpHandler handler = Service();
            LocalMaterialException e = await Assert.ThrowsAsync<LocalMaterialException>(() => Uploader(handler).UploadAsync(checkedEarlier, null, CancellationToken.None));
            Assert.Equal(SeedanceProblem.UploadFailed, e.Problem);
            Assert.Contains("the file changed since it was checked", e.Message);
            Assert.Empty(_putBodies);
        }

        [Fact]
        public async Task Progress_CountsUpToTheFileLength()
        {
            List<DownloadProgress> reports = new List<DownloadProgress>();
            FakeHttpHandler handler = Service();
            await Uploader(handler).UploadAsync(Material, new SynchronousProgress(reports.Add), CancellationToken.None);
            DownloadProgress last = reports.Last();
            Assert.Equal(_bytes.Length, last.BytesReceived);
            Assert.Equal(_bytes.Length, last.TotalBytes);
            Assert.Equal(100, last.PercentComplete);
        }

        [Fact]
        public async Task TheKey_IsNotInTheLog()
        {
            FakeHttpHandler handler = Service(SlotJson, HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK);
            await Uploader(handler).UploadAsync(Material, null, CancellationToken.None);
            Assert.NotEmpty(_log);
            Assert.DoesNotContain(_log, line => line.Contains(Key));
        }

        private sealed class SynchronousProgress : IProgress<DownloadProgress>
        {
            private readonly Action<DownloadProgress> _report;

            public SynchronousProgress(Action<DownloadProgress> report)
            {
                _report = report;
            }

            public void Report(DownloadProgress value) => _report(value);
        }
    }
}
