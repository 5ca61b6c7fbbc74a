using System.IO;
using System.Linq;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>A crash mid-write leaves a torn line; the reader skips it with one warning, never fails, and later appends survive.</summary>
    public class JournalReaderTests
    {
        private const string TornRecord = "{\"v\":1,\"type\":\"saved\",\"time\":\"2026-11-25T12:00:00.000Z\",\"task\":\"task_tor";

        [Fact]
        public void TornLastLine_IsSkippedWithOneWarning_AndEveryOtherRecordIsRead()
        {
            using JournalFolder folder = new JournalFolder();
            TaskJournal journal = TaskJournal.Open(folder.JournalPath);
            JournalTestData.Create(journal, "task_a");
            journal.RecordSaved("task_a", "/v/a.mp4", 10);
            folder.AppendRaw(TornRecord); // what a kill -9 in the middle of the write leaves

            JournalSnapshot snapshot = TaskJournal.Open(folder.JournalPath).Read();

            Assert.Single(snapshot.Tasks);
            Assert.True(snapshot.FindTask("task_a")!.IsSaved);
            string problem = Assert.Single(snapshot.Problems);
            Assert.StartsWith("line 4: an incomplete last record", problem);
            Assert.Contains(folder.JournalPath, snapshot.Warning);
            Assert.Contains("line 4", snapshot.Warning);
            Assert.Contains("1 unreadable line", snapshot.Warning);
        }

        [Fact]
        public void LineWithHalfASurrogatePair_IsAnUnreadableLine_AndEveryOtherRecordIsRead()
        {
            using JournalFolder folder = new JournalFolder();
            TaskJournal journal = TaskJournal.Open(folder.JournalPath);
            JournalTestData.Create(journal, "task_a");
            // Valid JSON to the parser; reading the id throws, which once broke every read of the journal.
            folder.AppendRaw("{\"v\":1,\"type\":\"saved\",\"time\":\"2026-11-25T12:00:00.000Z\",\"task\":\"task_\\ud83d\",\"path\":\"/v/x.mp4\",\"bytes\":1}\n");
            journal.RecordSaved("task_a", "/v/a.mp4", 10);

            JournalSnapshot snapshot = TaskJournal.Open(folder.JournalPath).Read();

            Assert.True(Assert.Single(snapshot.Tasks).IsSaved);
            string problem = Assert.Single(snapshot.Problems);
            Assert.StartsWith("line 3: not valid JSON", problem);
        }

        [Fact]
        public void AppendAfterATornLine_StartsOnItsOwnLine_SoTheNewRecordSurvives()
        {
            using JournalFolder folder = new JournalFolder();
            TaskJournal journal = TaskJournal.Open(folder.JournalPath);
            JournalTestData.Create(journal, "task_a");
            folder.AppendRaw(TornRecord);

            journal.RecordSaved("task_a", "/v/a.mp4", 10); // the next run appends after the crash
            journal.RecordStatus(JournalTestData.Task("task_a", SeedanceTaskStatus.Success, 200m));

            JournalSnapshot snapshot = TaskJournal.Open(folder.JournalPath).Read();
            JournalTaskSummary task = snapshot.FindTask("task_a")!;
            Assert.True(task.IsSaved);
            Assert.Equal(JournalTaskState.Success, task.State);
            string problem = Assert.Single(snapshot.Problems);
            Assert.StartsWith("line 3: not valid JSON", problem); // now a torn line in the middle
            Assert.Equal(TornRecord, folder.Lines()[2]);
        }

        [Fact]
        public void UnreadableLines_AreSaidOncePerProcess_UntilTheLinesChange()
        {
            using JournalFolder folder = new JournalFolder();
            TaskJournal journal = TaskJournal.Open(folder.JournalPath);
            JournalTestData.Create(journal, "task_a");
            Assert.Null(journal.Read().WarningNotYetSaid()); // nothing unreadable: nothing to say

            folder.AppendRaw(TornRecord);
            Assert.Contains("line 3", journal.Read().WarningNotYetSaid());
            Assert.Null(journal.Read().WarningNotYetSaid());                              // the same torn line: said already
            Assert.Null(TaskJournal.Open(folder.JournalPath).Read().WarningNotYetSaid()); // by any instance of this path

            JournalTestData.Create(journal, "task_b"); // the torn fragment stays a line of its own; the file grows past it
            folder.AppendRaw("not json\n");
            string? changed = journal.Read().WarningNotYetSaid();
            Assert.Contains("2 unreadable line(s)", changed);
            Assert.Null(journal.Read().WarningNotYetSaid());
        }

        [Fact]
        public void DamagedMiddleLines_AreEachReported_InOneWarning()
        {
            using JournalFolder folder = new JournalFolder();
            TaskJournal journal = TaskJournal.Open(folder.JournalPath);
            journal.RecordSaved("task_1", "/v/1.mp4", 1);
            folder.AppendRaw("\u0000\u0000\u0000\u0000\n");   // zeros a power loss can leave
            folder.AppendRaw("not json at all\n\n   \n");       // blank lines are not problems
            journal.RecordSaved("task_2", "/v/2.mp4", 2);
            folder.AppendRaw("{\"v\":1,\"type\":\"saved\",\"time\":\"x\"}\n");
            folder.AppendRaw("{\"v\":3,\"type\":\"hologram\",\"time\":\"2026-11-25T12:00:00Z\"}\n"); // newer type: silent
            journal.RecordSaved("task_3", "/v/3.mp4", 3);

            JournalSnapshot snapshot = journal.Read();

            Assert.Equal(new[] { "task_3", "task_2", "task_1" }, snapshot.Tasks.Select(task => task.TaskId));
            Assert.Equal(new[] { "line 2", "line 3", "line 7" }, snapshot.Problems.Select(problem => problem.Substring(0, 6)));
            Assert.All(snapshot.Problems, problem => Assert.DoesNotContain("incomplete last record", problem));
            Assert.Contains("3 unreadable line(s)", snapshot.Warning);
        }

        [Fact]
        public void CleanJournal_HasNoWarning()
        {
            using JournalFolder folder = new JournalFolder();
            TaskJournal journal = TaskJournal.Open(folder.JournalPath);
            JournalTestData.Create(journal, "task_a");
            Assert.Null(journal.Read().Warning);
            Assert.Empty(journal.Read().Problems);
        }

        [Fact]
        public void ALineCompletedLater_IsReadOnceComplete_NotReportedForever()
        {
            using JournalFolder folder = new JournalFolder();
            TaskJournal journal = TaskJournal.Open(folder.JournalPath);
            journal.RecordSaved("task_1", "/v/1.mp4", 1);
            string whole = System.Text.Encoding.UTF8.GetString(new JournalRecord(JournalRecord.Saved, System.DateTimeOffset.UtcNow) { TaskId = "task_2", Path = "/v/2.mp4", Bytes = 2 }.ToLine());
            folder.AppendRaw(whole.Substring(0, 20));
            Assert.Single(journal.Read().Problems);

            folder.AppendRaw(whole.Substring(20)); // the rest arrives (a slow writer, or a file synced late)
            JournalSnapshot snapshot = journal.Read();
            Assert.Empty(snapshot.Problems);
            Assert.NotNull(snapshot.FindTask("task_2"));
        }

        [Fact]
        public void Read_SeesOtherWritersAndAReplacedFile()
        {
            using JournalFolder folder = new JournalFolder();
            TaskJournal reader = TaskJournal.Open(folder.JournalPath);
            TaskJournal writer = TaskJournal.Open(folder.JournalPath);
            writer.RecordSaved("task_1", "/v/1.mp4", 1);
            Assert.Single(reader.Read().Tasks);

            writer.RecordSaved("task_2", "/v/2.mp4", 2);
            Assert.Equal(2, reader.Read().Tasks.Count);

            // Another process compacts: the file is replaced (a header first); the reader must start over, not double count.
            Assert.True(writer.Compact(force: true).Compacted);
            writer.RecordSaved("task_3", "/v/3.mp4", 3);
            JournalSnapshot snapshot = reader.Read();
            Assert.Equal(3, snapshot.Tasks.Count);
            Assert.Empty(snapshot.Problems); // the compaction's header is a record, not an unreadable line
        }

        [Fact]
        public void ASnapshot_NeverChanges_WhenLaterRecordsArrive()
        {
            using JournalFolder folder = new JournalFolder();
            TaskJournal journal = TaskJournal.Open(folder.JournalPath);
            JournalTestData.Create(journal, "task_a", "row-1");
            JournalSnapshot before = journal.Read();

            journal.RecordStatus(JournalTestData.Task("task_a", SeedanceTaskStatus.Success, 200m));
            journal.RecordSaved("task_a", "/v/a.mp4", 1);
            JournalReservation rerun = journal.ReserveCreate(JournalTestData.Request(), "row-1", 200m);
            journal.RecordStatus(JournalTestData.Task("task_a", SeedanceTaskStatus.Fail, 0m));
            JournalSnapshot after = journal.Read();

            // Each read folds anew; what was handed out stays as it was when handed out.
            Assert.Equal((JournalTaskState.Waiting, false), (before.FindTask("task_a")!.State, before.FindTask("task_a")!.IsSaved));
            Assert.Equal((JournalTaskState.Success, true), (rerun.ExistingTask!.State, rerun.ExistingTask.IsSaved));
            Assert.Equal((JournalTaskState.Fail, true), (after.FindTask("task_a")!.State, after.FindTask("task_a")!.IsSaved));
            Assert.NotSame(before, after);
        }

        [Fact]
        public void MissingFile_ReadsEmpty_AndIsCreatedAgainOnTheNextAppend_WithThisProcessesRecords()
        {
            using JournalFolder folder = new JournalFolder();
            TaskJournal journal = TaskJournal.Open(folder.JournalPath);
            journal.RecordSaved("task_1", "/v/1.mp4", 1);
            File.Delete(folder.JournalPath);
            Assert.Empty(journal.Read().Tasks);

            // Issue 16: never a silent new file: what this process wrote is written again, and it is said once.
            journal.RecordSaved("task_2", "/v/2.mp4", 2);
            Assert.Equal(new[] { "task_2", "task_1" }, journal.Read().Tasks.Select(task => task.TaskId));
            Assert.NotNull(journal.TakeNotice());
        }
    }
}
