using System;
using System.Linq;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Workflows;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>Issue 16: a task found in the account's history is tied to the uncertain create it answers (Register-SeedanceTask).</summary>
    public sealed class JournalSettleTests : OpenJournalTests
    {
        private JournalReservation Uncertain(string? name, string prompt = "A red fox in fresh snow")
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            JournalReservation intent = _journal.ReserveCreate(JournalTestData.Request(prompt), name, 200m, force: true);
            _journal.RecordOutcomeUnknown(intent, "no answer within 100 s");
            return intent;
        }

        [Fact]
        public void ByName_TheTaskBecomesTheRowsTask_ForPendingReRunsAndSave()
        {
            Uncertain("row-7");

            JournalTaskSummary settled = _journal.Settle(null, "ROW-7", "task_found");

            Assert.Equal("task_found", settled.TaskId);
            Assert.Equal("row-7", settled.Name);
            Assert.Equal(200m, settled.CreditsReserved);
            JournalSnapshot snapshot = _journal.Read();
            Assert.Empty(snapshot.Find(new JournalQuery { States = new[] { JournalTaskState.OutcomeUnknown } }));
            Assert.Equal("row-7", Assert.Single(snapshot.Find(new JournalQuery { Pending = true })).Name);
            JournalReservation match = _journal.CheckCreate("row-7", null, JournalTestData.Request());
            Assert.Equal(JournalReservationOutcome.ExistingTask, match.Outcome);
            Assert.Equal("task_found", match.Task!.TaskId);
        }

        [Fact]
        public void ByIntent_AnUnnamedCreate_IsSettled()
        {
            JournalReservation intent = Uncertain(null);

            Assert.Equal("task_found", _journal.Settle(intent.IntentId, null, "task_found").TaskId);
            Assert.Equal(intent.IntentId, _journal.Read().FindTask("task_found")!.IntentId);
        }

        [Fact]
        public void ATaskLookedUpBeforeItWasSettled_IsOneTask_WithTheRowsName()
        {
            Uncertain("row-7");
            _journal.RecordStatus(JournalTestData.Task("task_found", SeedanceTaskStatus.Success, 200m));

            _journal.Settle(null, "row-7", "task_found");

            JournalTaskSummary task = Assert.Single(_journal.Read().Tasks);
            Assert.Equal("row-7", task.Name);
            Assert.Equal(JournalTaskState.Success, task.State);
        }

        [Fact]
        public void Refusals_WriteNothing()
        {
            JournalReservation first = Uncertain("row-7");
            Uncertain("row-7");
            JournalTestData.Create(_journal, "task_other", "row-8");
            int lines = _folder.Lines().Length;

            Assert.Equal(SeedanceProblem.NoUncertainCreate, Assert.Throws<SeedanceException>(() => _journal.Settle(null, "row-9", "task_found")).Problem);
            Assert.Equal(SeedanceProblem.AmbiguousUncertainCreate, Assert.Throws<SeedanceException>(() => _journal.Settle(null, "row-7", "task_found")).Problem);
            SeedanceException taken = Assert.Throws<SeedanceException>(() => _journal.Settle(first.IntentId, null, "task_other"));
            Assert.Equal(SeedanceProblem.TaskAlreadyRegistered, taken.Problem);
            Assert.Contains("row 'row-8'", taken.Message);
            Assert.Equal(lines, _folder.Lines().Length);
        }

        [Fact]
        public void TheSameTieAgain_ChangesNothing()
        {
            JournalReservation intent = Uncertain("row-7");
            _journal.Settle(intent.IntentId, null, "task_found");
            int lines = _folder.Lines().Length;

            Assert.Equal("task_found", _journal.Settle(intent.IntentId, null, "task_found").TaskId);
            Assert.Equal(lines, _folder.Lines().Length);
        }

        [Fact]
        public void AJournalDeletedAfterTheCreate_GetsThisProcesssRecordsBack_BeforeTheSettleReadsIt()
        {
            // Restore, then read: read first, the deleted journal has no uncertain create and the tie is refused.
            Uncertain("row-7");
            System.IO.File.Delete(_folder.JournalPath);

            JournalTaskSummary settled = _journal.Settle(null, "row-7", "task_found");

            Assert.Equal(("task_found", "row-7"), (settled.TaskId, settled.Name));
            Assert.Contains("deleted or replaced", _journal.TakeNotice());
            JournalTaskSummary task = Assert.Single(_clock.Open(_folder.JournalPath).Read().Tasks);
            Assert.Equal(("task_found", "row-7", 200m), (task.TaskId, task.Name, task.CreditsReserved));
        }

        [Fact]
        public void ACreateStillInFlightInThisLiveProcess_IsNotSettled()
        {
            // Journaled now (after this process started, so the pid is its own) with no answer yet: it is being sent,
            // and this process will record the answer.
            _clock.Now = DateTimeOffset.UtcNow;
            JournalReservation intent = _journal.ReserveCreate(JournalTestData.Request(), "row-7", 200m);
            Assert.Equal(JournalTaskState.Sending, _journal.Read().Tasks.Single(task => task.IntentId == intent.IntentId).CurrentState);

            Assert.Equal(SeedanceProblem.CreateInFlight, Assert.Throws<SeedanceException>(() => _journal.Settle(intent.IntentId, null, "task_found")).Problem);
        }

        private SeedanceTask Found(string model, DateTimeOffset createdAt) =>
            new SeedanceTask("task_found") { Status = SeedanceTaskStatus.Success, Model = model, CreatedAt = createdAt };

        [Fact]
        public void SettleAnswer_ATaskOfTheAskedModel_MadeAfterTheCreateWasSent_MayBeItsAnswer()
        {
            Uncertain("row-7");
            JournalTaskSummary create = Assert.Single(_journal.Read().Tasks);

            Assert.Null(SettleAnswer.WhyNot(create, Found("SEEDANCE-20", create.CreatedAt + TimeSpan.FromSeconds(3))));
            // The service's clock may be a little behind this machine's.
            Assert.Null(SettleAnswer.WhyNot(create, Found("seedance-20", create.CreatedAt - TimeSpan.FromMinutes(5))));
        }

        [Fact]
        public void SettleAnswer_ATaskOfAnotherModel_IsNotItsAnswer()
        {
            Uncertain("row-7");
            JournalTaskSummary create = Assert.Single(_journal.Read().Tasks);

            Assert.Contains("model 'seedance2-fast'", SettleAnswer.WhyNot(create, Found("seedance2-fast", create.CreatedAt + TimeSpan.FromSeconds(3))));
        }

        [Fact]
        public void SettleAnswer_ATaskChargedAnotherPrice_IsNotItsAnswer_ARefundedOneMayBe()
        {
            Uncertain("row-7"); // reserves 200 credits
            JournalTaskSummary create = Assert.Single(_journal.Read().Tasks);
            SeedanceTask found = Found("seedance-20", create.CreatedAt + TimeSpan.FromSeconds(3));

            found.CreditsUsed = 320m;
            Assert.Contains("charged 320 credits", SettleAnswer.WhyNot(create, found));
            found.CreditsUsed = 200m;
            Assert.Null(SettleAnswer.WhyNot(create, found));
            found.CreditsUsed = 0m;
            Assert.Null(SettleAnswer.WhyNot(create, found));
        }

        [Fact]
        public void SettleAnswer_ATaskMadeBeforeTheCreateWasSent_IsNotItsAnswer()
        {
            Uncertain("row-7");
            JournalTaskSummary create = Assert.Single(_journal.Read().Tasks);

            Assert.Contains("before the create was sent", SettleAnswer.WhyNot(create, Found("seedance-20", create.CreatedAt - TimeSpan.FromMinutes(11))));
        }
    }
}
