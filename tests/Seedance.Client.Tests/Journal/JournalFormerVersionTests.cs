using System;
using System.Linq;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>
    /// A journal written by 0.1.0, with a record of every type it wrote (lines as its writer made them), is read whole:
    /// the refusal it wrote as 'failure' with an intent id, and the 'uploaded' and task 'failure' records nothing reads any more, included.
    /// </summary>
    public class JournalFormerVersionTests : OpenJournalTests
    {
        private static readonly string[] Written010 =
        {
            "{\"v\":1,\"type\":\"compacted\",\"time\":\"2026-11-20T00:00:00.000Z\",\"id\":\"c0\",\"removed\":3}",
            "{\"v\":1,\"type\":\"intent\",\"time\":\"2026-11-25T10:00:00.000Z\",\"intent\":\"i1\",\"name\":\"row-1\",\"credits\":320,\"pid\":4242,\"host\":\"box\"," +
                "\"request\":{\"model\":\"seedance2-fast\",\"prompt\":\"A fox in @1\",\"images\":[\"https://files/cat.png\"],\"ratio\":\"9:16\",\"duration\":8," +
                "\"mode\":\"reference\",\"callback\":\"https://hooks.example/x?y=1\",\"name\":\"row-1\",\"inputs\":{\"seed\":42}}}",
            "{\"v\":1,\"type\":\"uploaded\",\"time\":\"2026-11-25T10:00:00.500Z\",\"path\":\"/home/u/cat.png\",\"url\":\"https://files/cat.png\",\"bytes\":1234,\"modified\":\"2026-11-24T09:00:00.000Z\"}",
            "{\"v\":1,\"type\":\"slotWait\",\"time\":\"2026-11-25T10:00:01.000Z\",\"intent\":\"i1\",\"waiting\":true}",
            "{\"v\":1,\"type\":\"slotWait\",\"time\":\"2026-11-25T10:00:05.000Z\",\"intent\":\"i1\",\"waiting\":false}",
            "{\"v\":1,\"type\":\"created\",\"time\":\"2026-11-25T10:00:06.000Z\",\"intent\":\"i1\",\"task\":\"task_1\",\"name\":\"row-1\"}",
            "{\"v\":1,\"type\":\"status\",\"time\":\"2026-11-25T10:03:00.000Z\",\"task\":\"task_1\",\"status\":\"success\",\"statusText\":\"success\",\"credits\":320," +
                "\"outputs\":[{\"url\":\"https://static/1.mp4\",\"width\":1280,\"height\":720,\"mediaType\":\"video/mp4\"}],\"model\":\"seedance2-fast\",\"createdAt\":\"2026-11-25T10:00:06.000Z\"}",
            "{\"v\":1,\"type\":\"saved\",\"time\":\"2026-11-25T10:04:00.000Z\",\"task\":\"task_1\",\"path\":\"/videos/row-1.mp4\",\"bytes\":5000000}",
            "{\"v\":1,\"type\":\"failure\",\"time\":\"2026-11-25T10:05:00.000Z\",\"task\":\"task_1\",\"code\":\"DownloadFailed\",\"message\":\"connection reset\"}",
            "{\"v\":1,\"type\":\"intent\",\"time\":\"2026-11-25T11:00:00.000Z\",\"intent\":\"i2\",\"name\":\"row-2\",\"credits\":200,\"pid\":4242,\"host\":\"box\"," +
                "\"request\":{\"model\":\"seedance-20\",\"prompt\":\"A hare\",\"ratio\":\"16:9\",\"duration\":5,\"name\":\"row-2\"}}",
            "{\"v\":1,\"type\":\"outcomeUnknown\",\"time\":\"2026-11-25T11:01:40.000Z\",\"intent\":\"i2\",\"name\":\"row-2\",\"reason\":\"timed out after 100 s\"," +
                "\"request\":{\"model\":\"seedance-20\",\"prompt\":\"A hare\",\"ratio\":\"16:9\",\"duration\":5,\"name\":\"row-2\"}}",
            "{\"v\":1,\"type\":\"intent\",\"time\":\"2026-11-25T11:30:00.000Z\",\"intent\":\"i3\",\"name\":\"row-3\",\"credits\":100,\"pid\":4242,\"host\":\"box\"," +
                "\"request\":{\"model\":\"seedance-20\",\"prompt\":\"A lynx\",\"ratio\":\"16:9\",\"duration\":5,\"name\":\"row-3\"}}",
            "{\"v\":1,\"type\":\"failure\",\"time\":\"2026-11-25T11:30:01.000Z\",\"intent\":\"i3\",\"code\":\"InsufficientCredits\",\"message\":\"Insufficient credits\"}",
            "{\"v\":1,\"type\":\"status\",\"time\":\"2026-11-25T11:40:00.000Z\",\"task\":\"task_9\",\"status\":\"waiting\"}",
        };

        [Fact]
        public void EveryRecordTypeOf010_IsRead()
        {
            _folder.AppendRaw(string.Join("\n", Written010) + "\n");

            JournalSnapshot read = _journal.Read();

            Assert.Empty(read.Problems);
            Assert.Equal(new[] { "task_9", "row-2", "task_1" }, read.Tasks.Select(task => task.TaskId ?? task.Name)); // newest first; row-3 refused

            JournalTaskSummary paid = read.FindTask("task_1")!;
            Assert.Equal(("row-1", JournalTaskState.Success, (decimal?)320m), (paid.Name, paid.State, paid.CreditsUsed));
            Assert.Equal("/videos/row-1.mp4", paid.SavedFiles.Single().Path);
            Assert.Equal(("A fox in @1", "seedance2-fast", 8, "9:16"), (paid.Prompt, paid.Model, paid.Duration, paid.Ratio));
            Assert.Equal(new[] { "https://files/cat.png" }, paid.Request!.ImageUrls);
            Assert.Equal(new Uri("https://hooks.example/x?y=1"), paid.Request.CallbackUri);
            Assert.Equal(42L, Convert.ToInt64(paid.Request.AdditionalInputs["seed"]));
            Assert.Equal("https://static/1.mp4", paid.Videos.Single().Url);

            JournalReservation uncertain = read.FindByName("row-2");
            Assert.Equal(JournalReservationOutcome.PossibleDuplicate, uncertain.Outcome);
            Assert.Equal("timed out after 100 s", uncertain.Task!.OutcomeUnknownReason);
            Assert.Equal("A hare", uncertain.Task.ToUncertainCreate()!.Request.Prompt);

            Assert.Equal(JournalReservationOutcome.Reserved, read.FindByName("row-3").Outcome); // refused: nothing was created
            Assert.DoesNotContain(read.Tasks, task => task.Name == "row-3");
            Assert.Equal(JournalTaskState.Waiting, read.FindTask("task_9")!.State);

            DateTimeOffset since = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
            Assert.Equal((520m, 2), (read.Spent(since), read.Tasks.Count(task => task.IsJournaledCreate && task.CreatedAt >= since))); // row-1's charge and row-2's reservation; row-3 refused
        }
    }
}
