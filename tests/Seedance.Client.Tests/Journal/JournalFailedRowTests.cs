using System;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>Issue 16: a row whose last task failed for an input or moderation reason is not created again unchanged.</summary>
    public sealed class JournalFailedRowTests : OpenJournalTests
    {
        private void Failed(string taskId, string name, string? code, string message, string prompt = "A red fox in fresh snow")
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            JournalTestData.Create(_journal, taskId, name, prompt: prompt);
            _clock.Advance(TimeSpan.FromSeconds(10));
            SeedanceTask task = JournalTestData.Task(taskId, SeedanceTaskStatus.Fail, 200m);
            task.Error = new SeedanceTaskError(code, message);
            _journal.RecordStatus(task);
        }

        [Theory]
        [InlineData("2038", "Your input text violates platform rules. Please modify and try again.")]
        [InlineData("asset_review_failed", "Reference image 1 failed review. Please replace it.")]
        [InlineData("1001", "The generated video did not pass review.")]
        public void AnUnchangedRow_WhoseTaskFailedForInputOrModeration_IsRefused_AndNothingIsReserved(string code, string message)
        {
            Failed("task_bad", "row-1", code, message);
            int lines = _folder.Lines().Length;

            JournalReservation again = _journal.ReserveCreate(JournalTestData.Request(), "row-1", 200m);

            Assert.Equal(JournalReservationOutcome.FailedBefore, again.Outcome);
            Assert.Equal("task_bad", again.ExistingTask!.TaskId);
            Assert.Null(again.IntentId);
            Assert.Equal(lines, _folder.Lines().Length);
            Assert.Equal(JournalReservationOutcome.FailedBefore, _journal.CheckCreate("row-1", null, JournalTestData.Request()).Outcome);
        }

        [Theory]
        [InlineData("500", "Generation failed. Please try again.")]
        [InlineData("1001", "Service temporarily unavailable. Please try again later.")]
        [InlineData(null, "Task execution failed")]
        public void AnUnchangedRow_WhoseTaskFailedForATransientOrUnknownReason_IsCreatedAgain(string? code, string message)
        {
            Failed("task_bad", "row-1", code, message);

            Assert.Equal(JournalReservationOutcome.Reserved, _journal.ReserveCreate(JournalTestData.Request(), "row-1", 200m).Outcome);
        }

        [Fact]
        public void AChangedPrompt_OrForce_CreatesIt()
        {
            Failed("task_bad", "row-1", "2038", "Your input text violates platform rules.");

            Assert.Equal(JournalReservationOutcome.Reserved, _journal.CheckCreate("row-1", null, JournalTestData.Request("A calmer fox")).Outcome);
            Assert.Equal(JournalReservationOutcome.Reserved, _journal.ReserveCreate(JournalTestData.Request(), "row-1", 200m, force: true).Outcome);
        }

        [Fact]
        public void ChangedMaterials_CreateIt()
        {
            Failed("task_bad", "row-1", "asset_review_failed", "Reference image 1 failed review.");
            CreateTaskRequest replaced = JournalTestData.Request();
            replaced.ImageUrls = new[] { "https://cdn.example.com/another.png" };

            Assert.Equal(JournalReservationOutcome.Reserved, _journal.ReserveCreate(replaced, "row-1", 200m).Outcome);
        }

        [Fact]
        public void OnlyTheNamesNewestTaskCounts_AndASuccessStillWins()
        {
            Failed("task_bad", "row-1", "2038", "Your input text violates platform rules.");
            _clock.Advance(TimeSpan.FromMinutes(1));
            _journal.RecordCreated(_journal.ReserveCreate(JournalTestData.Request(), "row-1", 200m, force: true), "task_good");

            JournalReservation again = _journal.ReserveCreate(JournalTestData.Request(), "row-1", 200m);
            Assert.Equal(JournalReservationOutcome.ExistingTask, again.Outcome);
            Assert.Equal("task_good", again.ExistingTask!.TaskId);
        }

        [Fact]
        public void AnUnnamedRequest_MatchesTheNewestUnnamedCreateOfTheSameRequest_WithinTheWindowOnly()
        {
            JournalTestData.Create(_journal, "task_unnamed_old");
            _clock.Advance(TimeSpan.FromMinutes(2));
            JournalTestData.Create(_journal, "task_unnamed_new");
            JournalTestData.Create(_journal, "task_named", "row-1");
            _clock.Advance(TimeSpan.FromMinutes(2));

            JournalReservation check = _journal.CheckCreate(null, null, JournalTestData.Request());
            Assert.Equal("task_unnamed_new", check.SameUnnamed!.TaskId);
            Assert.Equal(_clock.Now, check.CheckedAt);
            Assert.Null(_journal.CheckCreate(null, null, JournalTestData.Request("another prompt")).SameUnnamed);
            Assert.Null(_journal.CheckCreate("row-2", null, JournalTestData.Request()).SameUnnamed);

            _clock.Advance(TimeSpan.FromHours(25));
            Assert.Null(_journal.CheckCreate(null, null, JournalTestData.Request()).SameUnnamed);
        }

        [Fact]
        public void TheRequestComparison_CoversWhatIsGenerated_NotTheNameOrCallback()
        {
            CreateTaskRequest a = JournalTestData.Request();
            CreateTaskRequest other = JournalTestData.Request();
            other.Name = "another name";
            other.CallbackUri = new Uri("https://hooks.example.com/x");
            Assert.True(JournalRequests.SameVideo(a, other));

            other.Ratio = "9:16";
            Assert.False(JournalRequests.SameVideo(a, other));
            Assert.False(JournalRequests.SameVideo(a, JournalTestData.Request(duration: 8)));
        }
    }
}
