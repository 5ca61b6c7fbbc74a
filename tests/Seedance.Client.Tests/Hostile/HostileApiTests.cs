using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Seedance.Client.Models;
using Seedance.HostileServer;
using Xunit;

namespace Seedance.Client.Tests.Hostile
{
    /// <summary>
    /// SeedanceClient, with the real HTTP clients of SeedanceHttp, against the hostile server: answers that are too
    /// big, endless or gzip bombs; an answer about another task; the key echoed in 200 bodies; control sequences.
    /// </summary>
    public sealed class HostileApiTests : IDisposable
    {
        private const string Key = "sk-hostile-api-0123456789abcdef";

        private readonly HostileServer.HostileServer _server = HostileServer.HostileServer.Start();

        public void Dispose() => _server.Dispose();

        private SeedanceClient Client(long maxResponseBytes = 4L * 1024 * 1024) =>
            RealHttp.Client(new SeedanceClientOptions(new Uri(_server.BaseUri + "/api/v1"), new ApiKey(Key))
            {
                RequestTimeout = TimeSpan.FromSeconds(10),
                MaxResponseBytes = maxResponseBytes,
                ReadRetry = new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) },
                CreateRetry = new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(2) },
            });

        private static HostileRule RecordInfo(string body, int status = 200) =>
            new HostileRule { Path = "/api/v1/jobs/recordInfo", Status = status, Body = body };

        private int RecordInfoRequests => _server.Requests.Count(r => r.Path == "/api/v1/jobs/recordInfo");

        [Theory]
        [InlineData("declared", false, false)]
        [InlineData("chunked", true, false)]
        [InlineData("close-delimited", true, true)]
        public async Task AnAnswerOverTheCap_IsResponseTooLarge_AskedOnce(string how, bool endless, bool noLength)
        {
            HostileRule rule = RecordInfo("{\"taskId\":\"{taskId}\",\"pad\":\"");
            rule.BodyBytes = endless ? 0 : 2 * 1024 * 1024;
            rule.Endless = endless;
            rule.FillByte = 'a';
            rule.Length = noLength ? "none" : "auto";
            _server.SetRules(rule);

            SeedanceException e = ProblemAssert.Is(SeedanceProblem.ResponseTooLarge, await Assert.ThrowsAsync<SeedanceException>(() => Client(maxResponseBytes: 1024 * 1024).GetTaskAsync("task_1", CancellationToken.None)));

            Assert.StartsWith("Seedance recordInfo answered", e.Message);
            Assert.Equal(1, RecordInfoRequests);
            Assert.True(how.Length > 0);
        }

        [Fact]
        public async Task ADeclaredLengthOverTheCap_IsRefusedBeforeReading()
        {
            // Claims 5 GB, sends one byte and hangs up: only the header can tell, so it must be believed and refused.
            _server.SetRules(new HostileRule { Path = "/api/v1/jobs/recordInfo", Body = "{", Length = "5000000000", CutAfter = 1 });

            SeedanceException e = ProblemAssert.Is(SeedanceProblem.ResponseTooLarge, await Assert.ThrowsAsync<SeedanceException>(() => Client().GetTaskAsync("task_1", CancellationToken.None)));

            Assert.Contains("declared 5,000,000,000 bytes", e.Message);
            Assert.Equal(1, RecordInfoRequests);
        }

        [Fact]
        public async Task AGzipBomb_IsStoppedAfterDecompression()
        {
            HostileRule rule = RecordInfo("{\"taskId\":\"{taskId}\",\"pad\":\"");
            rule.BodyBytes = 64 * 1024 * 1024;
            rule.FillByte = 'a';
            rule.Gzip = true;
            _server.SetRules(rule);

            SeedanceException e = ProblemAssert.Is(SeedanceProblem.ResponseTooLarge, await Assert.ThrowsAsync<SeedanceException>(() => Client().GetTaskAsync("task_1", CancellationToken.None)));

            Assert.Contains("after decompression", e.Message);
            Assert.Equal(1, RecordInfoRequests);
        }

        [Fact]
        public async Task AGzippedAnswerUnderTheCap_IsRead()
        {
            HostileRule rule = RecordInfo("{\"taskId\":\"{taskId}\",\"status\":\"waiting\",\"pad\":\"" + new string('a', 100_000) + "\"}");
            rule.Gzip = true;
            _server.SetRules(rule);

            SeedanceTask task = await Client().GetTaskAsync("task_1", CancellationToken.None);

            Assert.Equal("task_1", task.TaskId);
            Assert.Equal("gzip, deflate", _server.Requests[0].Header("Accept-Encoding"));
        }

        [Fact]
        public async Task ACreateWhoseAnswerIsTooLarge_IsCreateOutcomeUnknown_SentOnce()
        {
            _server.SetRules(new HostileRule { Path = "/api/v1/jobs/createTask", Body = "{\"taskId\":\"task_1\",\"pad\":\"", Endless = true, FillByte = 'a' });

            await Assert.ThrowsAsync<CreateOutcomeUnknownException>(() =>
                Client().CreateTaskAsync(new CreateTaskRequest { Prompt = "a fox" }, null, CancellationToken.None));

            Assert.Single(_server.Requests);
        }

        [Fact]
        public async Task AnAnswerAboutAnotherTask_IsTaskIdMismatch()
        {
            _server.SetRules(RecordInfo("{\"taskId\":\"task_other\",\"status\":\"success\"}"));

            SeedanceException e = await ProblemAssert.ThrowsAsync(SeedanceProblem.TaskIdMismatch, () => Client().GetTaskAsync(" task_mine ", CancellationToken.None));

            Assert.Contains("Asked the service for task 'task_mine' but it answered with task 'task_other'", e.Message);
        }

        [Fact]
        public async Task TheKeyEchoedInA200Body_IsMaskedInEveryFieldAndEncoding()
        {
            _server.SetRules(RecordInfo(
                "{\"taskId\":\"{taskId}\",\"status\":\"fail\",\"error\":{\"code\":\"{key:upper}\",\"message\":\"denied for Bearer {key}\"}," +
                "\"output\":[{\"url\":\"{base}/files/v.mp4\"}],\"debug\":\"{key:json}\"}"));

            SeedanceTask task = await Client().GetTaskAsync("task_1", CancellationToken.None);

            Assert.Equal("denied for Bearer ***", task.Error!.Message);
            Assert.Equal("***", task.Error.Code);
            Assert.Equal("***", task.AdditionalFields["debug"]);
        }

        [Theory]
        [InlineData("{\"url\":\"{base}/files/v.mp4?sig={key:url}\"}", "output[0].url")]
        [InlineData("{\"url\":\"{base}/files/v.mp4\",\"lastFrameImage\":\"{base}/f/{key}.png\"}", "output[0].lastFrameImage")]
        [InlineData("{\"url\":\"{base}/files/v.mp4\",\"lastFrameImage\":\"/home/ann/cat.png\"}", "output[0].lastFrameImage")]
        public async Task AUrlFieldCarryingTheKey_OrNotAWebUrl_IsUnsafeServiceUrl_ForThatTask(string item, string field)
        {
            _server.SetRules(RecordInfo("{\"taskId\":\"{taskId}\",\"status\":\"success\",\"output\":[" + item + "]}"));

            SeedanceException e = await ProblemAssert.ThrowsAsync(SeedanceProblem.UnsafeServiceUrl, () => Client().GetTaskAsync("task_1", CancellationToken.None));

            Assert.Contains($"answer: '{field}'", e.Message);
            Assert.DoesNotContain("sk-", e.Message);
        }

        [Fact]
        public async Task ControlSequencesInA200Body_AreRemovedFromEveryString_TheIdKept()
        {
            _server.SetRules(RecordInfo(
                "{\"taskId\":\"{taskId}\",\"status\":\"fail\\u001b[8m\",\"model\":\"seedance-20\\u009b2J\",\"error\":\"\\u001b]0;title\\u0007gone \\u202eevil\",\"x\\u001b[1m\":1e300}"));

            SeedanceTask task = await Client().GetTaskAsync("task_1", CancellationToken.None);

            Assert.Equal("fail", task.StatusText);
            Assert.Equal(SeedanceTaskStatus.Fail, task.Status);
            Assert.Equal("seedance-20", task.Model);
            Assert.Equal("gone evil", task.Error!.Message);
            Assert.Equal(1e300, task.AdditionalFields["x"]);
        }

        [Fact]
        public async Task AnErrorBodyWithRawEscapes_IsClean_AndCutAtTheCap()
        {
            _server.SetRules(RecordInfo("\u001b[31mno\u001b]8;;http://evil\u0007 link\u001b\\" + new string('z', 200), status: 403));

            SeedanceApiException e = await Assert.ThrowsAsync<SeedanceApiException>(() => Client(maxResponseBytes: 100).GetTaskAsync("task_1", CancellationToken.None));

            Assert.StartsWith("no link", e.ApiMessage);
            Assert.DoesNotContain('\u001b', e.Message);
        }

        [Fact]
        public async Task NumbersOutOfRange_AreNull_NotAnOverflow()
        {
            _server.SetRules(RecordInfo(
                "{\"taskId\":\"{taskId}\",\"status\":\"success\",\"creditsUsed\":1e30,\"output\":[{\"url\":\"https://static.example/v.mp4\",\"width\":1e11,\"height\":-5}]," +
                "\"createTime\":9e18,\"completeTime\":1e300,\"updateTime\":9223372036854775807000}"));

            SeedanceTask task = await Client().GetTaskAsync("task_1", CancellationToken.None);

            Assert.Null(task.Videos[0].Width);
            Assert.Null(task.Videos[0].Height);
            Assert.Null(task.CreatedAt);
            Assert.Null(task.CompletedAt);
            Assert.Null(task.UpdatedAt);
            Assert.Null(task.CreditsUsed);
        }

        [Fact]
        public async Task A429WithALimitOf1e11_IsRateLimited_WithoutLimit()
        {
            HostileRule rule = RecordInfo("{\"message\":\"Concurrency limit reached\",\"limit\":1e11,\"current\":99999999999}", status: 429);
            rule.Headers["Retry-After"] = "0";
            _server.SetRules(rule);

            SeedanceApiException e = await Assert.ThrowsAsync<SeedanceApiException>(() => Client().GetTaskAsync("task_1", CancellationToken.None));

            Assert.Equal("RateLimited", e.ErrorId);
            Assert.Null(e.Limit);
            Assert.Null(e.Current);
        }

        [Fact]
        public async Task A5xxToACreate_SaysTheTaskMayExistAndBeBilled()
        {
            _server.SetRules(new HostileRule { Path = "/api/v1/jobs/createTask", Status = 503, Body = "{\"message\":\"busy\"}" });

            SeedanceApiException e = await Assert.ThrowsAsync<SeedanceApiException>(() =>
                Client().CreateTaskAsync(new CreateTaskRequest { Prompt = "a fox" }, null, CancellationToken.None));

            Assert.Contains("may already exist and be billed", e.Message);
            Assert.Single(_server.Requests);
        }

        [Fact]
        public async Task AKeyThatCannotBeAHeader_IsInvalidApiKey_BeforeAnyRequest()
        {
            SeedanceClient client = RealHttp.Client(new SeedanceClientOptions(new Uri(_server.BaseUri + "/api/v1"), new ApiKey("sk-ünïcode-0123456789")));

            await ProblemAssert.ThrowsAsync(SeedanceProblem.InvalidApiKey, () => client.GetTaskAsync("task_1", CancellationToken.None));

            Assert.Empty(_server.Requests);
        }
    }
}
