using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Seedance.Client.Tests.TestSupport;
using Xunit;

namespace Seedance.Client.Tests.NetFramework
{
    /// <summary>
    /// A body the server stops sending part way, read through a stream that ignores its token the way .NET Framework's
    /// network stream does (it looks at the token only before a read starts). Every read of a body must still end at the
    /// stall (request) timeout, and at once on Ctrl+C: the response is disposed, which closes the stream under the read.
    /// </summary>
    public sealed class StalledBodyTests : IDisposable
    {
        /// <summary>How long a test waits before calling the read hung (a guard against a hung suite, not a timing assertion).</summary>
        private static readonly TimeSpan Hung = TimeSpan.FromSeconds(20);

        private readonly string _folder = Path.Combine(Path.GetTempPath(), "seedance-stall-" + Guid.NewGuid().ToString("N"));

        public StalledBodyTests() => Directory.CreateDirectory(_folder);

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

        private static SeedanceClientOptions Options(TimeSpan requestTimeout) =>
            new SeedanceClientOptions(new Uri("https://api.example.test/api/v1"), new ApiKey("sk-live-STALL-TEST-5150"))
            {
                RequestTimeout = requestTimeout,
                ReadRetry = new RetryPolicy { MaxAttempts = 1, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2), MaxTotalTime = TimeSpan.FromSeconds(30) },
            };

