using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Seedance.Client.Models;
using Seedance.Client.Tests.TestSupport;
using Xunit;

namespace Seedance.Client.Tests
{
    public class SeedanceClientTests
    {
        private const string Key = "sk-live-TOPSECRET-7f3a9c21e4";
        private const string TaskJson = @"{""taskId"":""task_1"",""status"":""generating"",""creditsUsed"":320}";

        private readonly ConcurrentQueue<string> _log = new ConcurrentQueue<string>();
        private readonly VirtualClock _clock = new VirtualClock();

        private static RetryPolicy Quick(int attempts) => new RetryPolicy
        {
            MaxAttempts = attempts,
            BaseDelay = TimeSpan.FromMilliseconds(1),
            MaxDelay = TimeSpan.FromMilliseconds(4),
            MaxTotalTime = TimeSpan.FromSeconds(30),
        };

        private SeedanceClientOptions Options(TimeSpan? requestTimeout = null, string baseUri = "https://api.example.test/api/v1") =>
            new SeedanceClientOptions(new Uri(baseUri), new ApiKey(Key))
            {
                RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10),
                ReadRetry = Quick(4),
                CreateRetry = Quick(3),
                UserAgent = "Seedance-Tests/1.0",
                Log = line => _log.Enqueue(line),
                Clock = _clock,
            };

        private static SeedanceClient Client(SeedanceClientOptions options, FakeHttpHandler handler) =>
            new SeedanceClient(options, new HttpClient(handler), new HttpClient(handler));

        private static CreateTaskRequest Request() => new CreateTaskRequest
        {
            Model = "seedance-20",
            Prompt = "A red kite over green hills",
            Duration = 8,
            Ratio = "16:9",
        };

        private static HttpResponseMessage Ok(string json) => FakeHttpHandler.Json(HttpStatusCode.OK, json);

        private static HttpRequestException Refused() =>
            new HttpRequestException("Connection refused (api.example.test:443)", new SocketException((int)SocketError.ConnectionRefused));

        private static HttpRequestException Reset() =>
            new HttpRequestException("An error occurred while sending the request.",
                new IOException("Unable to read data from the transport connection: Connection reset by peer.",
                    new SocketException((int)SocketError.ConnectionReset)));

        private static HttpResponseMessage Status(int status, string json = @"{""message"":""boom""}", TimeSpan? retryAfter = null)
        {
            HttpResponseMessage response = FakeHttpHandler.Json((HttpStatusCode)status, json);
            if (retryAfter is not null)
            {
                response.Headers.RetryAfter = new RetryConditionHeaderValue(retryAfter.Value);
            }

            return response;
        }

        private void AssertKeyNowhere(Exception e)
        {
            Assert.DoesNotContain(Key, e.ToString(), StringComparison.Ordinal);
            for (Exception? inner = e; inner is not null; inner = inner.InnerException)
            {
                Assert.DoesNotContain(Key, inner.Message, StringComparison.Ordinal);
            }

            Assert.All(_log, line => Assert.DoesNotContain(Key, line, StringComparison.Ordinal));
        }

        // ---- what goes on the wire ----

