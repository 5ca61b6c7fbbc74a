using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>Records of tasks past the service's 60-day retention are removed: whole tasks, atomically, under the lock, at most daily.</summary>
    public class JournalCompactionTests
    {
        private const string NewerTypeLine = "{\"v\":2,\"type\":\"hologram\",\"time\":\"2026-11-20T00:00:00.000Z\",\"keepMe\":{\"exactly\":[1,2]}}";

        [Fact]
        public void RemovesTasksPastRetention_KeepsWholeTasksWithRecentRecords()
        {
            using JournalFolder folder = new JournalFolder();
            ManualClock clock = new ManualClock();
            TaskJournal journal = clock.Open(folder.JournalPath);

            clock.Now = new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero);   // 116 days before "now" below
            JournalTestData.Create(journal, "task_old", "old");
            journal.RecordStatus(JournalTestData.Task("task_old", SeedanceTaskStatus.Success, 200m));
            JournalTestData.Create(journal, "task_long", "long");                 // old create, but saved recently
            JournalReservation unknown = journal.ReserveCreate(JournalTestData.Request("lost answer"), "lost", 200m);
            journal.RecordOutcomeUnknown(unknown, "timed out");

            clock.Now = new DateTimeOffset(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);
            journal.RecordSaved("task_long", "/v/long.mp4", 100);
            JournalTestData.Create(journal, "task_new", "new");
            folder.AppendRaw(NewerTypeLine + "\n");
            folder.AppendRaw("{torn\n");

            clock.Now = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
            JournalCompactionResult result = journal.Compact();

            Assert.True(result.Compacted, result.NotDoneBecause);
            string[] lines = folder.Lines();
            Assert.Equal("compacted", JsonDocument.Parse(lines[0]).RootElement.GetProperty("type").GetString());
            JournalSnapshot snapshot = journal.Read();
            Assert.Equal(new[] { "task_new", "task_long" }, snapshot.Tasks.Select(task => task.TaskId));

            // The kept task kept its intent (name, request), though the intent itself is 116 days old.
            JournalTaskSummary kept = snapshot.FindTask("task_long")!;
            Assert.Equal(("long", "A red fox in fresh snow", true), (kept.Name, kept.Prompt, kept.IsSaved));

            // A newer version's line survives byte for byte; the torn line is gone.
            Assert.Contains(NewerTypeLine, lines);
            Assert.DoesNotContain("{torn", lines);
            Assert.Empty(snapshot.Problems);

            // Removed: old intent + created + status, the unknown create's intent + outcome, the torn line.
            Assert.Equal(6, result.RemovedRecords);
            Assert.Equal(6, JsonDocument.Parse(lines[0]).RootElement.GetProperty("removed").GetInt32());
        }

        [Fact]
        public void ATaskLookedUpBeforeItWasSettled_KeepsItsOldIntentAndStatus_WithTheRecentTie()
        {
            using JournalFolder folder = new JournalFolder();
            ManualClock clock = new ManualClock();
            TaskJournal journal = clock.Open(folder.JournalPath);
            clock.Now = new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero);
            journal.RecordOutcomeUnknown(journal.ReserveCreate(JournalTestData.Request("A red fox in fresh snow"), "row-7", 200m), "timed out");
            journal.RecordStatus(JournalTestData.Task("task_found", SeedanceTaskStatus.Success, 200m)); // looked up before it was tied

            clock.Now = new DateTimeOffset(2026, 11, 10, 0, 0, 0, TimeSpan.Zero);
            journal.Settle(null, "row-7", "task_found");
            clock.Now = new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.Zero);
            JournalCompactionResult result = journal.Compact(force: true);

            // One task, judged by its newest record (the tie): its intent, outcome and looked-up status all stay.
            Assert.Equal(0, result.RemovedRecords);
            JournalTaskSummary task = Assert.Single(journal.Read().Tasks);
            Assert.Equal(("task_found", "row-7", "A red fox in fresh snow", JournalTaskState.Success), (task.TaskId, task.Name, task.Prompt, task.State));
        }

        [Fact]
        public void IsDue_OnlyWithRecordsPastRetention_AndAtMostOncePerInterval()
        {
            using JournalFolder folder = new JournalFolder();
            ManualClock clock = new ManualClock();
            TaskJournal journal = clock.Open(folder.JournalPath);
            JournalTestData.Create(journal, "task_a");
            journal.RecordSaved("task_a", "/v/a.mp4", 1);

            clock.Advance(TimeSpan.FromDays(59));
            Assert.False(journal.Compact().Compacted); // nothing is past 60 days yet
            Assert.Equal("not due", journal.LastCompaction!.NotDoneBecause);

            // A record that keeps the old task alive: its records stay, so the first line stays old.
            journal.RecordStatus(JournalTestData.Task("task_a", SeedanceTaskStatus.Success, 200m));
            clock.Advance(TimeSpan.FromDays(2));
            JournalCompactionResult first = journal.Compact();
            Assert.True(first.Compacted);
            Assert.Equal(0, first.RemovedRecords);

            clock.Advance(TimeSpan.FromHours(23));
            Assert.False(journal.Compact().Compacted); // compacted less than a day ago

            clock.Advance(TimeSpan.FromHours(2));
            Assert.True(journal.Compact().Compacted);  // a day later, the old records are checked again
        }

        [Fact]
        public void Open_CompactsWhenDue()
        {
            using JournalFolder folder = new JournalFolder();
            ManualClock clock = new ManualClock();
            JournalTestData.Create(clock.Open(folder.JournalPath), "task_old");
            clock.Advance(TimeSpan.FromDays(61));

            TaskJournal reopened = clock.Open(folder.JournalPath, autoCompact: true);

            Assert.True(reopened.LastCompaction!.Compacted);
            Assert.Empty(reopened.Read().Tasks);
        }

        [Fact]
        public void ALongSession_CompactsFromRead_WhenDue()
        {
            using JournalFolder folder = new JournalFolder();
            ManualClock clock = new ManualClock();
            TaskJournal journal = clock.Open(folder.JournalPath, autoCompact: true);
            JournalTestData.Create(journal, "task_old");
            Assert.False(journal.LastCompaction!.Compacted);

            clock.Advance(TimeSpan.FromDays(61)); // the same process, two months on
            Assert.Empty(journal.Read().Tasks);
            Assert.True(journal.LastCompaction!.Compacted);
        }

        [Fact]
        public void IsAtomic_AReaderOfTheOldFileSeesItWhole_AndNoTemporaryFileRemains()
        {
            using JournalFolder folder = new JournalFolder();
            TaskJournal journal = TaskJournal.Open(folder.JournalPath);
            for (int i = 0; i < 50; i++)
            {
                journal.RecordSaved($"task_{i}", "/v/x.mp4", i);
            }

            byte[] before = File.ReadAllBytes(folder.JournalPath);
            using FileStream openedBefore = new FileStream(folder.JournalPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

            Assert.True(journal.Compact(force: true).Compacted);

            // The new file replaced the old one by rename: the old one, still open, is intact (never rewritten in place).
            using MemoryStream old = new MemoryStream();
            openedBefore.CopyTo(old);
            Assert.Equal(before, old.ToArray());
            Assert.Equal(before.Length + folder.Lines()[0].Length + 1, new FileInfo(folder.JournalPath).Length); // header + the same lines
            Assert.Equal(new[] { "journal.jsonl", "journal.jsonl.lock" }, Directory.GetFiles(folder.Root).Select(Path.GetFileName).OrderBy(name => name));
        }

        [Fact]
        public void WaitsForTheLock_AndGivesUpWithoutChangingTheFile()
        {
            using JournalFolder folder = new JournalFolder();
            ManualClock clock = new ManualClock();
            TaskJournal journal = clock.Open(folder.JournalPath, lockTimeout: TimeSpan.FromMilliseconds(300));
            JournalTestData.Create(journal, "task_old");
            clock.Advance(TimeSpan.FromDays(61));
            byte[] before = File.ReadAllBytes(folder.JournalPath);

            JournalCompactionResult result = WhileAnotherHoldsTheLock(folder, () => journal.Compact());
            Assert.False(result.Compacted);
            Assert.Contains("held by another process", result.NotDoneBecause);
            Assert.Equal(before, File.ReadAllBytes(folder.JournalPath));

            Assert.True(journal.Compact().Compacted); // and works once the lock is free
        }

        [Fact]
        public void ALockHeldPastTheTimeout_RefusesTheCreate_AsLockTimeout_NamingTheLock_AndWritesNothing()
        {
            // The lock throws the framework's TimeoutException; the journal alone turns it into its LockTimeout (the
            // error map's ResourceBusy row): a create is refused before it is sent, with the file that is held.
            using JournalFolder folder = new JournalFolder();
            TaskJournal journal = new ManualClock().Open(folder.JournalPath, lockTimeout: TimeSpan.FromMilliseconds(300));
            JournalTestData.Create(journal, "task_old");
            byte[] before = File.ReadAllBytes(folder.JournalPath);

            JournalException refused = WhileAnotherHoldsTheLock(folder, () =>
                Assert.Throws<JournalException>(() => journal.ReserveCreate(JournalTestData.Request("waits for the lock"), "row-2", 200m)));
            Assert.Equal(JournalFailureReason.LockTimeout, refused.Reason);
            Assert.Equal(folder.JournalPath + ".lock", refused.Path);
            Assert.Equal(before, File.ReadAllBytes(folder.JournalPath));
        }

        /// <summary>What <paramref name="act"/> gives while another thread holds the journal's lock (as another process would).</summary>
        private static T WhileAnotherHoldsTheLock<T>(JournalFolder folder, Func<T> act)
        {
            using ManualResetEventSlim held = new ManualResetEventSlim();
            using ManualResetEventSlim release = new ManualResetEventSlim();
            Thread holder = new Thread(() =>
            {
                using (Files.FileLock.Acquire(folder.JournalPath + ".lock", TimeSpan.FromSeconds(5)))
                {
                    held.Set();
                    release.Wait();
                }
            });
            holder.Start();
            held.Wait();
            try
            {
                return act();
            }
            finally
            {
                release.Set();
                holder.Join();
            }
        }

        [Fact]
        public void AnotherProcessAppendingDuringCompactions_LosesNothing()
        {
            using JournalFolder folder = new JournalFolder();
            TaskJournal journal = TaskJournal.Open(folder.JournalPath);
            string go = Path.Combine(folder.Root, "go");
            // The writer pauses after each 100 records until the k-th compaction is done (go.k), so at least four
            // compactions run between its appends however the two processes are scheduled; within each hundred the
            // appends and the compactions still race.
            using JournalHostProcess writer = JournalHostProcess.Start("append", folder.JournalPath, "500", "W", go, "100");
            writer.WaitUntilReady();
            File.WriteAllText(go, string.Empty);

            int compactions = 0;
            while (!writer.HasExited)
            {
                Assert.True(journal.Compact(force: true).Compacted, journal.LastCompaction!.NotDoneBecause);
                compactions++;
                File.WriteAllText(go + "." + compactions, string.Empty);
            }

            writer.Finish();
            JournalSnapshot snapshot = journal.Read();
            Assert.True(compactions > 3, $"only {compactions} compactions ran while the other process wrote");
            Assert.Equal(Enumerable.Range(0, 500).Select(i => $"W-{i:D4}"), snapshot.Tasks.Select(task => task.TaskId!).OrderBy(id => id, StringComparer.Ordinal));
            Assert.Empty(snapshot.Problems);
        }
    }
}
