using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Seedance.Client.Tests.TestSupport;
using Xunit;

namespace Seedance.Client.Tests
{
    public sealed class VideoDownloaderTests : IDisposable
    {
        private const string Key = "sk-live-DOWNLOAD-SECRET-991";
        private static readonly Uri Source = new Uri("https://static.example.test/videos/task_1/output.mp4");

        private readonly string _folder = Path.Combine(Path.GetTempPath(), "seedance-dl-" + Guid.NewGuid().ToString("N"));
        private readonly byte[] _video;

        public VideoDownloaderTests()
        {
            Directory.CreateDirectory(_folder);
            _video = new byte[300_000];
            new Random(1234).NextBytes(_video);
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

        private string Destination => Path.Combine(_folder, "output.mp4");

        private string[] FilesInFolder() => Directory.GetFiles(_folder).Select(Path.GetFileName).Select(n => n!).OrderBy(n => n, StringComparer.Ordinal).ToArray();

        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new System.Collections.Concurrent.ConcurrentQueue<string>();

        private SeedanceClientOptions Options(int attempts = 4, TimeSpan? requestTimeout = null) =>
            new SeedanceClientOptions(new Uri("https://api.example.test/api/v1"), new ApiKey(Key))
            {
                RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10),
                Log = line => _log.Enqueue(line),
                ReadRetry = new RetryPolicy
                {
                    MaxAttempts = attempts,
                    BaseDelay = TimeSpan.FromMilliseconds(1),
                    MaxDelay = TimeSpan.FromMilliseconds(4),
                    MaxTotalTime = TimeSpan.FromSeconds(30),
                },
            };

        /// <summary>Through the whole client, so the test also proves the API key does not leak onto downloads.</summary>
        private VideoDownloader Downloader(FakeHttpHandler handler, int attempts = 4, TimeSpan? requestTimeout = null) =>
            new SeedanceClient(Options(attempts, requestTimeout), new HttpClient(handler), new HttpClient(handler)).Downloader;

        private string[] Resumes() => _log.Where(line => line.StartsWith("download: ", StringComparison.Ordinal) && line.Contains("resuming at byte")).ToArray();

        /// <summary>
        /// Serves <paramref name="data"/> honouring a Range request with a 206, the way a storage host does, with a strong
        /// ETag (without a validator the downloader does not resume: it starts over).
        /// </summary>
        private static HttpResponseMessage Serve(HttpRequestMessage request, byte[] data, Func<byte[], long, Stream>? body = null, long? claimedLength = null)
        {
            long from = request.Headers.Range?.Ranges.Single().From ?? 0;
            byte[] slice = data.Skip((int)from).ToArray();
            HttpResponseMessage response = new HttpResponseMessage(from > 0 ? HttpStatusCode.PartialContent : HttpStatusCode.OK)
            {
                Content = new StreamContent(body is null ? new MemoryStream(slice) : body(data, from)),
            };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            response.Content.Headers.ContentLength = claimedLength ?? slice.Length;
            response.Headers.ETag = new EntityTagHeaderValue("\"video-v1\"");
            if (from > 0)
            {
                response.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, data.Length - 1, data.Length);
            }

            return response;
        }

        [Fact]
        public async Task Peek_GivesTheLengthValidatorsAndStart_AsksOnlyForTheStart_AndWritesNothing()
        {
            DateTimeOffset modified = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
            FakeHttpHandler handler = new FakeHttpHandler((request, _) =>
            {
                RangeItemHeaderValue range = request.Headers.Range!.Ranges.Single();
                HttpResponseMessage response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(_video.Take((int)range.To!.Value + 1).ToArray()) };
                response.Content.Headers.ContentRange = new ContentRangeHeaderValue(0, range.To.Value, _video.Length);
                response.Content.Headers.LastModified = modified;
                response.Headers.ETag = new EntityTagHeaderValue("\"video-v1\"");
                return response;
            });

