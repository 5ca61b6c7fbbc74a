using System;
using Seedance.Client.Http;
using Seedance.Client.Json;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests.Hostile
{
    /// <summary>
    /// The one gate every service answer passes (status, create, upload, webhook): URL fields checked as they arrive,
    /// control characters out, the key masked in text, a size cap. The upload answer's cases run through the uploader
    /// in MaterialUploaderTests; the status answer's through a real pwsh in tests/pester/HostileResponses.Tests.ps1.
    /// </summary>
    public sealed class ServiceAnswerGateTests
    {
        private const string Key = "sk-live-GATE-SECRET-31337";

        private static readonly ServiceAnswerReader Reader = new ServiceAnswerReader(new ApiKey(Key));

        private static string Task(string videoItem) =>
            "{\"taskId\":\"t1\",\"status\":\"success\",\"output\":[" + videoItem + "]}";

        [Theory]
        [InlineData("{\"url\":\"https://cdn.example/v.mp4\",\"lastFrameImage\":\"/home/ann/cat.png\"}", "output[0].lastFrameImage")]
        [InlineData("{\"url\":\"https://cdn.example/v.mp4\",\"lastFrameImage\":\"file:///home/ann/cat.png\"}", "output[0].lastFrameImage")]
        [InlineData("{\"url\":\"https://cdn.example/v.mp4\",\"lastFrameImage\":\"C:\\\\Users\\\\ann\\\\cat.png\"}", "output[0].lastFrameImage")]
        [InlineData("{\"url\":\"https://cdn.example/v.mp4\",\"lastFrameImage\":\"./cat.png\"}", "output[0].lastFrameImage")]
        [InlineData("{\"url\":\"/home/ann/v.mp4\"}", "output[0].url")]
        [InlineData("\"ftp://cdn.example/v.mp4\"", "output[0].url")]
        [InlineData("{\"url\":\"https://ann:secret@cdn.example/v.mp4\"}", "output[0].url")]
        [InlineData("{\"url\":\"https://cdn.example/v.mp4?sig=" + Key + "\"}", "output[0].url")]
        [InlineData("{\"url\":\"https://cdn.example/" + Key + "/v.mp4\"}", "output[0].url")]
        [InlineData("{\"url\":\"https://cdn.example/v.mp4\",\"lastFrameImage\":\"https://cdn.example/f.png?k=sk%2dlive%2dGATE%2dSECRET%2d31337\"}", "output[0].lastFrameImage")]
        public void AStatusAnswer_WithAnUnsafeUrlField_IsRefusedNamingTheField(string item, string field)
        {
            SeedanceException e = ProblemAssert.Throws(SeedanceProblem.UnsafeServiceUrl, () => Reader.ReadTask(Task(item), "recordInfo"));
            Assert.Contains($"answer: '{field}'", e.Message);
            Assert.Contains($"'{field}'", e.Message);
            Assert.False(new ApiKey(Key).IsIn(e.Message), e.Message);
            Assert.DoesNotContain("secret@", e.Message);
        }

        [Fact]
        public void AWebhookBody_PassesTheSameGate_EvenWithoutAKey()
        {
            ServiceAnswerReader noKey = new ServiceAnswerReader(null);
            SeedanceException e = ProblemAssert.Throws(SeedanceProblem.UnsafeServiceUrl, () =>
                noKey.ReadTask("{\"code\":200,\"data\":" + Task("{\"url\":\"https://cdn.example/v.mp4\",\"lastFrameImage\":\"/etc/passwd\"}") + "}", "webhook"));
            Assert.Contains("answer: 'output[0].lastFrameImage'", e.Message);
            Assert.Contains("webhook", e.Message);
        }

        [Fact]
        public void AGoodAnswer_IsRead_WithControlsRemoved_AndTheKeyMaskedInText()
        {
            SeedanceTask task = Reader.ReadTask(
                "{\"taskId\":\"t1\",\"status\":\"fail\",\"error\":{\"code\":\"x\",\"message\":\"\\u001b[2Jdenied for " + Key + "\"}," +
                "\"output\":[{\"url\":\"https://cdn.example/v.mp4\",\"lastFrameImage\":\"https://cdn.example/f.png\"}]}", "recordInfo");
            Assert.Equal("denied for " + ApiKey.Mask, task.ErrorMessage);
            Assert.Equal("https://cdn.example/v.mp4", task.VideoUrl);
            Assert.Equal("https://cdn.example/f.png", task.LastFrameImage);
        }

        [Fact]
        public void AnEmptyLastFrame_IsNoLastFrame_NotARefusal()
        {
            SeedanceTask task = Reader.ReadTask(Task("{\"url\":\"https://cdn.example/v.mp4\",\"lastFrameImage\":\"\"}"), "recordInfo");
            Assert.Equal("https://cdn.example/v.mp4", task.VideoUrl);
        }

        [Fact]
        public void AnAnswerOverTheCap_IsRefusedBeforeItIsParsed()
        {
            ServiceAnswerReader small = new ServiceAnswerReader(null, maxChars: 100);
            ProblemAssert.Is(SeedanceProblem.ResponseTooLarge, Assert.Throws<SeedanceException>(() => small.ReadTask("{\"taskId\":\"t1\",\"pad\":\"" + new string('a', 200) + "\"}", "webhook")));
        }

        [Fact]
        public void ACreateAnswer_HasTheKeyMaskedInItsId()
        {
            Assert.Equal("task_" + ApiKey.Mask, Reader.ReadCreatedTaskId("{\"taskId\":\"task_" + Key + "\"}"));
        }
    }
}
