using System;
using System.IO;
using System.Linq;
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
    /// The downloader against the hostile server over real loopback sockets: every way a resume can lie, bodies of
    /// unknown or excessive length, trickles. The invariant in every case: the final file is whole and one object,
    /// or there is no file and an error; never a short or spliced file under the final name.
    /// </summary>
    public sealed class HostileDownloadTests : IDisposable
    {
        private const long Length = 300_000;
        private const long Cut = 100_000;
        private const string Key = "sk-hostile-download-0123456789";

        private readonly HostileServer.HostileServer _server = HostileServer.HostileServer.Start();
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "seedance-hostile-dl-" + Guid.NewGuid().ToString("N"));
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _log = new System.Collections.Concurrent.ConcurrentQueue<string>();

        public HostileDownloadTests()
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

        private Uri Video => new Uri(_server.BaseUri + "/files/task_1.mp4");

        private VideoDownloader Downloader(Action<SeedanceClientOptions>? configure = null)
        {
            // The API on loopback too (the emulator's case): the files on loopback may then be fetched (InternalAddressGateTests).
            SeedanceClientOptions options = new SeedanceClientOptions(new Uri(_server.BaseUri + "/api/v1"), new ApiKey(Key))
            {
                RequestTimeout = TimeSpan.FromSeconds(5),
                Log = line => _log.Enqueue(line),
                ReadRetry = new RetryPolicy { MaxAttempts = 4, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) },
            };
            configure?.Invoke(options);
            return new SeedanceClient(options, new HttpClient(), new HttpClient()).Downloader;
        }

        private static byte[] Version(int seed, long length = Length) =>
            Enumerable.Range(0, (int)length).Select(i => HostileFile.ByteAt(i, seed)).ToArray();

        private static HostileRule FirstCut(string? etag = "\"v1\"", string? lastModified = null, bool chunked = false) => new HostileRule
        {
            Path = "/files/task_1.mp4",
            Times = 1,
            CutAfter = Cut,
            Chunked = chunked,
            File = new HostileFile { Length = Length, Seed = 0, ETag = etag, LastModified = lastModified },
        };

        private static HostileRule Then(int seed, string range, string? etag = "\"v1\"", string? lastModified = null, bool chunked = false) => new HostileRule
        {
            Path = "/files/task_1.mp4",
            Chunked = chunked,
            File = new HostileFile { Length = Length, Seed = seed, ETag = etag, LastModified = lastModified, Range = range },
        };

        private string[] FilesInFolder() => Directory.GetFiles(_folder).Select(Path.GetFileName).Select(n => n!).ToArray();

        private Task<long> Download(VideoDownloader? downloader = null) =>
            WithinSeconds(30, (downloader ?? Downloader()).DownloadAsync(Video, "the video", Destination, overwrite: false, null, CancellationToken.None));

        /// <summary>A hang is a failure, not a stuck test run.</summary>
        private static async Task<T> WithinSeconds<T>(int seconds, Task<T> task)
        {
            Task done = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(seconds))).ConfigureAwait(false);
            Assert.True(done == task, $"Still running after {seconds} s.");
            return await task.ConfigureAwait(false);
        }

        [Fact]
        public async Task AnHonestResume_SendsIfRange_AndGivesTheWholeFile()
        {
            _server.SetRules(FirstCut(), Then(0, "honour"));

            await Download();

            Assert.Equal(Version(0), File.ReadAllBytes(Destination));
            HostileRequestRecord resume = _server.Requests[1];
            Assert.Equal("bytes=100000-", resume.Header("Range"));
            Assert.Equal("\"v1\"", resume.Header("If-Range"));
        }

        [Fact]
        public async Task ResumeWithLastModifiedOnly_SendsThatAsIfRange()
        {
            const string Date = "Tue, 01 Dec 2026 10:00:00 GMT";
            _server.SetRules(FirstCut(etag: null, lastModified: Date), Then(0, "honour", etag: null, lastModified: Date));

            await Download();

            Assert.Equal(Version(0), File.ReadAllBytes(Destination));
            Assert.Equal(Date, _server.Requests[1].Header("If-Range"));
        }

        [Theory]
        [InlineData("honour", "\"v2\"", 2)]             // If-Range does not match: the server sends the new object whole
        [InlineData("ignore-if-range", "\"v2\"", 3)]    // the server ignores If-Range: a 206 of another ETag, so start over
        [InlineData("star-total", "\"v1\"", 3)]         // bytes N-M/*: no total to check against
        [InlineData("no-content-range", "\"v1\"", 3)]   // a 206 that says nothing about what it holds
        [InlineData("wrong-start", "\"v1\"", 3)]        // a 206 from byte 0 for a resume from 100000
        public async Task AResumeThatDoesNotMatch_StartsOverFromZero_NeverSplices(string range, string etag, int requests)
        {
            // The second answer is another version of the object (seed 1), so a splice would be visible in every byte.
            _server.SetRules(FirstCut(), Then(1, range, etag));

            long written = await Download();

            Assert.Equal(Length, written);
            Assert.Equal(Version(1), File.ReadAllBytes(Destination));
            Assert.Equal(requests, _server.Requests.Count);
            Assert.Equal("\"v1\"", _server.Requests[1].Header("If-Range"));
            if (requests == 3)
            {
                // The lying 206 was dropped and the object fetched again from byte 0.
                Assert.Null(_server.Requests[2].Header("Range"));
            }
            Assert.Equal(new[] { "task_1.mp4" }, FilesInFolder());
        }

        [Fact]
        public async Task AChangedLastModified_StartsOver()
        {
            _server.SetRules(
                FirstCut(etag: null, lastModified: "Tue, 01 Dec 2026 10:00:00 GMT"),
                Then(1, "ignore-if-range", etag: null, lastModified: "Wed, 02 Dec 2026 10:00:00 GMT"));

            await Download();

            Assert.Equal(Version(1), File.ReadAllBytes(Destination));
        }

        [Fact]
        public async Task NoValidator_ACutTransferStartsOver_InsteadOfResuming()
        {
            _server.SetRules(FirstCut(etag: null), Then(1, "honour", etag: null));

            await Download();

            Assert.Equal(Version(1), File.ReadAllBytes(Destination));
            Assert.All(_server.Requests, r => Assert.Null(r.Header("Range")));
        }

        [Fact]
        public async Task AChunkedBodyOfUnknownLengthCutShort_StartsOver_NeverSplices()
        {
            _server.SetRules(FirstCut(chunked: true), Then(1, "honour", chunked: true));

            await Download();

            Assert.Equal(Version(1), File.ReadAllBytes(Destination));
            Assert.Null(_server.Requests[1].Header("Range"));
        }

        [Fact]
        public async Task ABodyWithNeitherLengthNorFraming_IsRefused_NothingSaved()
        {
            _server.SetRules(new HostileRule { Path = "/files/task_1.mp4", Length = "none", CutAfter = Cut, File = new HostileFile { Length = Length } });

            SeedanceException e = ProblemAssert.Is(SeedanceProblem.InvalidResponse, await Assert.ThrowsAsync<SeedanceException>(() => Download()));

            Assert.Contains("neither a length nor chunked framing", e.Message);
            Assert.Empty(FilesInFolder());
            Assert.Single(_server.Requests);
        }

        [Fact]
        public async Task A206ThatSendsMoreThanItDeclares_IsRefused_NothingSaved()
        {
            _server.SetRules(FirstCut(), Then(0, "overlong"));

            SeedanceException e = ProblemAssert.Is(SeedanceProblem.InvalidResponse, await Assert.ThrowsAsync<SeedanceException>(() => Download()));

            Assert.Contains("more than the 300,000 bytes it declared", e.Message);
            Assert.Empty(FilesInFolder());
        }

        [Fact]
        public async Task A200WithMoreBytesThanContentLength_KeepsExactlyContentLength()
        {
            _server.SetRules(new HostileRule { Path = "/files/task_1.mp4", Body = "", BodyBytes = 5000, Length = "1000" });

            long written = await Download();

            Assert.Equal(1000, written);
            Assert.Equal(Version(0, 1000), File.ReadAllBytes(Destination));
        }

        [Fact]
        public async Task AnEndlessBodyOfUnknownLength_StopsAtMaxDownloadBytes_NothingSaved()
        {
            _server.SetRules(new HostileRule { Path = "/files/task_1.mp4", Body = "", Endless = true });

            SeedanceException e = ProblemAssert.Is(SeedanceProblem.InvalidResponse, await Assert.ThrowsAsync<SeedanceException>(
                () => Download(Downloader(o => o.MaxDownloadBytes = 1024 * 1024))));

            Assert.Contains("without declaring a length", e.Message);
            Assert.Empty(FilesInFolder());
        }

        [Fact]
        public async Task ADeclaredLengthOverMaxDownloadBytes_IsRefusedBeforeWriting()
        {
            _server.SetRules(new HostileRule { Path = "/files/task_1.mp4", Body = "x", Length = "5000000000", CutAfter = 1 });

            SeedanceException e = ProblemAssert.Is(SeedanceProblem.InvalidResponse, await Assert.ThrowsAsync<SeedanceException>(() => Download()));

            Assert.Contains("more than any video", e.Message);
            Assert.Single(_server.Requests);
            Assert.Empty(FilesInFolder());
        }

        [Fact]
        public async Task ATrickle_IsAStall_NotActivity()
        {
            // 10 bytes every 20 ms: a read every time, but 500 B/s is no transfer of a video.
            _server.SetRules(new HostileRule { Path = "/files/task_1.mp4", TrickleBytes = 10, TrickleIntervalMs = 20, File = new HostileFile { Length = Length, ETag = "\"v1\"" } });
            VideoDownloader downloader = Downloader(o =>
            {
                o.RequestTimeout = TimeSpan.FromSeconds(1);
                o.ReadRetry = new RetryPolicy { MaxAttempts = 2, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) };
            });

            SeedanceException e = ProblemAssert.Is(SeedanceProblem.RequestTimedOut, await Assert.ThrowsAsync<SeedanceException>(() => Download(downloader)));

            Assert.Contains("stalled", e.Message);
            Assert.Equal(2, _server.Requests.Count);
            Assert.Empty(FilesInFolder());
        }

        [Theory]
        [InlineData("/files/{key}/task_1.mp4")]
        [InlineData("/files/task_1.mp4?sig={key:url}")]
        [InlineData("/files/task_1.mp4?sig=SK-HOSTILE-DOWNLOAD-0123456789")]
        [InlineData("/files/***/task_1.mp4")]
        public async Task AUrlCarryingTheKey_IsNeverFetched(string path)
        {
            string url = _server.BaseUri + path.Replace("{key}", Key).Replace("{key:url}", string.Concat(Key.Select(c => $"%{(int)c:X2}")));
            _server.SetRules(Then(0, "honour"));

            await ProblemAssert.ThrowsAsync(SeedanceProblem.DownloadUrlContainsKey, () =>
                Downloader().DownloadAsync(new Uri(url), "the video", Destination, overwrite: false, null, CancellationToken.None));

            Assert.Empty(_server.Requests);
            Assert.Empty(FilesInFolder());
        }

        [Fact]
        public async Task AFifoAtTheFinalName_IsRefusedBeforeAnyRequest_EvenWhenOverwriting()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            Assert.Equal(0, Mkfifo(Destination, 0x1A4));
            _server.SetRules(Then(0, "honour"));

            SeedanceException e = await ProblemAssert.ThrowsAsync(SeedanceProblem.DestinationNotAFile, () =>
                Downloader().DownloadAsync(Video, "the video", Destination, overwrite: true, null, CancellationToken.None));

            Assert.Equal(Destination, e.Target);
            Assert.Contains("FIFO", e.Message);
            Assert.Empty(_server.Requests);
            Assert.False(File.Exists(Destination) && new FileInfo(Destination).Length > 0);
        }

        [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
        private static extern int Mkfifo(string path, int mode);
    }
}
