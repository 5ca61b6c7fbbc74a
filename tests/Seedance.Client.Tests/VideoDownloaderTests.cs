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

        private static SeedanceClientOptions Options(int attempts = 4) =>
            new SeedanceClientOptions(new Uri("https://api.example.test/api/v1"), new ApiKey(Key))
            {
                RequestTimeout = TimeSpan.FromSeconds(10),
                ReadRetry = new RetryPolicy
                {
                    MaxAttempts = attempts,
                    BaseDelay = TimeSpan.FromMilliseconds(1),
                    MaxDelay = TimeSpan.FromMilliseconds(4),
                    MaxTotalTime = TimeSpan.FromSeconds(30),
                },
            };

        /// <summary>Through the whole client, so the test also proves the API key does not leak onto downloads.</summary>
        private static VideoDownloader Downloader(FakeHttpHandler handler, int attempts = 4) =>
            new SeedanceClient(Options(attempts), new HttpClient(handler), new HttpClient(handler)).Downloader;

        /// <summary>Serves <paramref name="data"/> honouring a Range request with a 206, the way a storage host does.</summary>
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
            if (from > 0)
            {
                response.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, data.Length - 1, data.Length);
            }

            return response;
        }

        [Fact]
        public async Task Download_SendsNoAuthorization_AndLeavesOnlyTheFinalFile()
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, _) => Serve(request, _video));
            List<DownloadProgress> progress = new List<DownloadProgress>();

            long written = await Downloader(handler).DownloadAsync(Source, Destination, overwrite: false, new SyncProgress(progress), CancellationToken.None);

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

            long written = await Downloader(handler).DownloadAsync(Source, Destination, false, null, CancellationToken.None);

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

            long written = await Downloader(handler).DownloadAsync(Source, Destination, false, null, CancellationToken.None);

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

            await Downloader(handler, attempts: 5).DownloadAsync(Source, Destination, false, null, CancellationToken.None);

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

            long written = await Downloader(handler).DownloadAsync(Source, Destination, false, null, CancellationToken.None);

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

            await Downloader(handler).DownloadAsync(Source, Destination, false, null, CancellationToken.None);

            Assert.Equal(_video, File.ReadAllBytes(Destination));
            Assert.Equal(2, handler.Count);
        }

        [Fact]
        public async Task ExhaustedRetries_LeaveNoFileAtAll()
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, _) =>
                Serve(request, _video, (data, from) => new FailingStream(data, (int)from + 10_000, (int)from)));

            await Assert.ThrowsAsync<SeedanceConnectionException>(
                () => Downloader(handler, attempts: 3).DownloadAsync(Source, Destination, false, null, CancellationToken.None));

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

            await Assert.ThrowsAsync<SeedanceConnectionException>(
                () => Downloader(handler, attempts: 3).DownloadAsync(Source, Destination, false, null, CancellationToken.None));

            Assert.Empty(FilesInFolder());
        }

        [Fact]
        public async Task NotFound_IsNotRetried_AndLeavesNoFile()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => FakeHttpHandler.Text(HttpStatusCode.NotFound, "<Error>NoSuchKey</Error>"));

            SeedanceApiException e = await Assert.ThrowsAsync<SeedanceApiException>(
                () => Downloader(handler).DownloadAsync(Source, Destination, false, null, CancellationToken.None));

            Assert.Equal(SeedanceErrorKind.NotFound, e.Kind);
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

            await Assert.ThrowsAsync<IOException>(() => Downloader(handler).DownloadAsync(Source, Destination, overwrite: false, null, CancellationToken.None));

            Assert.Equal(old, File.ReadAllBytes(Destination));
            Assert.Equal(new[] { "output.mp4" }, FilesInFolder());
        }

        [Fact]
        public async Task ExistingDestination_WithOverwrite_IsReplaced()
        {
            File.WriteAllBytes(Destination, new byte[] { 9, 9, 9 });
            FakeHttpHandler handler = new FakeHttpHandler((request, _) => Serve(request, _video));

            long written = await Downloader(handler).DownloadAsync(Source, Destination, overwrite: true, null, CancellationToken.None);

            Assert.Equal(_video.Length, written);
            Assert.Equal(_video, File.ReadAllBytes(Destination));
            Assert.Equal(new[] { "output.mp4" }, FilesInFolder());
        }

        [Fact]
        public async Task Overwrite_WhenNothingIsThere_JustWrites()
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, _) => Serve(request, _video));

            await Downloader(handler).DownloadAsync(Source, Destination, overwrite: true, null, CancellationToken.None);

            Assert.Equal(_video, File.ReadAllBytes(Destination));
        }

        [Fact]
        public async Task Cancellation_LeavesNoFile()
        {
            using CancellationTokenSource cts = new CancellationTokenSource();
            FakeHttpHandler handler = new FakeHttpHandler((request, _) =>
                Serve(request, _video, (data, _) => new FailingStream(data, 200_000, onFail: cts.Cancel, hangOnFail: true)));

            Exception? e = await Record.ExceptionAsync(() => Downloader(handler).DownloadAsync(Source, Destination, false, null, cts.Token));

            Assert.IsAssignableFrom<OperationCanceledException>(e);
            Assert.Empty(FilesInFolder());
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
