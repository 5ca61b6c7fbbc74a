using System;
using System.IO;
using System.Linq;
using Seedance.Client.Journal;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>
    /// Issue 16: a journal deleted or replaced under a running process is noticed once and gets that process's own
    /// records back; another process's compaction, which also puts a new file in its place, is no loss.
    /// </summary>
    public class JournalContinuityTests : IDisposable
    {
        private readonly JournalFolder _folder = new JournalFolder();
        private readonly ManualClock _clock = new ManualClock();

        public void Dispose() => _folder.Dispose();

        [Fact]
        public void Deleted_IsSaidOnce_AndThisProcessesRecordsAreWrittenAgain()
        {
            TaskJournal journal = _clock.Open(_folder.JournalPath);
            JournalTestData.Create(journal, "task_a", "row-a");
            File.Delete(_folder.JournalPath);

            journal.RecordSaved("task_a", "/videos/row-a.mp4", 10);

            string? notice = journal.TakeNotice();
            Assert.NotNull(notice);
            Assert.Contains("deleted or replaced", notice);
            Assert.Contains(_folder.JournalPath, notice);
            Assert.Null(journal.TakeNotice());
            JournalTaskSummary task = Assert.IsType<JournalTaskSummary>(journal.Read().FindTask("task_a"));
            Assert.Equal("row-a", task.Name);
            Assert.Single(task.SavedFiles);
            Assert.Single(_folder.Lines(), line => line.Contains("\"type\":\"intent\""));
        }

        [Fact]
        public void AnotherProcessesCompaction_IsNoLoss()
        {
            TaskJournal mine = _clock.Open(_folder.JournalPath);
            TaskJournal other = _clock.Open(_folder.JournalPath);
            JournalTestData.Create(mine, "task_a", "row-a");
            _clock.Advance(TimeSpan.FromMinutes(1));
            Assert.True(other.Compact(force: true).Compacted);

            mine.RecordSaved("task_a", "/videos/row-a.mp4", 10);

            Assert.Null(mine.TakeNotice());
            Assert.Single(_folder.Lines(), line => line.Contains("\"type\":\"intent\""));
            Assert.StartsWith("{\"v\":1,\"type\":\"compacted\"", _folder.Lines()[0]);
        }

        [Fact]
        public void AppendsOfOtherProcesses_AreNoLoss()
        {
            TaskJournal mine = _clock.Open(_folder.JournalPath);
            TaskJournal other = _clock.Open(_folder.JournalPath);
            JournalTestData.Create(mine, "task_a", "row-a");
            JournalTestData.Create(other, "task_b", "row-b");

            JournalTestData.Create(mine, "task_c", "row-c");

            Assert.Null(mine.TakeNotice());
            Assert.Equal(3, _folder.Lines().Count(line => line.Contains("\"type\":\"intent\"")));
        }
    }
}