            ServedObject served = await Downloader(handler).PeekAsync(Source, "the video", 1000, CancellationToken.None);

            Assert.Equal(_video.Length, served.Length);
            Assert.Equal(_video.Take(1000).ToArray(), served.Start);
            Assert.Equal("\"video-v1\"", served.ETag);
            Assert.Equal(modified, served.LastModified);
            RecordedRequest sent = Assert.Single(handler.Requests);
            Assert.Null(sent.Authorization);
            Assert.Equal(999, sent.Range!.Ranges.Single().To);
            Assert.Empty(FilesInFolder());
        }

        [Fact]
        public async Task Peek_AServerThatIgnoresTheRange_IsReadOnlyAsFarAsTheStart()
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, _) => Serve(request, _video));

            ServedObject served = await Downloader(handler).PeekAsync(Source, "the video", 1000, CancellationToken.None);

            Assert.Equal(_video.Length, served.Length);
            Assert.Equal(_video.Take(1000).ToArray(), served.Start);
        }

        [Fact]
        public async Task Peek_ALengthNoVideoHas_IsRefusedLikeADownloadsLength_AndNotAskedAgain()
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, _) =>
            {
                HttpResponseMessage response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(new byte[10]) };
                response.Content.Headers.ContentRange = new ContentRangeHeaderValue(0, 9, 50L * 1024 * 1024 * 1024);
                return response;
            });

            SeedanceException refused = ProblemAssert.Is(SeedanceProblem.InvalidResponse, await Assert.ThrowsAsync<SeedanceException>(() => Downloader(handler).PeekAsync(Source, "the video", 1000, CancellationToken.None)));

            Assert.Contains("more than any video", refused.Message);
            Assert.Equal(1, handler.Count);
        }

        [Fact]
        public async Task Peek_AnAnswerThatIsNotTheFirstBytes_IsRefused_AndNotAskedAgain()
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, _) =>
            {
                HttpResponseMessage response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(_video.Skip(500).Take(1000).ToArray()) };
                response.Content.Headers.ContentRange = new ContentRangeHeaderValue(500, 1499, _video.Length);
                return response;
            });

            SeedanceException refused = ProblemAssert.Is(SeedanceProblem.InvalidResponse, await Assert.ThrowsAsync<SeedanceException>(() => Downloader(handler).PeekAsync(Source, "the video", 1000, CancellationToken.None)));

            Assert.Contains("first bytes", refused.Message);
            Assert.Equal(1, handler.Count);
        }

        [Fact]
        public async Task Download_SendsNoAuthorization_AndLeavesOnlyTheFinalFile()
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, _) => Serve(request, _video));
            List<DownloadProgress> progress = new List<DownloadProgress>();

            long written = await Downloader(handler).DownloadAsync(Source, "the video", Destination, overwrite: false, new SyncProgress(progress), CancellationToken.None);

            Assert.Equal(_video.Length, written);
            Assert.Equal(_video, File.ReadAllBytes(Destination));
            Assert.Equal(new[] { "output.mp4" }, FilesInFolder());
            RecordedRequest request = Assert.Single(handler.Requests);
            Assert.Equal(Source, request.Uri);
            Assert.Null(request.Authorization);
            Assert.DoesNotContain("Authorization", request.HeaderNames);
            Assert.Null(request.Range);
            Assert.NotEmpty(progress);
            Assert.Equal(_video.Length, progress.Last().BytesReceived);
            Assert.Equal(_video.Length, progress.Last().TotalBytes);
            Assert.Equal(100, progress.Last().PercentComplete);
        }

        [Fact]
        public async Task BodyShorterThanContentLength_IsResumedWithRange()
        {
            const int cut = 100_000;
            FakeHttpHandler handler = new FakeHttpHandler((request, n) => n == 1
                ? Serve(request, _video, (data, _) => new MemoryStream(data, 0, cut), claimedLength: _video.Length)
                : Serve(request, _video));

            long written = await Downloader(handler).DownloadAsync(Source, "the video", Destination, false, null, CancellationToken.None);

            Assert.Equal(_video.Length, written);
            Assert.Equal(_video, File.ReadAllBytes(Destination));
            Assert.Equal(2, handler.Count);
            RangeItemHeaderValue range = Assert.Single(handler.Requests[1].Range!.Ranges);
            Assert.Equal(cut, range.From);
            Assert.Null(range.To);
            Assert.Equal("bytes", handler.Requests[1].Range!.Unit);
            Assert.All(handler.Requests, r => Assert.Null(r.Authorization));
            Assert.Equal(new[] { "output.mp4" }, FilesInFolder());
        }

        [Fact]
        public async Task StreamFailingMidway_IsResumedWithRange_ByteIdentical()
        {
            const int failAfter = 123_457;
            FakeHttpHandler handler = new FakeHttpHandler((request, n) => n == 1
                ? Serve(request, _video, (data, _) => new FailingStream(data, failAfter))
                : Serve(request, _video));

            long written = await Downloader(handler).DownloadAsync(Source, "the video", Destination, false, null, CancellationToken.None);

            Assert.Equal(_video.Length, written);
            Assert.Equal(_video, File.ReadAllBytes(Destination));
            Assert.Equal(2, handler.Count);
            Assert.Equal(failAfter, Assert.Single(handler.Requests[1].Range!.Ranges).From);
            Assert.Equal(new[] { "output.mp4" }, FilesInFolder());
        }

        [Fact]
        public async Task SeveralCuts_ResumeEachTimeFromWhereTheyStopped()
        {
            int[] cuts = { 50_000, 170_001, 299_999 };
            FakeHttpHandler handler = new FakeHttpHandler((request, n) => n <= cuts.Length
                ? Serve(request, _video, (data, from) => new FailingStream(data, cuts[n - 1], (int)from))
                : Serve(request, _video));

            await Downloader(handler, attempts: 5).DownloadAsync(Source, "the video", Destination, false, null, CancellationToken.None);

            Assert.Equal(_video, File.ReadAllBytes(Destination));
            Assert.Equal(new long?[] { null, 50_000, 170_001, 299_999 }, handler.Requests.Select(r => r.Range?.Ranges.Single().From).ToArray());
        }

        [Fact]
        public async Task ServerIgnoringRange_RestartsFromZero_ByteIdentical()
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, n) =>
            {
                if (n == 1)
                {
                    return Serve(request, _video, (data, _) => new FailingStream(data, 90_000));
                }

                // A server without range support: the whole file again with 200.
                HttpResponseMessage whole = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(_video) };
                whole.Content.Headers.ContentLength = _video.Length;
                return whole;
            });

            long written = await Downloader(handler).DownloadAsync(Source, "the video", Destination, false, null, CancellationToken.None);

            Assert.Equal(_video.Length, written);
            Assert.Equal(_video, File.ReadAllBytes(Destination));
            Assert.NotNull(handler.Requests[1].Range);
        }

        [Fact]
        public async Task TransientStatus_IsRetried()
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, n) => n == 1
                ? FakeHttpHandler.Text(HttpStatusCode.ServiceUnavailable, "busy")
                : Serve(request, _video));

            await Downloader(handler).DownloadAsync(Source, "the video", Destination, false, null, CancellationToken.None);

            Assert.Equal(_video, File.ReadAllBytes(Destination));
            Assert.Equal(2, handler.Count);
        }

        [Fact]
        public async Task ExhaustedRetries_LeaveNoFileAtAll()
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, _) =>
                Serve(request, _video, (data, from) => new FailingStream(data, (int)from + 10_000, (int)from)));

            ProblemAssert.Is(SeedanceProblem.ConnectionFailed, await Assert.ThrowsAsync<SeedanceException>(
                () => Downloader(handler, attempts: 3).DownloadAsync(Source, "the video", Destination, false, null, CancellationToken.None)));

            Assert.Equal(3, handler.Count);
            Assert.False(File.Exists(Destination));
            Assert.Empty(FilesInFolder());
        }

        [Fact]
        public async Task TruncatedEveryTime_LeavesNoFileAtAll()
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, n) => n == 1
                ? Serve(request, _video, (data, _) => new MemoryStream(data, 0, 1000), claimedLength: _video.Length)
                : Serve(request, _video, (data, from) => new MemoryStream(Array.Empty<byte>()), claimedLength: _video.Length - 1000));

            ProblemAssert.Is(SeedanceProblem.ConnectionFailed, await Assert.ThrowsAsync<SeedanceException>(
                () => Downloader(handler, attempts: 3).DownloadAsync(Source, "the video", Destination, false, null, CancellationToken.None)));

            Assert.Empty(FilesInFolder());
        }

        [Fact]
        public async Task NotFound_IsNotRetried_AndLeavesNoFile()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => FakeHttpHandler.Text(HttpStatusCode.NotFound, "<Error>NoSuchKey</Error>"));

            SeedanceApiException e = await Assert.ThrowsAsync<SeedanceApiException>(
                () => Downloader(handler).DownloadAsync(Source, "the video", Destination, false, null, CancellationToken.None));

            Assert.Equal("VideoNotFound", e.ErrorId);
            Assert.Equal("download", e.Operation);
            Assert.Equal(1, handler.Count);
            Assert.Empty(FilesInFolder());
        }

        [Fact]
        public async Task ExistingDestination_WithoutOverwrite_ThrowsAndKeepsTheFile()
        {
            byte[] old = { 1, 2, 3, 4, 5 };
            File.WriteAllBytes(Destination, old);
            FakeHttpHandler handler = new FakeHttpHandler((request, _) => Serve(request, _video));

            await Assert.ThrowsAsync<IOException>(() => Downloader(handler).DownloadAsync(Source, "the video", Destination, overwrite: false, null, CancellationToken.None));

            Assert.Equal(old, File.ReadAllBytes(Destination));
            Assert.Equal(new[] { "output.mp4" }, FilesInFolder());
        }

        [Fact]
        public async Task ExistingDestination_WithOverwrite_IsReplaced()
        {
            File.WriteAllBytes(Destination, new byte[] { 9, 9, 9 });
            FakeHttpHandler handler = new FakeHttpHandler((request, _) => Serve(request, _video));

            long written = await Downloader(handler).DownloadAsync(Source, "the video", Destination, overwrite: true, null, CancellationToken.None);

            Assert.Equal(_video.Length, written);
            Assert.Equal(_video, File.ReadAllBytes(Destination));
            Assert.Equal(new[] { "output.mp4" }, FilesInFolder());
        }

        [Fact]
        public async Task Overwrite_WhenNothingIsThere_JustWrites()
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, _) => Serve(request, _video));

            await Downloader(handler).DownloadAsync(Source, "the video", Destination, overwrite: true, null, CancellationToken.None);

            Assert.Equal(_video, File.ReadAllBytes(Destination));
        }

        [Fact]
        public async Task Cancellation_LeavesNoFile()
        {
            using CancellationTokenSource cts = new CancellationTokenSource();
            FakeHttpHandler handler = new FakeHttpHandler((request, _) =>
                Serve(request, _video, (data, _) => new FailingStream(data, 200_000, onFail: cts.Cancel, hangOnFail: true)));

            Exception? e = await Record.ExceptionAsync(() => Downloader(handler).DownloadAsync(Source, "the video", Destination, false, null, cts.Token));

            Assert.IsAssignableFrom<OperationCanceledException>(e);
            Assert.Empty(FilesInFolder());
        }

        // ---- a local write failure is not a network failure ----

        [Fact]
        public async Task DiskFull_WhileWriting_IsNotRetried_AndPropagatesAsIs()
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, _) => Serve(request, _video));
            VideoDownloader downloader = Downloader(handler);
            IOException? thrown = null;
            downloader.OpenTemporaryFile = path => new FullDiskStream(new FileStream(path, FileMode.CreateNew, FileAccess.Write), 100_000, e => thrown = e);

            IOException e = await Assert.ThrowsAsync<IOException>(() => downloader.DownloadAsync(Source, "the video", Destination, false, null, CancellationToken.None));

            // The very exception the file system threw: not wrapped as a cut connection, not retried, not resumed.
            Assert.Same(thrown, e);
            Assert.Equal(1, handler.Count);
            Assert.Empty(Resumes());
            Assert.Empty(FilesInFolder());
        }

        [Fact]
        public async Task DiskFull_OnTheResumedRequest_StopsThere()
        {
            const int cut = 60_000;
            FakeHttpHandler handler = new FakeHttpHandler((request, n) => n == 1
                ? Serve(request, _video, (data, _) => new FailingStream(data, cut))
                : Serve(request, _video));
            VideoDownloader downloader = Downloader(handler);
            downloader.OpenTemporaryFile = path => new FullDiskStream(new FileStream(path, FileMode.CreateNew, FileAccess.Write), 150_000, null);

            IOException e = await Assert.ThrowsAsync<IOException>(() => downloader.DownloadAsync(Source, "the video", Destination, false, null, CancellationToken.None));

            Assert.IsNotAssignableFrom<SeedanceException>(e);
            Assert.Contains("No space left on device", e.Message);
            Assert.Equal(2, handler.Count);
            Assert.Single(Resumes());
            Assert.Empty(FilesInFolder());
        }

        // ---- every resume is logged with its reason ----

        [Fact]
        public async Task EveryResume_IsLogged_WithItsReasonAndOffset()
        {
            int[] cuts = { 50_000, 170_001 };
            FakeHttpHandler handler = new FakeHttpHandler((request, n) => n switch
            {
                1 or 2 => Serve(request, _video, (data, from) => new FailingStream(data, cuts[n - 1], (int)from)),
                3 => FakeHttpHandler.Text(HttpStatusCode.BadGateway, "bad gateway"),
                4 => Serve(request, _video, (data, from) => new MemoryStream(data, (int)from, 1000), claimedLength: _video.Length - 170_001),
                _ => Serve(request, _video),
            });

            await Downloader(handler, attempts: 6).DownloadAsync(Source, "the video", Destination, false, null, CancellationToken.None);

            Assert.Equal(_video, File.ReadAllBytes(Destination));
            string[] resumes = Resumes();
            Assert.Equal(4, resumes.Length);
            Assert.Contains("Connection reset by peer", resumes[0]);
            Assert.Contains($"resuming at byte {50_000:N0}", resumes[0]);
            Assert.Contains("retry 1 of 5", resumes[0]);
            Assert.Contains($"resuming at byte {170_001:N0}", resumes[1]);
            Assert.Contains("502", resumes[2]);
            Assert.Contains("ended early", resumes[3]);
            Assert.Contains($"resuming at byte {171_001:N0}", resumes[3]);
            Assert.Contains("retry 4 of 5", resumes[3]);
        }

        // ---- which failures are retried ----

        [Theory]
        [InlineData(429)]
        [InlineData(500)]
        [InlineData(502)]
        [InlineData(504)]
        public async Task TransientStatuses_AreRetried(int status)
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, n) => n <= 2
                ? FakeHttpHandler.Text((HttpStatusCode)status, "try later")
                : Serve(request, _video));

            await Downloader(handler).DownloadAsync(Source, "the video", Destination, false, null, CancellationToken.None);

            Assert.Equal(_video, File.ReadAllBytes(Destination));
            Assert.Equal(3, handler.Count);
            Assert.Equal(2, Resumes().Length);
        }

        [Theory]
        [InlineData(400)]
        [InlineData(401)]
        [InlineData(403)]
        [InlineData(408)]
        [InlineData(410)]
        [InlineData(416)]
        public async Task PermanentStatuses_AreNotRetried(int status)
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => FakeHttpHandler.Text((HttpStatusCode)status, "<Error>AccessDenied</Error>"));

            SeedanceApiException e = await Assert.ThrowsAsync<SeedanceApiException>(
                () => Downloader(handler).DownloadAsync(Source, "the video", Destination, false, null, CancellationToken.None));

            Assert.Equal((HttpStatusCode)status, e.StatusCode);
            Assert.Equal(1, handler.Count);
            Assert.Empty(Resumes());
            Assert.Empty(FilesInFolder());
        }

        [Fact]
        public async Task AStall_IsRetried_AsATimeout_AndResumed()
        {
            const int stallAt = 80_000;
            FakeHttpHandler handler = new FakeHttpHandler((request, n) => n == 1
                ? Serve(request, _video, (data, _) => new FailingStream(data, stallAt, hangOnFail: true))
                : Serve(request, _video));

            await Downloader(handler, requestTimeout: TimeSpan.FromMilliseconds(300)).DownloadAsync(Source, "the video", Destination, false, null, CancellationToken.None);

            Assert.Equal(_video, File.ReadAllBytes(Destination));
            Assert.Equal(2, handler.Count);
            Assert.Equal(stallAt, Assert.Single(handler.Requests[1].Range!.Ranges).From);
            Assert.Contains("stalled", Assert.Single(Resumes()));
        }

        [Theory]
        [InlineData("seconds")]
        [InlineData("date")]
        public async Task RetryAfter_IsHonoured(string form)
        {
            System.Diagnostics.Stopwatch clock = new System.Diagnostics.Stopwatch();
            TimeSpan gap = TimeSpan.Zero;
            FakeHttpHandler handler = new FakeHttpHandler((request, n) =>
            {
                if (n == 1)
                {
                    clock.Start();
                    HttpResponseMessage busy = FakeHttpHandler.Text(HttpStatusCode.ServiceUnavailable, "busy");
                    busy.Headers.RetryAfter = form == "seconds"
                        ? new RetryConditionHeaderValue(TimeSpan.FromSeconds(1))
                        : new RetryConditionHeaderValue(DateTimeOffset.UtcNow.AddSeconds(2));
                    return busy;
                }

                gap = clock.Elapsed;
                return Serve(request, _video);
            });

            await Downloader(handler).DownloadAsync(Source, "the video", Destination, false, null, CancellationToken.None);

            // The backoff alone is at most 4 ms here.
            Assert.Equal(_video, File.ReadAllBytes(Destination));
            Assert.True(gap >= TimeSpan.FromMilliseconds(900), $"retried after {gap.TotalMilliseconds} ms");
            Assert.Contains("(Retry-After)", Assert.Single(Resumes()));
        }

        [Fact]
        public async Task Retries_AreBoundedByTotalTime()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => FakeHttpHandler.Text(HttpStatusCode.ServiceUnavailable, "busy"));
            SeedanceClientOptions options = Options(attempts: 100);
            options.ReadRetry.BaseDelay = TimeSpan.FromMilliseconds(100);
            options.ReadRetry.MaxDelay = TimeSpan.FromMilliseconds(100);
            options.ReadRetry.MaxTotalTime = TimeSpan.FromMilliseconds(600);
            VideoDownloader downloader = new SeedanceClient(options, new HttpClient(handler), new HttpClient(handler)).Downloader;

            await Assert.ThrowsAsync<SeedanceApiException>(() => downloader.DownloadAsync(Source, "the video", Destination, false, null, CancellationToken.None));

            // Waits of 50-100 ms in a 600 ms budget: at most 13 requests (fewer on a busy machine), far from 100.
            Assert.InRange(handler.Count, 2, 14);
            Assert.Empty(FilesInFolder());
        }

        [Fact]
        public async Task ErrorBody_EchoingTheKey_IsRedacted()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => FakeHttpHandler.Text(HttpStatusCode.Forbidden, "<Error>Signature mismatch for Bearer " + Key + "</Error>"));

            SeedanceApiException e = await Assert.ThrowsAsync<SeedanceApiException>(
                () => Downloader(handler).DownloadAsync(Source, "the video", Destination, false, null, CancellationToken.None));

            Assert.DoesNotContain(Key, e.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain(Key, e.ApiMessage, StringComparison.Ordinal);
            Assert.Contains("***", e.ApiMessage);
        }

        /// <summary>A file stream on a disk that fills up after <c>capacity</c> bytes (ENOSPC on the write that crosses it).</summary>
        private sealed class FullDiskStream : Stream
        {
            private readonly FileStream _inner;
            private readonly long _capacity;
            private readonly Action<IOException>? _thrown;

            public FullDiskStream(FileStream inner, long capacity, Action<IOException>? thrown)
            {
                _inner = inner;
                _capacity = capacity;
                _thrown = thrown;
            }

            public override bool CanRead => false;
            public override bool CanSeek => true;
            public override bool CanWrite => true;
            public override long Length => _inner.Length;
            public override long Position { get => _inner.Position; set => _inner.Position = value; }

            public override void Write(byte[] buffer, int offset, int count)
            {
                if (_inner.Length + count > _capacity)
                {
                    IOException full = new IOException("No space left on device : '" + _inner.Name + "'", 28);
                    _thrown?.Invoke(full);
                    throw full;
                }

                _inner.Write(buffer, offset, count);
            }

            public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                try
                {
                    Write(buffer, offset, count);
                    return Task.CompletedTask;
                }
                catch (IOException e)
                {
                    // Like an asynchronous FileStream: the failure comes with the task, not from the call.
                    return Task.FromException(e);
                }
            }

            public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
                new ValueTask(WriteAsync(buffer.ToArray(), 0, buffer.Length, cancellationToken));

            public override void Flush() => _inner.Flush();
            public override void SetLength(long value) => _inner.SetLength(value);
            public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);
            public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    _inner.Dispose();
                }

                base.Dispose(disposing);
            }
        }

        private sealed class SyncProgress : IProgress<DownloadProgress>
        {
            private readonly List<DownloadProgress> _reports;

            public SyncProgress(List<DownloadProgress> reports)
            {
                _reports = reports;
            }

            public void Report(DownloadProgress value) => _reports.Add(value);
        }

        /// <summary>
        /// Yields data[start..failAt) and then fails the way a dropped connection does (IOException), or, with
        /// <paramref name="hangOnFail"/>, waits for cancellation like a stalled one.
        /// </summary>
        private sealed class FailingStream : Stream
        {
            private readonly byte[] _data;
            private readonly int _failAt;
            private readonly Action? _onFail;
            private readonly bool _hangOnFail;
            private int _position;

            public FailingStream(byte[] data, int failAt, int start = 0, Action? onFail = null, bool hangOnFail = false)
            {
                _data = data;
                _failAt = Math.Min(failAt, data.Length);
                _position = start;
                _onFail = onFail;
                _hangOnFail = hangOnFail;
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => _position; set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count)
            {
                if (_position >= _failAt)
                {
                    _onFail?.Invoke();
                    throw new IOException("Unable to read data from the transport connection: Connection reset by peer.");
                }

                int n = Math.Min(count, _failAt - _position);
                Array.Copy(_data, _position, buffer, offset, n);
                _position += n;
                return n;
            }

            public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                if (_position >= _failAt && _hangOnFail)
                {
                    _onFail?.Invoke();
                    await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
                }

                return Read(buffer, offset, count);
            }

            public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            {
                byte[] array = new byte[buffer.Length];
                return new ValueTask<int>(ReadAsync(array, 0, array.Length, cancellationToken).ContinueWith(
                    t =>
                    {
                        int n = t.GetAwaiter().GetResult();
                        array.AsSpan(0, n).CopyTo(buffer.Span);
                        return n;
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default));
            }

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