        private static (SeedanceClient Client, TokenIgnoringStream Body) Stalling(string head, TimeSpan requestTimeout, string mediaType = "application/json", long? length = null)
        {
            TokenIgnoringStream body = new TokenIgnoringStream(Encoding.UTF8.GetBytes(head));
            FakeHttpHandler handler = new FakeHttpHandler((_, _) =>
            {
                HttpResponseMessage response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body) };
                response.Content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
                response.Content.Headers.ContentLength = length ?? head.Length + 1000;
                return response;
            });
            return (new SeedanceClient(Options(requestTimeout), new HttpClient(handler), new HttpClient(handler)), body);
        }

        private static async Task<Exception> Ended(Task task)
        {
            Task first = await Task.WhenAny(task, Task.Delay(Hung));
            Assert.True(first == task, "the read of a stalled body did not end");
            return await Assert.ThrowsAnyAsync<Exception>(() => task);
        }

        [Fact]
        public async Task AnApiAnswer_ThatStalls_EndsAtTheRequestTimeout()
        {
            (SeedanceClient client, TokenIgnoringStream body) = Stalling(@"{""taskId"":""task_1"",", TimeSpan.FromMilliseconds(300));

            Exception error = await Ended(client.GetTaskAsync("task_1", CancellationToken.None));

            ProblemAssert.Is(SeedanceProblem.RequestTimedOut, error);
            Assert.True(body.Disposed);
        }

        [Fact]
        public async Task AnApiAnswer_ThatStalls_EndsAtOnceOnCtrlC()
        {
            (SeedanceClient client, TokenIgnoringStream body) = Stalling(@"{""taskId"":""task_1"",", TimeSpan.FromMinutes(10));
            using CancellationTokenSource ctrlC = new CancellationTokenSource();
            Task read = client.GetTaskAsync("task_1", ctrlC.Token);
            await body.Stalled;

            ctrlC.Cancel();

            Assert.IsAssignableFrom<OperationCanceledException>(await Ended(read));
        }

        [Fact]
        public async Task ADownload_ThatStalls_EndsAtTheStallTimeout()
        {
            (SeedanceClient client, TokenIgnoringStream body) = Stalling("first bytes of a video", TimeSpan.FromMilliseconds(300), "video/mp4");

            Exception error = await Ended(client.Downloader.DownloadAsync(new Uri("https://static.example.test/v.mp4"), "the video", Path.Combine(_folder, "v.mp4"), false, null, CancellationToken.None));

            ProblemAssert.Is(SeedanceProblem.RequestTimedOut, error);
            Assert.True(body.Disposed);
            Assert.Empty(Directory.GetFiles(_folder));
        }

        [Fact]
        public async Task ADownload_ThatStalls_EndsAtOnceOnCtrlC()
        {
            (SeedanceClient client, TokenIgnoringStream body) = Stalling("first bytes of a video", TimeSpan.FromMinutes(10), "video/mp4");
            using CancellationTokenSource ctrlC = new CancellationTokenSource();
            Task download = client.Downloader.DownloadAsync(new Uri("https://static.example.test/v.mp4"), "the video", Path.Combine(_folder, "v.mp4"), false, null, ctrlC.Token);
            await body.Stalled;

            ctrlC.Cancel();

            Assert.IsAssignableFrom<OperationCanceledException>(await Ended(download));
            Assert.Empty(Directory.GetFiles(_folder));
        }

        [Fact]
        public async Task AnErrorBody_ThatStalls_EndsAtTheStallTimeout()
        {
            // A download answered 500 whose text never finishes: the error body is read within the timeout too.
            TokenIgnoringStream body = new TokenIgnoringStream(Encoding.UTF8.GetBytes("Internal"));
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => new HttpResponseMessage(HttpStatusCode.InternalServerError) { Content = new StreamContent(body) });
            SeedanceClient client = new SeedanceClient(Options(TimeSpan.FromMilliseconds(300)), new HttpClient(handler), new HttpClient(handler));

            Exception error = await Ended(client.Downloader.DownloadAsync(new Uri("https://static.example.test/v.mp4"), "the video", Path.Combine(_folder, "v.mp4"), false, null, CancellationToken.None));

            ProblemAssert.Is(SeedanceProblem.RequestTimedOut, error);
            Assert.True(body.Disposed);
        }

        [Fact]
        public async Task TheStallTimer_StartsWithTheAnswer_NotWhileTheRequestWaits()
        {
            // The answer's headers come after 60% of the timeout (a request queued for a connection, or a slow server),
            // its body after another 60%: neither wait is a stall, though together they are longer than the timeout.
            TimeSpan timeout = TimeSpan.FromSeconds(2);
            TimeSpan wait = TimeSpan.FromMilliseconds(timeout.TotalMilliseconds * 0.6);
            byte[] video = new byte[1000];
            FakeHttpHandler handler = new FakeHttpHandler(async (_, _, token) =>
            {
                await Task.Delay(wait, token);
                HttpResponseMessage response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new LateStream(video, wait)) };
                response.Content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
                response.Content.Headers.ContentLength = video.Length;
                response.Headers.ETag = new EntityTagHeaderValue("\"v1\"");
                return response;
            });
            SeedanceClient client = new SeedanceClient(Options(timeout), new HttpClient(handler), new HttpClient(handler));

            long bytes = await client.Downloader.DownloadAsync(new Uri("https://static.example.test/v.mp4"), "the video", Path.Combine(_folder, "v.mp4"), false, null, CancellationToken.None);

            Assert.Equal(video.Length, bytes);
            Assert.Equal(1, handler.Count);
        }

        /// <summary>Sends its bytes only after a delay (a server slow to start the body).</summary>
        private sealed class LateStream : MemoryStream
        {
            private readonly TimeSpan _delay;
            private bool _waited;

            public LateStream(byte[] bytes, TimeSpan delay)
                : base(bytes) => _delay = delay;

            public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                if (!_waited)
                {
                    _waited = true;
                    await Task.Delay(_delay, cancellationToken);
                }

                return await base.ReadAsync(buffer, offset, count, cancellationToken);
            }
        }

        /// <summary>
        /// Hands out its first bytes, then blocks every read until it is disposed, whatever the token says (as .NET
        /// Framework's ConnectStream does once a read has started); disposing it fails the pending read, as closing a
        /// socket does.
        /// </summary>
        private sealed class TokenIgnoringStream : Stream
        {
            private readonly byte[] _head;
            private readonly TaskCompletionSource<bool> _closed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            private readonly TaskCompletionSource<bool> _stalled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            private int _position;

            public TokenIgnoringStream(byte[] head) => _head = head;

            public bool Disposed => _closed.Task.IsCompleted;

            /// <summary>Completes when a read has started to wait for bytes that will not come.</summary>
            public Task Stalled => _stalled.Task;

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

            public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                if (_position < _head.Length)
                {
                    int n = Math.Min(count, _head.Length - _position);
                    Array.Copy(_head, _position, buffer, offset, n);
                    _position += n;
                    return n;
                }

                // The token is not looked at from here on.
                _stalled.TrySetResult(true);
                await _closed.Task.ConfigureAwait(false);
                throw new IOException("Unable to read data from the transport connection: the connection was closed.");
            }

            protected override void Dispose(bool disposing)
            {
                _closed.TrySetResult(true);
                base.Dispose(disposing);
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
