using System;
using System.IO;
using System.Linq;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>What Get-SeedanceTask lists from the journal, -Pending, the filters, -Name idempotency and tab completion.</summary>
    public class JournalQueryTests : OpenJournalTests
    {
        private JournalReservation Create(string taskId, string? name, string prompt = "A red fox in fresh snow")
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            return JournalTestData.Create(_journal, taskId, name, prompt: prompt);
        }

        private void Status(string taskId, string status, decimal? credits = null, params SeedanceVideo[] videos)
        {
            _clock.Advance(TimeSpan.FromSeconds(10));
            _journal.RecordStatus(JournalTestData.Task(taskId, status, credits, videos));
        }

        /// <summary>One task in each situation a crashed batch can leave.</summary>
        private void Batch()
        {
            Create("task_waiting", "row-1");
            Create("task_generating", "row-2");
            Status("task_generating", SeedanceTaskStatus.Generating, 200m);
            Create("task_unsaved", "row-3");
            Status("task_unsaved", SeedanceTaskStatus.Success, 200m, new SeedanceVideo("https://static/3.mp4", 1280, 720, "video/mp4"));
            Create("task_saved", "row-4");
            Status("task_saved", SeedanceTaskStatus.Success, 200m, new SeedanceVideo("https://static/4.mp4", 1280, 720, null));
            _journal.RecordSaved("task_saved", "/videos/row-4.mp4", 4096);
            Create("task_failed", "row-5");
            Status("task_failed", SeedanceTaskStatus.Fail, 0m);
            _clock.Advance(TimeSpan.FromMinutes(1));
            JournalReservation unknown = _journal.ReserveCreate(JournalTestData.Request("the lost one"), "row-6", 200m);
            _journal.RecordOutcomeUnknown(unknown, "no answer within 100 s");
            _clock.Advance(TimeSpan.FromMinutes(1));
            _journal.ReserveCreate(JournalTestData.Request("killed while sending"), "row-7", 200m); // the process died here
            _clock.Advance(TimeSpan.FromMinutes(1));
            JournalReservation refused = _journal.ReserveCreate(JournalTestData.Request("bad"), "row-8", 200m);
            _journal.RecordCreateRefused(refused, "InvalidRequest", "400: invalid parameters");
            Create("task_odd", "other");
            Status("task_odd", SeedanceTaskStatus.Unknown);
        }

        [Fact]
        public void Tasks_AreNewestFirst_WithTheirLatestState_AndRefusedCreatesLeftOut()
        {
            Batch();
            JournalSnapshot snapshot = _journal.Read();

            Assert.Equal(
                new[] { "other", "row-7", "row-6", "row-5", "row-4", "row-3", "row-2", "row-1" },
                snapshot.Tasks.Select(task => task.Name));
            Assert.Equal(
                new[] { JournalTaskState.Unknown, JournalTaskState.OutcomeUnknown, JournalTaskState.OutcomeUnknown, JournalTaskState.Fail,
                        JournalTaskState.Success, JournalTaskState.Success, JournalTaskState.Generating, JournalTaskState.Waiting },
                snapshot.Tasks.Select(task => task.State));

            JournalTaskSummary saved = snapshot.FindTask("task_saved")!;
            Assert.Equal((200m, "https://static/4.mp4", "/videos/row-4.mp4", 4096L), (saved.CreditsUsed!.Value, saved.Videos.Single().Url, saved.SavedFiles.Single().Path, saved.SavedFiles.Single().Bytes));
            Assert.Equal(("A red fox in fresh snow", "seedance-20", (int?)5, "16:9"), (saved.Prompt, saved.Model, saved.Duration, saved.Ratio));
            Assert.True(saved.UpdatedAt > saved.CreatedAt);

            JournalTaskSummary lost = snapshot.Tasks.Single(task => task.Name == "row-6");
            Assert.Null(lost.TaskId);
            Assert.Equal(("the lost one", "no answer within 100 s"), (lost.Request!.Prompt, lost.OutcomeUnknownReason));
            JournalTaskSummary killed = snapshot.Tasks.Single(task => task.Name == "row-7");
            Assert.Contains("no answer to the create was recorded", killed.OutcomeUnknownReason);
            Assert.Equal(Environment.ProcessId, killed.ProcessId);
        }

        [Fact]
        public void Pending_IsEveryTaskThatStillNeedsSomething()
        {
            Batch();
            JournalSnapshot snapshot = _journal.Read();

            string?[] pending = snapshot.Find(new JournalQuery { Pending = true }).Select(task => task.Name).ToArray();

            // Not finished (waiting, generating, an unknown word), succeeded and not saved, outcome unknown (both kinds).
            Assert.Equal(new[] { "other", "row-7", "row-6", "row-3", "row-2", "row-1" }, pending);
        }

        [Fact]
        public void LaterStatusWithoutCredits_KeepsTheKnownCredits_AndOutputs()
        {
            Create("task_a", null);
            Status("task_a", SeedanceTaskStatus.Success, 200m, new SeedanceVideo("https://static/a.mp4", 1, 1, null));
            Status("task_a", SeedanceTaskStatus.Success, null);
            JournalTaskSummary task = _journal.Read().FindTask("task_a")!;
            Assert.Equal((200m, 1), (task.CreditsUsed!.Value, task.Videos.Count));
        }

        [Fact]
        public void RecordStatus_WritesOnlyChanges()
        {
            Create("task_a", null);
            Assert.True(_journal.RecordStatus(JournalTestData.Task("task_a", SeedanceTaskStatus.Waiting)));
            Assert.False(_journal.RecordStatus(JournalTestData.Task("task_a", SeedanceTaskStatus.Waiting)));
            Assert.True(_journal.RecordStatus(JournalTestData.Task("task_a", SeedanceTaskStatus.Generating)));
            Assert.False(_journal.RecordStatus(JournalTestData.Task("task_a", SeedanceTaskStatus.Generating)));
            Assert.True(_journal.RecordStatus(JournalTestData.Task("task_a", SeedanceTaskStatus.Generating, 200m)));
            Assert.Equal(3, JournalLineCounts.ByType(_folder.Lines())["status"]);
        }

        [Fact]
        public void Filters_ByStatus_Since_AndName_AllMustHold()
        {
            Batch();
            JournalSnapshot snapshot = _journal.Read();
            string?[] Names(JournalQuery query) => snapshot.Find(query).Select(task => task.Name).ToArray();

            Assert.Equal(new[] { "row-4", "row-3" }, Names(new JournalQuery { States = new[] { JournalTaskState.Success } }));
            Assert.Equal(new[] { "row-7", "row-6", "row-5" }, Names(new JournalQuery { States = new[] { JournalTaskState.Fail, JournalTaskState.OutcomeUnknown } }));
            DateTimeOffset since = snapshot.Tasks.Single(task => task.Name == "row-5").CreatedAt;
            Assert.Equal(new[] { "other", "row-7", "row-6", "row-5" }, Names(new JournalQuery { Since = since }));

            // The Name's wildcards are PowerShell's own (Get-SeedanceTask -Name asks WildcardPattern; Pester checks them).
            Func<string?, bool> rows = name => name is not null && name.StartsWith("row-", StringComparison.Ordinal);
            Assert.Equal(new[] { "row-7", "row-6", "row-5", "row-4", "row-3", "row-2", "row-1" }, Names(new JournalQuery { NameMatches = rows }));
            Assert.Equal(new[] { "other", "row-1" }, Names(new JournalQuery { NameMatches = name => name == "row-1" || name == "other" }));
            Assert.Equal(new[] { "row-3", "row-2" }, Names(new JournalQuery { NameMatches = rows, Pending = true, States = new[] { JournalTaskState.Success, JournalTaskState.Generating } }));
        }

        [Fact]
        public void FindByName_GivesTheLatestTaskThatDidNotFail_OrAnUnknownOutcome()
        {
            Batch();
            JournalSnapshot snapshot = _journal.Read();

            Assert.Equal((JournalReservationOutcome.ExistingTask, "task_waiting"), (snapshot.FindByName("row-1").Outcome, snapshot.FindByName("row-1").Task!.TaskId));
            Assert.Equal("task_saved", snapshot.FindByName("ROW-4").Task!.TaskId); // ignoring case, as PowerShell does
            Assert.Equal(JournalReservationOutcome.Reserved, snapshot.FindByName("row-5").Outcome);       // it failed: create again
            Assert.Equal(JournalReservationOutcome.Reserved, snapshot.FindByName("row-8").Outcome);       // refused: nothing exists
            Assert.Equal(JournalReservationOutcome.Reserved, snapshot.FindByName("row-*").Outcome);       // a name, not a pattern
            JournalReservation lost = snapshot.FindByName("row-6");
            Assert.Equal((JournalReservationOutcome.PossibleDuplicate, "the lost one"), (lost.Outcome, lost.Task!.Request!.Prompt));
            Assert.Equal(JournalReservationOutcome.PossibleDuplicate, snapshot.FindByName("row-7").Outcome);
        }

        [Fact]
        public void FindByName_AnExistingTaskWinsOverAnOlderUnknownOutcome_AndARetryAfterFailure()
        {
            JournalReservation first = _journal.ReserveCreate(JournalTestData.Request(), "row-1", 200m);
            _journal.RecordOutcomeUnknown(first, "timed out");
            Create("task_forced", null);
            JournalReservation forced = _journal.ReserveCreate(JournalTestData.Request(), "row-1", 200m, force: true); // -Force
            _journal.RecordCreated(forced, "task_retry");
            Status("task_retry", SeedanceTaskStatus.Fail);
            // The forced one failed, but the first create's outcome is still unknown: refused again unless forced.
            Assert.Equal(JournalReservationOutcome.PossibleDuplicate, _journal.ReserveCreate(JournalTestData.Request(), "row-1", 200m).Outcome);
            JournalReservation again = _journal.ReserveCreate(JournalTestData.Request(), "row-1", 200m, force: true);
            _journal.RecordCreated(again, "task_third");

            JournalReservation match = _journal.Read().FindByName("row-1");
            Assert.Equal((JournalReservationOutcome.ExistingTask, "task_third"), (match.Outcome, match.Task!.TaskId));
        }

        [Fact]
        public void FindByName_InAnotherBatch_IsNoMatch_ButNamesThatBatchesTask_SoTheCreateIsSaid()
        {
            // Rule: a Name is a key within its batch; the same Name's task in another batch is not this row's, but the
            // match carries it so New-SeedanceTask can say that the row is created anew (the same CSV in another folder).
            JournalReservation inA = _journal.ReserveCreate(new CreateTaskRequest { Prompt = "a fox", Duration = 5, Model = "seedance-20", Batch = "/projects/a" }, "fox", 200m);
            _journal.RecordCreated(inA, "task_in_a");

            JournalSnapshot snapshot = _journal.Read();
            JournalReservation fromB = snapshot.FindByName("fox", new CreateTaskRequest { Prompt = "a fox", Duration = 5, Model = "seedance-20", Batch = "/projects/b" });
            Assert.Equal(JournalReservationOutcome.Reserved, fromB.Outcome);
            Assert.Equal("task_in_a", fromB.InOtherBatch?.TaskId);

            JournalReservation fromA = snapshot.FindByName("fox", new CreateTaskRequest { Prompt = "a fox", Duration = 5, Model = "seedance-20", Batch = "/projects/a" });
            Assert.Equal((JournalReservationOutcome.ExistingTask, "task_in_a"), (fromA.Outcome, fromA.Task!.TaskId));
            Assert.Null(fromA.InOtherBatch);
            Assert.Null(snapshot.FindByName("cat", new CreateTaskRequest { Prompt = "a cat", Duration = 5, Model = "seedance-20", Batch = "/projects/b" }).InOtherBatch);
        }

        [Fact]
        public void ASlotWait_IsInFlightWhileItsProcessRuns_AndNeverTakenOnceItIsGone()
        {
            _clock.Now = DateTimeOffset.UtcNow; // written by this process while it runs (not before it started)
            JournalReservation waiting = _journal.ReserveCreate(JournalTestData.Request(), "row-wait", 200m);
            _journal.RecordSlotWait(waiting, waiting: true);

            // This process still runs: it may send the create again at any moment, so the Name is taken.
            Assert.Equal(JournalReservationOutcome.PossibleDuplicate, _journal.ReserveCreate(JournalTestData.Request(), "row-wait", 200m).Outcome);

            // The same journal written by a process that has ended (kill -9 during the wait): a 429 is not taken.
            string ours = $"\"pid\":{System.Diagnostics.Process.GetCurrentProcess().Id},";
            string lines = File.ReadAllText(_folder.JournalPath);
            Assert.Contains(ours, lines);
            File.WriteAllText(_folder.JournalPath, lines.Replace(ours, $"\"pid\":{EndedProcessId()},"));
            TaskJournal later = _clock.Open(_folder.JournalPath);
            Assert.DoesNotContain(later.Read().Tasks, task => task.Name == "row-wait");
            Assert.Equal(JournalReservationOutcome.Reserved, later.ReserveCreate(JournalTestData.Request(), "row-wait", 200m).Outcome);

            // Sent again after the wait, then gone: the service may have taken that try.
            JournalReservation resent = later.ReserveCreate(JournalTestData.Request(), "row-resent", 200m);
            later.RecordSlotWait(resent, waiting: true);
            later.RecordSlotWait(resent, waiting: false);
            string again = File.ReadAllText(_folder.JournalPath);
            File.WriteAllText(_folder.JournalPath, again.Replace(ours, $"\"pid\":{EndedProcessId()},"));
            TaskJournal third = _clock.Open(_folder.JournalPath);
            Assert.Equal(JournalReservationOutcome.PossibleDuplicate, third.ReserveCreate(JournalTestData.Request(), "row-resent", 200m).Outcome);
        }

        [Fact]
        public void ASlotWait_UnderThisProcesssId_WrittenBeforeItStarted_IsAnEndedProcesss()
        {
            // Pid reuse (containers restart pids at 1): the record names this process's id and host, but it was written
            // before this process started, so an earlier process with the same id wrote it, and that one has ended.
            using System.Diagnostics.Process current = System.Diagnostics.Process.GetCurrentProcess();
            _clock.Now = new DateTimeOffset(current.StartTime.ToUniversalTime()) - TimeSpan.FromHours(1);
            JournalReservation before = _journal.ReserveCreate(JournalTestData.Request(), "row-earlier-process", 200m);
            _journal.RecordSlotWait(before, waiting: true);
            _clock.Now = DateTimeOffset.UtcNow;
            JournalReservation mine = _journal.ReserveCreate(JournalTestData.Request(), "row-this-process", 200m);
            _journal.RecordSlotWait(mine, waiting: true);

            JournalSnapshot snapshot = _journal.Read();
            Assert.DoesNotContain(snapshot.Tasks, task => task.Name == "row-earlier-process"); // a 429 is not taken
            Assert.True(snapshot.Tasks.Single(task => task.Name == "row-this-process").IsInFlight);
            Assert.Equal(JournalReservationOutcome.Reserved, _journal.ReserveCreate(JournalTestData.Request(), "row-earlier-process", 200m).Outcome);
            Assert.Equal(JournalReservationOutcome.PossibleDuplicate, _journal.ReserveCreate(JournalTestData.Request(), "row-this-process", 200m).Outcome);
        }

        /// <summary>Rewrites this process's pid and host in the journal as another machine's process (a container run since gone).</summary>
        private void AsAnotherMachine(string host = "runbook-sandbox-1", int pid = 24987)
        {
            string lines = File.ReadAllText(_folder.JournalPath);
            string ours = $"\"pid\":{System.Diagnostics.Process.GetCurrentProcess().Id},\"host\":\"{Environment.MachineName}\"";
            Assert.Contains(ours, lines);
            File.WriteAllText(_folder.JournalPath, lines.Replace(ours, $"\"pid\":{pid},\"host\":\"{host}\""));
        }

        [Fact]
        public void ACreateOfAnotherMachine_IsInFlightWhileItCouldBeSent_ThenOutcomeUnknown_NeverForEver()
        {
            DateTimeOffset sent = _clock.Now;
            JournalReservation sending = _journal.ReserveCreate(JournalTestData.Request("sent elsewhere"), "row-elsewhere", 200m);
            AsAnotherMachine();
            JournalTaskSummary Row() => _journal.Read().Tasks.Single(task => task.Name == "row-elsewhere");

            // Its process cannot be looked up from here: while a live process could still be sending it, it is.
            _clock.Now = sent + JournalProcesses.OtherHostSilence;
            Assert.Equal(JournalTaskState.Sending, Row().CurrentState);
            Assert.Equal(JournalReservationOutcome.PossibleDuplicate, _journal.ReserveCreate(JournalTestData.Request("sent elsewhere"), "row-elsewhere", 200m, force: true).Outcome);
            Assert.Equal(SeedanceProblem.CreateInFlight, Assert.Throws<SeedanceException>(() => _journal.Settle(null, "row-elsewhere", "task_found")).Problem);

            // Silent longer than any live create can be: no sender is left. Uncertain, settleable, sent again with -Force.
            Assert.True(JournalProcesses.OtherHostSilence > TimeSpan.FromSeconds(SeedanceClientOptions.MaxRequestTimeoutSeconds) + SlotWait.MaximumDelay);
            Assert.True(JournalProcesses.OtherHostSilence < TimeSpan.FromHours(2));
            _clock.Now = sent + JournalProcesses.OtherHostSilence + TimeSpan.FromSeconds(1);
            Assert.Equal(JournalTaskState.OutcomeUnknown, Row().CurrentState);
            Assert.Equal(JournalReservationOutcome.PossibleDuplicate, _journal.ReserveCreate(JournalTestData.Request("sent elsewhere"), "row-elsewhere", 200m).Outcome);
            Assert.Equal(JournalReservationOutcome.Reserved, _journal.ReserveCreate(JournalTestData.Request("sent elsewhere"), "row-elsewhere", 200m, force: true).Outcome);
        }

        [Fact]
        public void ASlotWaitOfAnotherMachine_CountsFromItsLatestRecord_ThenWasNeverTaken()
        {
            DateTimeOffset started = _clock.Now;
            JournalReservation waiting = _journal.ReserveCreate(JournalTestData.Request("waits elsewhere"), "row-slot", 200m);
            _journal.RecordSlotWait(waiting, waiting: true);
            _clock.Now = started + TimeSpan.FromHours(3); // a long wait for a slot: each try writes a record
            _journal.RecordSlotWait(waiting, waiting: false);
            _journal.RecordSlotWait(waiting, waiting: true);
            DateTimeOffset latest = _clock.Now;
            AsAnotherMachine();

            _clock.Now = latest + JournalProcesses.OtherHostSilence;
            Assert.Equal(JournalTaskState.WaitingForSlot, _journal.Read().Tasks.Single(task => task.Name == "row-slot").CurrentState);
            Assert.Equal(JournalReservationOutcome.PossibleDuplicate, _journal.ReserveCreate(JournalTestData.Request("waits elsewhere"), "row-slot", 200m).Outcome);

            // Its last word was a 429 (not taken) and its sender is gone: the row is free, nothing counted.
            _clock.Now = latest + JournalProcesses.OtherHostSilence + TimeSpan.FromSeconds(1);
            Assert.DoesNotContain(_journal.Read().Tasks, task => task.Name == "row-slot");
            Assert.Equal(JournalReservationOutcome.Reserved, _journal.ReserveCreate(JournalTestData.Request("waits elsewhere"), "row-slot", 200m).Outcome);
        }

        /// <summary>The id of a process that has just ended.</summary>
        private static int EndedProcessId()
        {
            using (System.Diagnostics.Process process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!)
            {
                process.WaitForExit();
                return process.Id;
            }
        }

        [Fact]
        public void ReserveCreate_ForAKnownName_SendsNothingAndWritesNothing()
        {
            Batch();
            int lines = _folder.Lines().Length;

            JournalReservation existing = _journal.ReserveCreate(JournalTestData.Request(), "row-3", 200m);
            Assert.Equal((JournalReservationOutcome.ExistingTask, "task_unsaved"), (existing.Outcome, existing.ExistingTask!.TaskId));
            Assert.Null(existing.IntentId);
            JournalReservation duplicate = _journal.ReserveCreate(JournalTestData.Request(), "row-6", 200m);
            Assert.Equal((JournalReservationOutcome.PossibleDuplicate, "the lost one"), (duplicate.Outcome, duplicate.ExistingTask!.Prompt));
            Assert.Equal(lines, _folder.Lines().Length);

            // -Force overrides only the unknown outcome: a row that has its task still gets that task, not a second one.
            Assert.Equal(JournalReservationOutcome.ExistingTask, _journal.ReserveCreate(JournalTestData.Request(), "row-3", 200m, force: true).Outcome);
            Assert.Equal(lines, _folder.Lines().Length);

            Assert.Equal(JournalReservationOutcome.Reserved, _journal.ReserveCreate(JournalTestData.Request(), "row-5", 200m).Outcome); // failed before
            Assert.Equal(JournalReservationOutcome.Reserved, _journal.ReserveCreate(JournalTestData.Request(), "row-6", 200m, force: true).Outcome);
            Assert.Equal(lines + 2, _folder.Lines().Length);
        }

        [Fact]
        public void RecentTasks_AreNewestFirst_WithPromptExcerpts_AndOnlyRealIds()
        {
            Create("task_1", null, "first prompt");
            Create("task_2", "row-2", new string('x', 100));
            JournalReservation unknown = _journal.ReserveCreate(JournalTestData.Request("no id"), null, 200m);
            _journal.RecordOutcomeUnknown(unknown, "timed out");
            Create("task_3", null, "third");

            var recent = _journal.Read().RecentTasks(2);
            Assert.Equal(new[] { "task_3", "task_2" }, recent.Select(task => task.TaskId));
            Assert.Equal(60, recent[1].PromptExcerpt(60).Length);
            Assert.EndsWith("...", recent[1].PromptExcerpt(60));
            Assert.Equal("row-2", recent[1].Name);
            Assert.Equal(3, _journal.Read().RecentTasks(50).Count);
        }

        [Fact]
        public void ATaskOnlyLookedUp_IsListed_ButIsNotAJournaledCreate()
        {
            _journal.RecordStatus(new SeedanceTask("task_elsewhere") { Status = SeedanceTaskStatus.Waiting, CreatedAt = _clock.Now.AddHours(-3), Model = "seedance-20" });
            JournalTaskSummary task = Assert.Single(_journal.Read().Tasks);
            Assert.Equal((_clock.Now.AddHours(-3), false, "seedance-20"), (task.CreatedAt, task.IsJournaledCreate, task.Model));
        }

        [Fact]
        public void ToSeedanceTask_CarriesTheLatestState()
        {
            Create("task_a", "row-1", "a prompt");
            Status("task_a", SeedanceTaskStatus.Success, 200m, new SeedanceVideo("https://static/a.mp4", 1280, 720, "video/mp4"));
            SeedanceTask task = _journal.Read().FindTask("task_a")!.ToSeedanceTask()!;
            Assert.Equal(("task_a", SeedanceTaskStatus.Success, "success", "a prompt", (decimal?)200m, 1), (task.TaskId, task.Status, task.StatusText, task.Prompt, task.CreditsUsed, task.Videos.Count));
            Assert.True(task.IsFinished);

            Assert.Null(_journal.Read().Tasks.Single().ToSeedanceTask()!.Error);
        }

        [Fact]
        public void ToSeedanceTask_CarriesEveryFieldTheJournalSaw_SeedLastFrameAndCompletedAt()
        {
            // Issue 18: a task listed from the journal is the follow-up's starting point (-Image $task.LastFrameImage).
            Create("task_a", "fox", "a prompt");
            DateTimeOffset done = _clock.Now.AddMinutes(2);
            SeedanceTask live = JournalTestData.Task("task_a", SeedanceTaskStatus.Success, 200m,
                new SeedanceVideo("https://static/a.mp4", 1280, 720, "video/mp4") { Seed = 42, LastFrameImage = "https://static/a-last.png" });
            live.CompletedAt = done;
            _journal.RecordStatus(live);

            SeedanceTask listed = _clock.Open(_folder.JournalPath).Read().FindTask("task_a")!.ToSeedanceTask()!;
            Assert.Equal(((long?)42, "https://static/a-last.png", (DateTimeOffset?)done, (int?)1280, "fox"),
                (listed.Seed, listed.LastFrameImage, listed.CompletedAt, listed.Width, listed.Name));
        }
    }
}
