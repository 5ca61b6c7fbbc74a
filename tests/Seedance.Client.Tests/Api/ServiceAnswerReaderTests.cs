using System;
using System.Collections.Generic;
using System.Text.Json;
using Seedance.Client.Files;
using Seedance.Client.Json;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>How the gate of every service answer reads a task and a create's answer (leniently, field by field).</summary>
    public class ServiceAnswerReaderTests
    {
        private static readonly ServiceAnswerReader Reader = new ServiceAnswerReader(null);

        private static SeedanceTask Read(string json) => Reader.ReadTask(json, "recordInfo");

        // 2023-11-14T22:13:20Z and the same instant plus 3 min 45.5 s.
        private static readonly DateTimeOffset Created = new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero);
        private static readonly DateTimeOffset Completed = new DateTimeOffset(2023, 11, 14, 22, 17, 5, 500, TimeSpan.Zero);

        private const string SuccessTask = @"{
            ""taskId"": ""task_abc123"",
            ""model"": ""seedance-20"",
            ""status"": ""success"",
            ""creditsUsed"": 320,
            ""output"": [ { ""url"": ""https://static.example/v/abc.mp4"", ""width"": 1280, ""height"": 720, ""mediaType"": ""video/mp4"" } ],
            ""error"": null,
            ""createTime"": 1700000000000,
            ""completeTime"": 1700000225500,
            ""updateTime"": 1700000225500
        }";

        [Fact]
        public void FlatSuccessTask_IsReadCompletely()
        {
            SeedanceTask task = Read(SuccessTask);

            Assert.Equal("task_abc123", task.TaskId);
            Assert.Equal("seedance-20", task.Model);
            Assert.Equal(SeedanceTaskStatus.Success, task.Status);
            Assert.Equal("success", task.StatusText);
            Assert.True(task.IsFinished);
            Assert.Equal(320m, task.CreditsUsed);
            Assert.Null(task.Error);
            SeedanceVideo video = Assert.Single(task.Videos);
            Assert.Equal("https://static.example/v/abc.mp4", video.Url);
            Assert.Equal(1280, video.Width);
            Assert.Equal(720, video.Height);
            Assert.Equal("video/mp4", video.MediaType);
            Assert.Equal(Created, task.CreatedAt);
            Assert.Equal(Completed, task.CompletedAt);
            Assert.Equal(Completed, task.UpdatedAt);
            Assert.Empty(task.AdditionalFields);
        }

        [Fact]
        public void ErrorAsString_HasNoCode()
        {
            SeedanceTask task = Read(@"{""taskId"":""t1"",""status"":""fail"",""error"":""Task execution failed"",""completeTime"":null}");

            Assert.Equal(SeedanceTaskStatus.Fail, task.Status);
            Assert.True(task.IsFinished);
            Assert.NotNull(task.Error);
            Assert.Null(task.Error!.Code);
            Assert.Equal("Task execution failed", task.Error.Message);
            Assert.Null(task.CompletedAt);
        }

        [Theory]
        [InlineData(@"{""code"":""2038"",""message"":""input text violates platform rules""}", "2038", "input text violates platform rules")]
        [InlineData(@"{""code"":2038,""message"":""input text violates platform rules""}", "2038", "input text violates platform rules")]
        [InlineData(@"{""code"":""asset_review_failed"",""message"":""review failed""}", "asset_review_failed", "review failed")]
        [InlineData(@"{""code"":""InvalidParameter"",""msg"":""bad ratio""}", "InvalidParameter", "bad ratio")]
        public void ErrorAsObject_KeepsCodeAndMessage(string errorJson, string code, string message)
        {
            SeedanceTask task = Read(@"{""taskId"":""t1"",""status"":""fail"",""error"":" + errorJson + "}");

            Assert.NotNull(task.Error);
            Assert.Equal(code, task.Error!.Code);
            Assert.Equal(message, task.Error.Message);
            Assert.Contains(code, task.Error.ToString());
            Assert.Contains(message, task.Error.ToString());
        }

        [Theory]
        [InlineData(@"{""taskId"":""t1"",""status"":""generating"",""error"":null}")]
        [InlineData(@"{""taskId"":""t1"",""status"":""generating""}")]
        [InlineData(@"{""taskId"":""t1"",""status"":""generating"",""error"":""""}")]
        public void NullMissingOrEmptyError_IsNoError(string json)
        {
            Assert.Null(Read(json).Error);
        }

        [Theory]
        [InlineData("status", "waiting", SeedanceTaskStatus.Waiting)]
        [InlineData("status", "generating", SeedanceTaskStatus.Generating)]
        [InlineData("status", "success", SeedanceTaskStatus.Success)]
        [InlineData("status", "fail", SeedanceTaskStatus.Fail)]
        [InlineData("state", "waiting", SeedanceTaskStatus.Waiting)]
        [InlineData("state", "generating", SeedanceTaskStatus.Generating)]
        [InlineData("state", "success", SeedanceTaskStatus.Success)]
        [InlineData("state", "fail", SeedanceTaskStatus.Fail)]
        [InlineData("status", "SUCCESS", SeedanceTaskStatus.Success)]
        public void StatusOrState_IsRead(string field, string value, string expected)
        {
            SeedanceTask task = Read($@"{{""taskId"":""t1"",""{field}"":""{value}""}}");

            Assert.Equal(expected, task.Status);
            Assert.Equal(value, task.StatusText);
            Assert.Equal(expected == SeedanceTaskStatus.Success || expected == SeedanceTaskStatus.Fail, task.IsFinished);
        }

        [Fact]
        public void StatusWinsOverState_WhenBothAreSent()
        {
            SeedanceTask task = Read(@"{""taskId"":""t1"",""status"":""success"",""state"":""generating""}");
            Assert.Equal(SeedanceTaskStatus.Success, task.Status);
        }

        [Fact]
        public void UnknownStatus_IsKeptAndNotFinished()
        {
            SeedanceTask task = Read(@"{""taskId"":""t1"",""status"":""queued_for_review""}");

            Assert.Equal(SeedanceTaskStatus.Unknown, task.Status);
            Assert.Equal("queued_for_review", task.StatusText);
            Assert.False(task.IsFinished);
        }

        [Fact]
        public void MissingStatus_IsUnknownWithNoText()
        {
            SeedanceTask task = Read(@"{""taskId"":""t1""}");

            Assert.Equal(SeedanceTaskStatus.Unknown, task.Status);
            Assert.Null(task.StatusText);
            Assert.False(task.IsFinished);
        }

        [Fact]
        public void UnknownFields_AreKeptAsPlainValues()
        {
            SeedanceTask task = Read(@"{""taskId"":""t1"",""status"":""success"",""seed"":12345,""param"":{""ratio"":""16:9"",""tags"":[1,2.5]},""note"":""hi"",""flag"":true,""gone"":null}");

            Assert.Equal(5, task.AdditionalFields.Count);
            Assert.Equal(12345L, task.AdditionalFields["seed"]);
            Assert.Equal("hi", task.AdditionalFields["note"]);
            Assert.Equal(true, task.AdditionalFields["flag"]);
            Assert.Null(task.AdditionalFields["gone"]);
            IDictionary<string, object?> param = Assert.IsAssignableFrom<IDictionary<string, object?>>(task.AdditionalFields["param"]);
            Assert.Equal("16:9", param["ratio"]);
            Assert.Equal(new object[] { 1L, 2.5m }, Assert.IsType<object[]>(param["tags"]));
            Assert.False(task.AdditionalFields.ContainsKey("taskId"));
            Assert.False(task.AdditionalFields.ContainsKey("status"));
        }

        [Fact]
        public void UnknownFields_AsText_AreNameValuePairs()
        {
            SeedanceTask task = Read(@"{""taskId"":""t1"",""region"":""emulator"",""progress"":100,""param"":{""a"":[1,""b""]}}");

            // What Export-Csv writes in the AdditionalFields cell: values, with only nested ones as compact JSON.
            Assert.Equal("region=emulator; progress=100; param={\"a\":[1,\"b\"]}", task.AdditionalFields.ToString());
        }

        [Fact]
        public void VideoItem_KeepsSeedLastFrameAndEveryOtherField()
        {
            SeedanceTask task = Read(@"{""taskId"":""t1"",""status"":""success"",""output"":[{""url"":""https://s.example/v.mp4"",""width"":1280,""height"":720,""mediaType"":""video/mp4"",""seed"":3000000001,""lastFrameImage"":""https://s.example/v_last.png"",""fps"":24}]}");

            SeedanceVideo video = Assert.Single(task.Videos);
            Assert.Equal(3000000001L, video.Seed);
            Assert.Equal("https://s.example/v_last.png", video.LastFrameImage);
            Assert.NotNull(video.AdditionalFields);
            Assert.Equal(24L, video.AdditionalFields!["fps"]);
            Assert.Single(video.AdditionalFields);

            // The first video's fields are flat on the task too, for Export-Csv.
            Assert.Equal("https://s.example/v.mp4", task.VideoUrl);
            Assert.Equal(1280, task.Width);
            Assert.Equal(720, task.Height);
            Assert.Equal(3000000001L, task.Seed);
            Assert.Equal("https://s.example/v_last.png", task.LastFrameImage);
            Assert.Equal("https://s.example/v.mp4", task.Videos.ToString());
        }

        [Fact]
        public void VideoItem_WithoutExtras_HasNoAdditionalFields_AndASeedThatIsNotWholeIsKeptAsSent()
        {
            SeedanceTask plain = Read(@"{""taskId"":""t1"",""output"":[{""url"":""https://s.example/v.mp4""}]}");
            Assert.Null(plain.Videos[0].AdditionalFields);
            Assert.Null(plain.Videos[0].Seed);
            Assert.Null(plain.Videos[0].LastFrameImage);

            SeedanceTask odd = Read(@"{""taskId"":""t1"",""output"":[{""url"":""https://s.example/v.mp4"",""seed"":""random""}]}");
            Assert.Null(odd.Videos[0].Seed);
            Assert.Equal("random", odd.Videos[0].AdditionalFields!["seed"]);
        }

        [Fact]
        public void Error_IsFlatOnTheTask()
        {
            SeedanceTask task = Read(@"{""taskId"":""t1"",""status"":""fail"",""error"":{""code"":2038,""message"":""Input text violates platform rules""}}");

            Assert.Equal("2038", task.ErrorCode);
            Assert.Equal("Input text violates platform rules", task.ErrorMessage);
            Assert.Null(task.VideoUrl);
        }

        [Fact]
        public void OutputItems_AsObjectsAndBareStrings()
        {
            SeedanceTask task = Read(@"{""taskId"":""t1"",""status"":""success"",""output"":[
                {""url"":""https://static.example/1.mp4"",""width"":""1920"",""height"":1080.0,""seed"":7,""lastFrameImage"":""https://static.example/1.png""},
                ""https://static.example/2.mp4"",
                {""width"":10},
                null
            ]}");

            Assert.Equal(2, task.Videos.Count);
            Assert.Equal("https://static.example/1.mp4", task.Videos[0].Url);
            Assert.Equal(1920, task.Videos[0].Width);
            Assert.Equal(1080, task.Videos[0].Height);
            Assert.Null(task.Videos[0].MediaType);
            Assert.Equal("https://static.example/2.mp4", task.Videos[1].Url);
            Assert.Null(task.Videos[1].Width);
            Assert.Null(task.Videos[1].Height);
            Assert.Null(task.Videos[1].MediaType);
        }

        [Theory]
        [InlineData(@"null")]
        [InlineData(@"[]")]
        [InlineData(@"""not an array""")]
        public void NoUsableOutput_IsEmpty(string output)
        {
            Assert.Empty(Read(@"{""taskId"":""t1"",""status"":""generating"",""output"":" + output + "}").Videos);
        }

        [Theory]
        [InlineData("12.5", "12.5")]
        [InlineData("\"12.5\"", "12.5")]
        [InlineData("\"200\"", "200")]
        [InlineData("0", "0")]
        [InlineData("0.25", "0.25")]
        public void CreditsUsed_FractionalOrString(string json, string expected)
        {
            SeedanceTask task = Read(@"{""taskId"":""t1"",""creditsUsed"":" + json + "}");
            Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), task.CreditsUsed);
        }

        [Fact]
        public void AnAnswerNested200Deep_IsSaidToBeTooDeep_NotNotJson()
        {
            string deep = @"{""taskId"":""t1"",""x"":" + new string('[', 200) + new string(']', 200) + "}";

            SeedanceException e = ProblemAssert.Is(SeedanceProblem.InvalidResponse, Assert.Throws<SeedanceException>(() => Read(deep)));
            Assert.Contains("nested more than 64 levels deep", e.Message);
            Assert.DoesNotContain("not valid JSON", e.Message);
            Assert.Contains("not valid JSON", Assert.Throws<SeedanceException>(() => Read("{\"taskId\":")).Message);
        }

        [Theory]
        [InlineData("null")]
        [InlineData("\"n/a\"")]
        [InlineData("-5")]
        [InlineData("\"-0.5\"")]
        [InlineData("1e15")]
        public void CreditsUsed_Unreadable_IsNull(string json)
        {
            Assert.Null(Read(@"{""taskId"":""t1"",""creditsUsed"":" + json + "}").CreditsUsed);
        }

        [Fact]
        public void EpochMilliseconds_AsStrings_AreRead()
        {
            SeedanceTask task = Read(@"{""taskId"":""t1"",""createTime"":""1700000000000"",""completeTime"":null}");
            Assert.Equal(Created, task.CreatedAt);
            Assert.Null(task.CompletedAt);
            Assert.Null(task.UpdatedAt);
        }

        [Fact]
        public void WebhookEnvelope_IsUnwrapped()
        {
            SeedanceTask task = Read(@"{""code"":200,""message"":""success"",""data"":{
                ""taskId"":""task_hook"",""state"":""success"",""creditsUsed"":200,
                ""output"":[{""url"":""https://static.example/h.mp4"",""width"":720,""height"":1280}],
                ""createTime"":1700000000000}}");

            Assert.Equal("task_hook", task.TaskId);
            Assert.Equal(SeedanceTaskStatus.Success, task.Status);
            Assert.Equal(200m, task.CreditsUsed);
            Assert.Equal("https://static.example/h.mp4", Assert.Single(task.Videos).Url);
            Assert.Equal(Created, task.CreatedAt);
            Assert.False(task.AdditionalFields.ContainsKey("code"));
            Assert.False(task.AdditionalFields.ContainsKey("data"));
        }

        [Fact]
        public void WebhookEnvelope_WithStatusField_IsUnwrapped()
        {
            SeedanceTask task = Read(@"{""code"":200,""message"":""success"",""data"":{""taskId"":""task_hook"",""status"":""fail"",""error"":{""code"":""500"",""message"":""generic""}}}");

            Assert.Equal(SeedanceTaskStatus.Fail, task.Status);
            Assert.Equal("500", task.Error!.Code);
        }

        [Theory]
        [InlineData("")]
        [InlineData("not json")]
        [InlineData("{\"taskId\":")]
        [InlineData("<html><body>502 Bad Gateway</body></html>")]
        [InlineData(@"{""taskId"":""task_1"",""status"":""su\ud83dccess""}")] // half a surrogate pair: the parser takes it, reading the string throws
        [InlineData(@"{""taskId"":""task_1"",""status"":""success"",""extra"":[{""\udc00"":1}]}")] // ... also in a name, deep in a field nobody reads
        public void MalformedJson_IsProtocolError(string body)
        {
            SeedanceException e = ProblemAssert.Is(SeedanceProblem.InvalidResponse, Assert.Throws<SeedanceException>(() => Read(body)));
            Assert.IsAssignableFrom<JsonException>(e.InnerException);
        }

        [Theory]
        [InlineData(@"{""status"":""success""}")]
        [InlineData(@"{""taskId"":"""",""status"":""success""}")]
        [InlineData(@"{""taskId"":null}")]
        [InlineData(@"{""code"":200,""data"":{""status"":""success""}}")]
        [InlineData(@"[{""taskId"":""t1""}]")]
        [InlineData(@"""task_1""")]
        public void MissingTaskId_IsProtocolError(string body)
        {
            ProblemAssert.Is(SeedanceProblem.InvalidResponse, Assert.Throws<SeedanceException>(() => Read(body)));
        }

        [Fact]
        public void CreateAnswer_WithHalfASurrogatePair_IsProtocolError_NotAnEscapingException()
        {
            ProblemAssert.Is(SeedanceProblem.InvalidResponse, Assert.Throws<SeedanceException>(() => Reader.ReadCreatedTaskId(@"{""taskId"":""task_\ud83d""}")));
        }

        [Theory]
        [InlineData(@"{""taskId"":""task_new1""}", "task_new1")]
        [InlineData(@"{""code"":200,""msg"":""success"",""data"":{""taskId"":""task_new2""}}", "task_new2")]
        public void ParseCreatedTaskId_ReadsFlatAndEnveloped(string body, string expected)
        {
            Assert.Equal(expected, Reader.ReadCreatedTaskId(body));
        }

        [Theory]
        [InlineData(@"{}")]
        [InlineData(@"{""taskId"":""""}")]
        [InlineData(@"{""data"":{}}")]
        [InlineData(@"{""data"":null}")]
        [InlineData(@"[]")]
        [InlineData(@"ok")]
        [InlineData(@"")]
        public void ParseCreatedTaskId_WithoutId_IsProtocolError(string body)
        {
            ProblemAssert.Is(SeedanceProblem.InvalidResponse, Assert.Throws<SeedanceException>(() => Reader.ReadCreatedTaskId(body)));
        }

        [Theory]
        [InlineData("{\"taskId\":\"task_\\u001b[31mred\"}", "control character")]
        [InlineData("{\"taskId\":\"task_\\u202Eevil\"}", "invisible formatting character")]
        [InlineData("{\"taskId\":\"   \"}", "it is empty")]
        public void ATaskIdThatIsNoId_IsProtocolError_BeforeItIsJournaledOrShown(string body, string why)
        {
            SeedanceException created = ProblemAssert.Is(SeedanceProblem.InvalidResponse, Assert.Throws<SeedanceException>(() => Reader.ReadCreatedTaskId(body)));
            Assert.Contains(why, created.Message, System.StringComparison.Ordinal);
        }

        [Fact]
        public void ATaskIdLongerThanAFileName_IsProtocolError()
        {
            string body = "{\"taskId\":\"task_" + new string('a', TaskFileName.MaxIdBytes) + "\"}";
            ProblemAssert.Is(SeedanceProblem.InvalidResponse, Assert.Throws<SeedanceException>(() => Reader.ReadCreatedTaskId(body)));
            Assert.Equal("task_../x", Reader.ReadCreatedTaskId("{\"taskId\":\"task_../x\"}")); // the service's id space; Save refuses it as a file name
        }
    }
}