        [Fact]
        public async Task GetTask_SendsBearerKey_ToRecordInfo()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Ok(TaskJson));

            SeedanceTask task = await Client(Options(), handler).GetTaskAsync("task_1", CancellationToken.None);

            Assert.Equal("task_1", task.TaskId);
            Assert.Equal(SeedanceTaskStatus.Generating, task.Status);
            RecordedRequest request = Assert.Single(handler.Requests);
            Assert.Equal(HttpMethod.Get, request.Method);
            Assert.Equal("https://api.example.test/api/v1/jobs/recordInfo?taskId=task_1", request.Uri.AbsoluteUri);
            Assert.NotNull(request.Authorization);
            Assert.Equal("Bearer", request.Authorization!.Scheme);
            Assert.Equal(Key, request.Authorization.Parameter);
            Assert.Null(request.Body);
        }

        [Fact]
        public async Task CreateTask_PostsTheJsonBody_WithBearerKey()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Ok(@"{""taskId"":""task_new""}"));

            string id = await Client(Options(), handler).CreateTaskAsync(Request(), null, CancellationToken.None);

            Assert.Equal("task_new", id);
            RecordedRequest request = Assert.Single(handler.Requests);
            Assert.Equal(HttpMethod.Post, request.Method);
            Assert.Equal("https://api.example.test/api/v1/jobs/createTask", request.Uri.AbsoluteUri);
            Assert.Equal("Bearer", request.Authorization!.Scheme);
            Assert.Equal(Key, request.Authorization.Parameter);
            Assert.Equal("application/json", request.ContentType);
            using JsonDocument body = JsonDocument.Parse(request.Body!);
            Assert.Equal("seedance-20", body.RootElement.GetProperty("model").GetString());
            Assert.Equal("A red kite over green hills", body.RootElement.GetProperty("inputs").GetProperty("prompt").GetString());
            Assert.Equal("8s", body.RootElement.GetProperty("inputs").GetProperty("duration").GetString());
        }

        [Fact]
        public async Task BaseUriWithTrailingSlash_AndTaskIdNeedingEscapes()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Ok(@"{""taskId"":""a b&c=d"",""status"":""waiting""}"));

            await Client(Options(baseUri: "http://127.0.0.1:5099/api/v1/"), handler).GetTaskAsync(" a b&c=d ", CancellationToken.None);

            Assert.Equal("http://127.0.0.1:5099/api/v1/jobs/recordInfo?taskId=a%20b%26c%3Dd", Assert.Single(handler.Requests).Uri.AbsoluteUri);
        }

        [Theory]
        [InlineData("")]
        [InlineData("  ")]
        public async Task GetTask_EmptyId_SendsNothing(string id)
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Ok(TaskJson));
            await Assert.ThrowsAsync<ArgumentException>(() => Client(Options(), handler).GetTaskAsync(id, CancellationToken.None));
            Assert.Equal(0, handler.Count);
        }

        // ---- recordInfo: reads retry on transient failures ----

        [Theory]
        [InlineData(500)]
        [InlineData(502)]
        [InlineData(503)]
        [InlineData(504)]
        [InlineData(429)]
        public async Task GetTask_RetriesTransientStatus(int status)
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => n <= 2 ? Status(status) : Ok(TaskJson));

            SeedanceTask task = await Client(Options(), handler).GetTaskAsync("task_1", CancellationToken.None);

            Assert.Equal("task_1", task.TaskId);
            Assert.Equal(3, handler.Count);
            Assert.All(handler.Requests, r => Assert.Equal(Key, r.Authorization!.Parameter));
        }

        [Fact]
        public async Task GetTask_RetriesConnectionFailures()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => n switch
            {
                1 => throw Refused(),
                2 => throw Reset(),
                3 => throw new IOException("The response ended prematurely."),
                _ => Ok(TaskJson),
            });

            SeedanceTask task = await Client(Options(), handler).GetTaskAsync("task_1", CancellationToken.None);

            Assert.Equal("task_1", task.TaskId);
            Assert.Equal(4, handler.Count);
        }

        [Fact]
        public async Task GetTask_RetriesATimeout()
        {
            FakeHttpHandler handler = new FakeHttpHandler(async (_, n, ct) =>
            {
                if (n == 1)
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }

                return Ok(TaskJson);
            });

            SeedanceTask task = await Client(Options(TimeSpan.FromMilliseconds(150)), handler).GetTaskAsync("task_1", CancellationToken.None);

            Assert.Equal("task_1", task.TaskId);
            Assert.Equal(2, handler.Count);
        }

        [Fact]
        public async Task GetTask_RetriesAGarbledBody()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => n == 1 ? Ok("<html>proxy page</html>") : Ok(TaskJson));

            SeedanceTask task = await Client(Options(), handler).GetTaskAsync("task_1", CancellationToken.None);

            Assert.Equal("task_1", task.TaskId);
            Assert.Equal(2, handler.Count);
        }

        [Fact]
        public async Task GetTask_GivesUpAfterMaxAttempts()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Status(503, @"{""message"":""maintenance""}"));
            SeedanceClientOptions options = Options();

            SeedanceApiException e = await Assert.ThrowsAsync<SeedanceApiException>(() => Client(options, handler).GetTaskAsync("task_1", CancellationToken.None));

            Assert.Equal(options.ReadRetry.MaxAttempts, handler.Count);
            Assert.Equal("ServerError", e.ErrorId);
            Assert.Equal("maintenance", e.ApiMessage);
            Assert.Equal("recordInfo", e.Operation);
        }

        [Fact]
        public async Task GetTask_ConnectionFailureExhausted_IsConnectionException()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => throw Reset());
            SeedanceClientOptions options = Options();

            SeedanceException e = ProblemAssert.Is(SeedanceProblem.ConnectionFailed, await Assert.ThrowsAsync<SeedanceException>(() => Client(options, handler).GetTaskAsync("task_1", CancellationToken.None)));

            Assert.Equal(options.ReadRetry.MaxAttempts, handler.Count);
            Assert.Contains("Connection reset by peer", e.Message);
        }

        [Fact]
        public async Task GetTask_HonoursRetryAfter_BeyondTheBudget_GivesUp()
        {
            // Backoff alone would retry within milliseconds; a Retry-After past the 30 s budget must stop at once.
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Status(503, retryAfter: TimeSpan.FromMinutes(10)));

            SeedanceApiException e = await Assert.ThrowsAsync<SeedanceApiException>(() => Client(Options(), handler).GetTaskAsync("task_1", CancellationToken.None));

            Assert.Equal(1, handler.Count);
            Assert.Equal(TimeSpan.FromMinutes(10), e.RetryAfter);
        }

        [Fact]
        public async Task GetTask_HonoursRetryAfter_WithinTheBudget_WaitsThatLong()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => n == 1 ? Status(429, retryAfter: TimeSpan.FromSeconds(1)) : Ok(TaskJson));

            await Client(Options(), handler).GetTaskAsync("task_1", CancellationToken.None);

            // The backoff alone is at most 4 ms here, so any other delay would mean Retry-After was ignored.
            Assert.Equal(2, handler.Count);
            Assert.Equal(new[] { TimeSpan.FromSeconds(1) }, _clock.Delays);
        }

        [Theory]
        [InlineData(400)]
        [InlineData(401)]
        [InlineData(402)]
        [InlineData(403)]
        [InlineData(404)]
        [InlineData(405)]
        [InlineData(408)]
        [InlineData(409)]
        [InlineData(410)]
        [InlineData(422)]
        public async Task GetTask_DoesNotRetryPermanentErrors(int status)
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Status(status, @"{""message"":""task not found""}"));

            SeedanceApiException e = await Assert.ThrowsAsync<SeedanceApiException>(() => Client(Options(), handler).GetTaskAsync("task_gone", CancellationToken.None));

            Assert.Equal(1, handler.Count);
            Assert.Equal((HttpStatusCode)status, e.StatusCode);
            Assert.False(e.IsTransient);
        }

        [Fact]
        public async Task GetTask_UserCancellation_IsNotATimeout()
        {
            using CancellationTokenSource cts = new CancellationTokenSource();
            FakeHttpHandler handler = new FakeHttpHandler(async (_, _, ct) =>
            {
                cts.Cancel();
                await Task.Delay(Timeout.Infinite, ct);
                return Ok(TaskJson);
            });

            Exception e = await Record.ExceptionAsync(() => Client(Options(), handler).GetTaskAsync("task_1", cts.Token));

            Assert.IsAssignableFrom<OperationCanceledException>(e);
            Assert.Equal(1, handler.Count);
        }

        // ---- createTask: retried only where the service certainly did not take it ----

        [Fact]
        public async Task Create_429_IsRetried_WithTheSameBody()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => n == 1
                ? Status(429, @"{""message"":""Concurrency limit reached"",""limit"":3,""current"":3}")
                : Ok(@"{""taskId"":""task_after_429""}"));

            string id = await Client(Options(), handler).CreateTaskAsync(Request(), null, CancellationToken.None);

            Assert.Equal("task_after_429", id);
            Assert.Equal(2, handler.Count);
            Assert.Equal(handler.Requests[0].Body, handler.Requests[1].Body);
        }

        [Fact]
        public async Task Create_429_WaitsForAFreeSlot_AsLongAsItTakes_ByDefault()
        {
            // An hour of a full account: far past any retry budget, and still not a failure.
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => n <= 1800
                ? Status(429, @"{""message"":""Concurrency limit reached (3)"",""limit"":3,""current"":3}")
                : Ok(@"{""taskId"":""task_after_an_hour""}"));

            string id = await Client(Options(), handler).CreateTaskAsync(Request(), null, CancellationToken.None);

            Assert.Equal("task_after_an_hour", id);
            Assert.Equal(1801, handler.Count);
            Assert.True(_clock.Now >= TimeSpan.FromMinutes(30), $"waited {_clock.Now.TotalMinutes} min");
            Assert.All(handler.Requests, r => Assert.Equal(handler.Requests[0].Body, r.Body));
        }

        [Fact]
        public async Task Create_SlotWaitWithoutRetryAfter_IsAFewSecondsWithJitter()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => n <= 200 ? Status(429, @"{""message"":""limit"",""limit"":3,""current"":3}") : Ok(@"{""taskId"":""task_j""}"));

            await Client(Options(), handler).CreateTaskAsync(Request(), null, CancellationToken.None);

            TimeSpan[] delays = _clock.Delays.ToArray();
            Assert.Equal(200, delays.Length);
            Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)));
            Assert.True(delays.Distinct().Count() > 150, "the waits are jittered, not in step");
        }

        [Fact]
        public async Task Create_SlotWait_ARetryAfterOfHours_WaitsAtMostTheMaximumDelay_ThenAsksAgain()
        {
            // A 429 costs nothing, so asking again is safe; a waiting create writes a record on each try, and a create of
            // another machine silent longer than LongestCreateTry is taken as gone (JournalProcesses.OtherHostSilence).
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => n <= 2 ? WithRetryAfterSeconds(Status(429, @"{""message"":""limit"",""limit"":3,""current"":3}"), 7200) : Ok(@"{""taskId"":""task_capped""}"));

            Assert.Equal("task_capped", await Client(Options(), handler).CreateTaskAsync(Request(), null, CancellationToken.None));

            Assert.Equal(new[] { SlotWait.MaximumDelay, SlotWait.MaximumDelay }, _clock.Delays.ToArray());
            Assert.True(SlotWait.MaximumDelay < SeedanceClientOptions.LongestCreateTry);
        }

        [Fact]
        public async Task Create_429Exhausted_AfterTheSlotTimeout_IsRateLimited_NotOutcomeUnknown()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Status(429, @"{""message"":""limit"",""limit"":5,""current"":5}"));
            SlotWait slotWait = new SlotWait { Timeout = TimeSpan.FromSeconds(30) };

            SeedanceApiException e = await Assert.ThrowsAsync<SeedanceApiException>(() => Client(Options(), handler).CreateTaskAsync(Request(), slotWait, CancellationToken.None));

            Assert.Equal("RateLimited", e.ErrorId);
            Assert.Equal(5, e.Limit);
            Assert.Equal("createTask", e.Operation);
            Assert.True(_clock.Now <= TimeSpan.FromSeconds(30), $"waited {_clock.Now.TotalSeconds} s");
            Assert.True(_clock.Now >= TimeSpan.FromSeconds(27), $"gave up early, after {_clock.Now.TotalSeconds} s");
            Assert.InRange(handler.Count, 11, 32);
        }

        [Fact]
        public async Task Create_SlotTimeoutZero_ReportsTheFirst429()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Status(429, @"{""message"":""limit"",""limit"":3,""current"":3}"));

            SeedanceApiException e = await Assert.ThrowsAsync<SeedanceApiException>(() =>
                Client(Options(), handler).CreateTaskAsync(Request(), new SlotWait { Timeout = TimeSpan.Zero }, CancellationToken.None));

            Assert.Equal("RateLimited", e.ErrorId);
            Assert.Equal(1, handler.Count);
        }

        [Fact]
        public async Task Create_RetryAfterPastTheSlotTimeout_GivesUpAtOnce()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => WithRetryAfterSeconds(Status(429, @"{""message"":""limit"",""limit"":3,""current"":3}"), 600));

            await Assert.ThrowsAsync<SeedanceApiException>(() =>
                Client(Options(), handler).CreateTaskAsync(Request(), new SlotWait { Timeout = TimeSpan.FromSeconds(60) }, CancellationToken.None));

            Assert.Equal(1, handler.Count);
            Assert.Empty(_clock.Delays);
        }

        [Fact]
        public async Task Create_SlotWait_ReportsEachWait_WithTheAccountsLimit()
        {
            List<SlotWaitNotice> notices = new List<SlotWaitNotice>();
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => n <= 3
                ? Status(429, @"{""message"":""Concurrency limit reached (3)"",""limit"":3,""current"":3}")
                : Ok(@"{""taskId"":""task_n""}"));

            await Client(Options(), handler).CreateTaskAsync(Request(), new SlotWait { Waiting = notices.Add }, CancellationToken.None);

            Assert.Equal(new[] { 1, 2, 3 }, notices.Select(x => x.WaitNumber));
            Assert.All(notices, x => Assert.Equal(3, x.Limit));
            Assert.All(notices, x => Assert.Equal(3, x.Running));
            Assert.Equal(TimeSpan.Zero, notices[0].WaitedSoFar);
            Assert.Equal(notices[0].Delay, notices[1].WaitedSoFar);
            Assert.Equal(3, _log.Count(line => line.Contains("waiting for a free slot")));
        }

        [Fact]
        public async Task Create_SlotWait_DoesNotSpendTheRetryBudgetOfConnectionFailures()
        {
            // 100 full-account answers, then the connection is refused twice: the two refusals still get their retries.
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => n <= 100
                ? Status(429, @"{""message"":""limit"",""limit"":3,""current"":3}")
                : n <= 102 ? throw Refused() : Ok(@"{""taskId"":""task_mixed""}"));

            string id = await Client(Options(), handler).CreateTaskAsync(Request(), null, CancellationToken.None);

            Assert.Equal("task_mixed", id);
            Assert.Equal(103, handler.Count);
        }

        [Fact]
        public async Task Create_SlotWait_StopsAtOnceWhenCancelled()
        {
            using CancellationTokenSource stop = new CancellationTokenSource();
            FakeHttpHandler handler = new FakeHttpHandler((_, n) =>
            {
                if (n == 5)
                {
                    stop.Cancel();
                }

                return Status(429, @"{""message"":""limit"",""limit"":3,""current"":3}");
            });

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client(Options(), handler).CreateTaskAsync(Request(), null, stop.Token));

            Assert.Equal(5, handler.Count);
        }

        [Fact]
        public async Task Create_StoppedWhileSent_WaitsForItsAnswerWithinTheGrace_AndReturnsThePaidId()
        {
            using CancellationTokenSource stop = new CancellationTokenSource();
            FakeHttpHandler handler = new FakeHttpHandler(async (_, n, requestToken) =>
            {
                stop.Cancel(); // Ctrl+C while the create is on the wire
                await Task.Delay(TimeSpan.FromMilliseconds(200), requestToken);
                return Ok(@"{""taskId"":""task_answered_late""}");
            });
            SeedanceClientOptions options = Options();
            options.CreateStopGrace = TimeSpan.FromSeconds(5);

            string id = await Client(options, handler).CreateTaskAsync(Request(), null, stop.Token);

            Assert.Equal("task_answered_late", id);
            Assert.Equal(1, handler.Count);
        }

        [Fact]
        public async Task Create_StoppedWhileSent_GivesUpAfterTheGrace()
        {
            using CancellationTokenSource stop = new CancellationTokenSource();
            FakeHttpHandler handler = new FakeHttpHandler(async (_, n, requestToken) =>
            {
                stop.Cancel();
                await Task.Delay(TimeSpan.FromSeconds(30), requestToken);
                return Ok(@"{""taskId"":""task_never_heard""}");
            });
            SeedanceClientOptions options = Options();
            options.CreateStopGrace = TimeSpan.FromMilliseconds(50);

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client(options, handler).CreateTaskAsync(Request(), null, stop.Token));
        }

        [Fact]
        public async Task Create_StoppedBeforeSending_SendsNothing()
        {
            using CancellationTokenSource stop = new CancellationTokenSource();
            stop.Cancel();
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => Ok(@"{""taskId"":""task_x""}"));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client(Options(), handler).CreateTaskAsync(Request(), null, stop.Token));

            Assert.Equal(0, handler.Count);
        }

        [Fact]
        public async Task Create_ConnectionRefused_IsRetried()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => n <= 2 ? throw Refused() : Ok(@"{""taskId"":""task_after_refused""}"));

            string id = await Client(Options(), handler).CreateTaskAsync(Request(), null, CancellationToken.None);

            Assert.Equal("task_after_refused", id);
            Assert.Equal(3, handler.Count);
        }

        [Fact]
        public async Task Create_ConnectionRefusedExhausted_SaysTheRequestWasNotSent()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => throw Refused());
            SeedanceClientOptions options = Options();

            SeedanceException e = ProblemAssert.Is(SeedanceProblem.ConnectionNotMade, await Assert.ThrowsAsync<SeedanceException>(() => Client(options, handler).CreateTaskAsync(Request(), null, CancellationToken.None)));

            Assert.Equal(options.CreateRetry.MaxAttempts, handler.Count);
        }

        [Theory]
        [InlineData(500)]
        [InlineData(502)]
        [InlineData(503)]
        public async Task Create_ServerError_IsNotRetried(int status)
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Status(status, @"{""message"":""internal error""}"));

            SeedanceApiException e = await Assert.ThrowsAsync<SeedanceApiException>(() => Client(Options(), handler).CreateTaskAsync(Request(), null, CancellationToken.None));

            Assert.Equal(1, handler.Count);
            Assert.Equal("ServerError", e.ErrorId);
        }

        [Theory]
        [InlineData(400, "InvalidRequest")]
        [InlineData(401, "Unauthorized")]
        [InlineData(402, "InsufficientCredits")]
        [InlineData(403, "Forbidden")]
        public async Task Create_ClientError_IsNotRetried(int status, string errorId)
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Status(status, @"{""message"":""no"",""required"":320,""available"":10}"));

            SeedanceApiException e = await Assert.ThrowsAsync<SeedanceApiException>(() => Client(Options(), handler).CreateTaskAsync(Request(), null, CancellationToken.None));

            Assert.Equal(1, handler.Count);
            Assert.Equal(errorId, e.ErrorId);
        }

        [Fact]
        public async Task Create_Timeout_IsOutcomeUnknown_AndSentOnce()
        {
            FakeHttpHandler handler = new FakeHttpHandler(async (_, _, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return Ok(@"{""taskId"":""never""}");
            });
            CreateTaskRequest request = Request();
            DateTimeOffset before = DateTimeOffset.UtcNow;

            CreateOutcomeUnknownException e = await Assert.ThrowsAsync<CreateOutcomeUnknownException>(
                () => Client(Options(TimeSpan.FromMilliseconds(150)), handler).CreateTaskAsync(request, null, CancellationToken.None));

            Assert.Equal(1, handler.Count);
            Assert.Same(request, e.Request);
            Assert.InRange(e.SentAt, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
            ProblemAssert.Is(SeedanceProblem.RequestTimedOut, e.InnerException);
            Assert.Contains(request.Prompt, e.Message);
            AssertKeyNowhere(e);
        }

        public static IEnumerable<object[]> FailuresAfterSend()
        {
            yield return new object[] { "reset-wrapped" };
            yield return new object[] { "io-bare" };
            yield return new object[] { "http-no-inner" };
        }

        [Theory]
        [MemberData(nameof(FailuresAfterSend))]
        public async Task Create_ConnectionLostAfterSend_IsOutcomeUnknown_AndSentOnce(string kind)
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => kind switch
            {
                "reset-wrapped" => throw Reset(),
                "io-bare" => throw new IOException("Connection reset by peer"),
                _ => throw new HttpRequestException("The response ended prematurely."),
            });
            CreateTaskRequest request = Request();

            CreateOutcomeUnknownException e = await Assert.ThrowsAsync<CreateOutcomeUnknownException>(
                () => Client(Options(), handler).CreateTaskAsync(request, null, CancellationToken.None));

            Assert.Equal(1, handler.Count);
            ProblemAssert.Is(SeedanceProblem.ConnectionFailed, e.InnerException);
            AssertKeyNowhere(e);
        }

        [Theory]
        [InlineData(@"{""code"":200,""message"":""success""}")]
        [InlineData(@"{}")]
        [InlineData(@"{""taskId"":""""}")]
        [InlineData(@"OK")]
        [InlineData(@"")]
        [InlineData("{\"taskId\":\"task_\\u001b[2J\"}")]
        [InlineData("{\"taskId\":\"task_\\u202Eevil\"}")]
        public async Task Create_SuccessWithoutTaskId_IsOutcomeUnknown_AndSentOnce(string body)
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Ok(body));

            CreateOutcomeUnknownException e = await Assert.ThrowsAsync<CreateOutcomeUnknownException>(
                () => Client(Options(), handler).CreateTaskAsync(Request(), null, CancellationToken.None));

            Assert.Equal(1, handler.Count);
            ProblemAssert.Is(SeedanceProblem.InvalidResponse, e.InnerException);
        }

        [Fact]
        public async Task Create_EnvelopedTaskId_IsAccepted()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Ok(@"{""code"":200,""msg"":""success"",""data"":{""taskId"":""task_env""}}"));
            Assert.Equal("task_env", await Client(Options(), handler).CreateTaskAsync(Request(), null, CancellationToken.None));
        }

        // ---- the key stays secret ----

        public static IEnumerable<object[]> FailureScenarios()
        {
            yield return new object[] { "401" };
            yield return new object[] { "500-exhausted" };
            yield return new object[] { "reset-exhausted" };
            yield return new object[] { "refused-exhausted" };
            yield return new object[] { "garbled-exhausted" };
        }

        [Theory]
        [MemberData(nameof(FailureScenarios))]
        public async Task TheKey_NeverAppearsInExceptionsOrLog(string scenario)
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => scenario switch
            {
                "401" => Status(401, @"{""message"":""Invalid or expired API key""}"),
                "500-exhausted" => Status(500, @"{""message"":""internal""}"),
                "reset-exhausted" => throw Reset(),
                "refused-exhausted" => throw Refused(),
                _ => Ok("<html>not json</html>"),
            });
            SeedanceClient client = Client(Options(), handler);

            Exception? read = await Record.ExceptionAsync(() => client.GetTaskAsync("task_1", CancellationToken.None));
            Exception? create = await Record.ExceptionAsync(() => client.CreateTaskAsync(Request(), null, CancellationToken.None));

            Assert.IsAssignableFrom<SeedanceException>(read);
            Assert.IsAssignableFrom<SeedanceException>(create);
            AssertKeyNowhere(read!);
            AssertKeyNowhere(create!);
            Assert.NotEmpty(_log);
        }

        [Fact]
        public void TheKey_IsMaskedWhenFormatted()
        {
            ApiKey key = new ApiKey("  " + Key + " ");
            Assert.Equal("***", key.ToString());
            Assert.DoesNotContain(Key, $"{key}", StringComparison.Ordinal);
            Assert.True(key.IsIn("header: Bearer " + Key));
            Assert.Equal("Bearer ***", key.Redact("Bearer " + Key));
            Assert.Throws<ArgumentException>(() => new ApiKey("   "));
        }
        // ---- every retry of a read is logged with its reason ----

        [Fact]
        public async Task EveryReadRetry_IsLogged_WithItsReason()
        {
            FakeHttpHandler handler = new FakeHttpHandler(async (_, n, ct) =>
            {
                switch (n)
                {
                    case 1:
                        return Status(503, @"{""message"":""maintenance window""}");
                    case 2:
                        throw Reset();
                    case 3:
                        await Task.Delay(Timeout.Infinite, ct);
                        return Ok(TaskJson);
                    case 4:
                        return Ok("<html>proxy page</html>");
                    default:
                        return Ok(TaskJson);
                }
            });
            SeedanceClientOptions options = Options(TimeSpan.FromMilliseconds(200));
            options.ReadRetry = Quick(5);

            SeedanceTask task = await Client(options, handler).GetTaskAsync("task_1", CancellationToken.None);

            Assert.Equal("task_1", task.TaskId);
            Assert.Equal(5, handler.Count);
            string[] retries = _log.Where(line => line.Contains("; retry ")).ToArray();
            Assert.Equal(4, retries.Length);
            Assert.All(retries, line => Assert.StartsWith("recordInfo: ", line));
            Assert.Contains("503 maintenance window", retries[0]);
            Assert.Contains("retry 1 of 4", retries[0]);
            Assert.Contains("Connection reset by peer", retries[1]);
            Assert.Contains("retry 2 of 4", retries[1]);
            Assert.Contains("no answer within", retries[2]);
            Assert.Contains("retry 3 of 4", retries[2]);
            Assert.Contains("not valid JSON", retries[3]);
            Assert.Contains("retry 4 of 4", retries[3]);
        }

        [Fact]
        public async Task CreateRetryAfter429_IsLogged_AndNamesRetryAfter()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => n == 1
                ? Status(429, @"{""message"":""Concurrency limit reached"",""limit"":3,""current"":3}", TimeSpan.Zero)
                : Ok(@"{""taskId"":""task_logged""}"));

            await Client(Options(), handler).CreateTaskAsync(Request(), null, CancellationToken.None);

            string retry = Assert.Single(_log, line => line.Contains("; waiting for a free slot"));
            Assert.StartsWith("createTask: 429 Concurrency limit reached", retry);
            Assert.Contains("(Retry-After)", retry);
        }

        [Fact]
        public async Task AFailureThatIsNotRetried_LogsNoRetry()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Status(404, @"{""message"":""Task not found""}"));

            await Assert.ThrowsAsync<SeedanceApiException>(() => Client(Options(), handler).GetTaskAsync("task_gone", CancellationToken.None));

            Assert.DoesNotContain(_log, line => line.Contains("; retry "));
        }

        // ---- Retry-After: seconds and HTTP date ----

        private static HttpResponseMessage WithRetryAfterDate(HttpResponseMessage response, TimeSpan fromNow)
        {
            // HTTP dates have whole seconds: the delay the client computes is (fromNow - 1 s, fromNow].
            response.Headers.RetryAfter = new RetryConditionHeaderValue(DateTimeOffset.UtcNow + fromNow);
            return response;
        }

        [Fact]
        public async Task GetTask_HonoursRetryAfter_AsAnHttpDate()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => n == 1 ? WithRetryAfterDate(Status(503), TimeSpan.FromSeconds(2)) : Ok(TaskJson));

            await Client(Options(), handler).GetTaskAsync("task_1", CancellationToken.None);

            // Backoff alone is at most 4 ms here: a shorter wait means the date was ignored.
            Assert.Equal(2, handler.Count);
            TimeSpan delay = Assert.Single(_clock.Delays);
            Assert.InRange(delay, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2));
            Assert.Contains(_log, line => line.Contains("(Retry-After)"));
        }

        [Fact]
        public async Task GetTask_RetryAfterDateInThePast_RetriesAtOnce()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => n == 1
                ? WithRetryAfterDate(Status(503), TimeSpan.FromMinutes(-5))
                : Ok(TaskJson));

            await Client(Options(), handler).GetTaskAsync("task_1", CancellationToken.None);

            Assert.Equal(2, handler.Count);
            Assert.True(Assert.Single(_clock.Delays) <= TimeSpan.Zero);
        }

        [Fact]
        public async Task GetTask_RetryAfterDate_BeyondTheBudget_GivesUp()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => WithRetryAfterDate(Status(429), TimeSpan.FromHours(1)));

            SeedanceApiException e = await Assert.ThrowsAsync<SeedanceApiException>(() => Client(Options(), handler).GetTaskAsync("task_1", CancellationToken.None));

            Assert.Equal(1, handler.Count);
            Assert.Equal("RateLimited", e.ErrorId);
            Assert.NotNull(e.RetryAfter);
            Assert.True(e.RetryAfter > TimeSpan.FromMinutes(58));
        }

        [Theory]
        [InlineData("seconds")]
        [InlineData("date")]
        public async Task Create_429_HonoursRetryAfter(string form)
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, n) =>
            {
                if (n > 1)
                {
                    return Ok(@"{""taskId"":""task_waited""}");
                }

                HttpResponseMessage limited = Status(429, @"{""message"":""limit"",""limit"":3,""current"":3}");
                return form == "seconds" ? WithRetryAfterSeconds(limited, 7) : WithRetryAfterDate(limited, TimeSpan.FromSeconds(8));
            });

            string id = await Client(Options(), handler).CreateTaskAsync(Request(), null, CancellationToken.None);

            // The slot wait without Retry-After is at most 3 s, so a longer wait is the header's.
            Assert.Equal("task_waited", id);
            Assert.Equal(2, handler.Count);
            Assert.InRange(Assert.Single(_clock.Delays), TimeSpan.FromSeconds(6.9), TimeSpan.FromSeconds(8));
        }

        private static HttpResponseMessage WithRetryAfterSeconds(HttpResponseMessage response, int seconds)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(seconds));
            return response;
        }

        // ---- reads: bounded by attempts and by total time, with backoff ----

        [Fact]
        public async Task GetTask_TimeoutsExhausted_IsTimeoutException_AfterMaxAttempts()
        {
            FakeHttpHandler handler = new FakeHttpHandler(async (_, _, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return Ok(TaskJson);
            });
            SeedanceClientOptions options = Options(TimeSpan.FromMilliseconds(100));

            ProblemAssert.Is(SeedanceProblem.RequestTimedOut, await Assert.ThrowsAsync<SeedanceException>(() => Client(options, handler).GetTaskAsync("task_1", CancellationToken.None)));

            Assert.Equal(options.ReadRetry.MaxAttempts, handler.Count);
        }

        [Fact]
        public async Task GetTask_TotalTimeBound_StopsBeforeTheAttemptsRunOut()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Status(500));
            SeedanceClientOptions options = Options();
            options.ReadRetry = new RetryPolicy
            {
                MaxAttempts = 100,
                BaseDelay = TimeSpan.FromSeconds(10),
                MaxDelay = TimeSpan.FromSeconds(10),
                MaxTotalTime = TimeSpan.FromSeconds(60),
            };

            SeedanceApiException e = await Assert.ThrowsAsync<SeedanceApiException>(() => Client(options, handler).GetTaskAsync("task_1", CancellationToken.None));

            // Each wait is 5-10 s, so 60 s allow 6 to 12 retries: far fewer than 100, and never past the bound.
            Assert.Equal("ServerError", e.ErrorId);
            Assert.InRange(handler.Count, 7, 13);
            Assert.True(_clock.Now <= TimeSpan.FromSeconds(60), $"waited {_clock.Now.TotalSeconds} s");
        }

        [Fact]
        public async Task GetTask_WaitsABackoffBetweenAttempts()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => n <= 3 ? Status(502) : Ok(TaskJson));
            SeedanceClientOptions options = Options();
            options.ReadRetry = new RetryPolicy
            {
                MaxAttempts = 5,
                BaseDelay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(10),
                MaxTotalTime = TimeSpan.FromSeconds(30),
            };

            await Client(options, handler).GetTaskAsync("task_1", CancellationToken.None);

            // Retry n waits 50-100 % of 1 s x 2^(n-1).
            TimeSpan[] delays = _clock.Delays.ToArray();
            Assert.Equal(4, handler.Count);
            Assert.Equal(3, delays.Length);
            Assert.InRange(delays[0], TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1));
            Assert.InRange(delays[1], TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
            Assert.InRange(delays[2], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4));
        }

        // ---- the key never appears in an exception built from a response body ----

        public static IEnumerable<object[]> EchoingBodies()
        {
            // The service (or a proxy in front of it) echoes the request, Authorization header included.
            yield return new object[] { 401, @"{""message"":""Invalid API key: Bearer " + Key + @"""}", true };
            yield return new object[] { 400, @"{""message"":""bad request"",""echo"":{""authorization"":""Bearer " + Key + @"""}}", false };
            yield return new object[] { 400, @"{""echo"":{""authorization"":""Bearer " + Key + @"""}}", true };
            yield return new object[] { 403, "<html><body>Forbidden for key " + Key + "</body></html>", true };
            yield return new object[] { 402, @"{""msg"":""key " + Key + @" has no credits"",""required"":320,""available"":0}", true };
            // JSON escapes hide the key from a plain text search of the raw body.
            yield return new object[] { 401, @"{""message"":""bad key " + Key.Replace("-", "\\u002d") + @"""}", true };
            yield return new object[] { 500, @"{""message"":""upstream said: " + Key + @" was rejected""}", true };
        }

        [Theory]
        [MemberData(nameof(EchoingBodies))]
        public async Task ErrorBody_EchoingTheKey_IsRedacted_InReadsAndCreates(int status, string body, bool keyInMessage)
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Status(status, body));
            SeedanceClient client = Client(Options(), handler);

            SeedanceApiException read = await Assert.ThrowsAsync<SeedanceApiException>(() => client.GetTaskAsync("task_1", CancellationToken.None));
            SeedanceApiException create = await Assert.ThrowsAsync<SeedanceApiException>(() => client.CreateTaskAsync(Request(), null, CancellationToken.None));

            foreach (SeedanceApiException e in new[] { read, create })
            {
                AssertKeyNowhere(e);
                Assert.DoesNotContain(Key, e.ApiMessage, StringComparison.Ordinal);
                if (keyInMessage)
                {
                    Assert.Contains("***", e.ApiMessage);
                }

                Assert.Equal((HttpStatusCode)status, e.StatusCode);
            }
        }

        [Fact]
        public void FromResponse_WithKey_RedactsBeforeTruncating()
        {
            // The key sits across the 500-character cut: redacting after cutting would leave a prefix of it.
            string body = new string('x', 480) + Key + new string('y', 100);
            SeedanceApiException e = SeedanceApiException.FromResponse(HttpStatusCode.Unauthorized, body, "recordInfo", new ApiKey(Key));

            Assert.DoesNotContain(Key.Substring(0, 12), e.ApiMessage, StringComparison.Ordinal);
            Assert.DoesNotContain(Key.Substring(0, 12), e.Message, StringComparison.Ordinal);
        }
    }
}
