using System;
using System.IO;
using Seedance.Client.Files;
using Xunit;

namespace Seedance.Client.Tests.Hostile
{
    public sealed class TaskFileNameTests
    {
        private static readonly string Folder = Path.Combine(Path.GetTempPath(), "videos");

        [Theory]
        [InlineData("task_abc123")]
        [InlineData("demo_task_t2v_success")]
        [InlineData("task-2026.11.01_7")]
        [InlineData("задача_1")]
        [InlineData("任务_42")]
        public void APlainId_IsAFileInTheFolder(string id)
        {
            string path = TaskFileName.PathInFolder(Folder, id, "_2.mp4");
            Assert.Equal(Path.Combine(Path.GetFullPath(Folder), id + "_2.mp4"), path);
            Assert.Null(TaskFileName.Problem(id));
        }

        [Theory]
        [InlineData("../escape", "separator")]
        [InlineData("..", "only dots")]
        [InlineData(".", "only dots")]
        [InlineData("a/b", "separator")]
        [InlineData("a\\b", "separator")]
        [InlineData("/etc/cron.d/x", "separator")]
        [InlineData("C:\\Windows\\x", "separator")]
        [InlineData("C:x", "separator")]
        [InlineData("x:stream", "separator")]
        [InlineData("what?", "separator")]
        [InlineData("CON", "device name")]
        [InlineData("nul.txt", "device name")]
        [InlineData("Lpt1", "device name")]
        [InlineData("COM9.mp4", "device name")]
        [InlineData("conin$", "device name")]
        [InlineData("task\u0007", "control character")]
        [InlineData("task\u001b[2J", "control character")]
        [InlineData("task\n2", "control character")]
        [InlineData("task\u202e4pm.exe", "invisible")]
        [InlineData("task\u200b", "invisible")]
        [InlineData(".hidden", "starts with a dot")]
        [InlineData("task.", "ends with a dot")]
        [InlineData("task ", "space")]
        [InlineData(" task", "space")]
        [InlineData("", "empty")]
        [InlineData("   ", "empty")]
        public void AnIdThatIsNotAPlainName_IsRefused(string id, string because)
        {
            SeedanceException e = ProblemAssert.Throws(SeedanceProblem.InvalidTaskId, () => TaskFileName.PathInFolder(Folder, id, ".mp4"));
            Assert.Contains(because, e.Message);
            Assert.Contains($"The task id '{ServiceText.Clean(id)}' cannot", e.Message);
            Assert.DoesNotContain('\u001b', e.Message);
        }

        [Fact]
        public void AnOverlongId_IsRefused_ByItsUtf8Length()
        {
            Assert.Null(TaskFileName.Problem(new string('x', 200)));
            Assert.Contains("more than the 200", TaskFileName.Problem(new string('x', 201)));
            Assert.Contains("bytes long", TaskFileName.Problem(new string('é', 101))); // 202 bytes in UTF-8
        }
    }
}
