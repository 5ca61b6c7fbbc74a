using System;
using System.Linq;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>The daily limit: credits of the creates of the last 24 h (a failed task is refunded: 0), checked and reserved atomically.</summary>
    public class JournalBudgetTests : OpenJournalTests
    {
        private void Status(string taskId, string status, decimal? credits) =>
            _journal.RecordStatus(JournalTestData.Task(taskId, status, credits));

        [Fact]
        public void Spent_CountsWhatTheServiceCharged_OrWhatWasReserved()
        {
            JournalTestData.Create(_journal, "task_running", credits: 200m);                 // 200 reserved, no status yet
            JournalTestData.Create(_journal, "task_charged", credits: 200m);
            Status("task_charged", SeedanceTaskStatus.Success, 190.5m);                       // the service's figure wins
            JournalTestData.Create(_journal, "task_refunded", credits: 320m);
            Status("task_refunded", SeedanceTaskStatus.Fail, 0m);                             // failed and refunded: 0
            JournalTestData.Create(_journal, "task_failed_kept", credits: 400m);
            Status("task_failed_kept", SeedanceTaskStatus.Fail, 400m);                        // failed, creditsUsed keeps the reserve: refunded, 0
            JournalTestData.Create(_journal, "task_failed_silent", credits: 160m);
            Status("task_failed_silent", SeedanceTaskStatus.Fail, null);                      // failed, no figure: refunded, 0
            JournalTestData.Create(_journal, "task_zero_running", credits: 600m);
            Status("task_zero_running", SeedanceTaskStatus.Generating, 0m);                   // 0 while running: may be charged later
            JournalReservation unknown = _journal.ReserveCreate(JournalTestData.Request(), null, 280m);
            _journal.RecordOutcomeUnknown(unknown, "timed out");                      // may be billed: counts
            JournalReservation refused = _journal.ReserveCreate(JournalTestData.Request(), null, 1000m);
            _journal.RecordCreateRefused(refused, "InsufficientCredits", "402");      // nothing created: 0
            _journal.RecordStatus(new SeedanceTask("task_looked_up") { Status = SeedanceTaskStatus.Success, CreditsUsed = 999m, CreatedAt = _clock.Now });

            Assert.Equal(200m + 190.5m + 0m + 0m + 0m + 600m + 280m, _journal.SpentToday());
            Assert.Equal(7, _journal.Read().Tasks.Count(task => task.IsJournaledCreate)); // the refused create and the looked-up task are no creates of the window
        }

        [Fact]
        public void AFailedTask_CountsItsReserveUntilItsFailureIsKnown_ThenNothing()
        {
            // seedance-api.md, failure codes: "Failed tasks are refunded in full (creditsUsed still shows the reserved amount)".
            JournalTestData.Create(_journal, "task_will_fail", credits: 160m);
            Assert.Equal(160m, _journal.SpentToday());                             // unknown yet whether it fails: reserved
            Status("task_will_fail", SeedanceTaskStatus.Generating, 160m);
            Assert.Equal(160m, _journal.SpentToday());
            Status("task_will_fail", SeedanceTaskStatus.Fail, 160m);
            Assert.Equal(0m, _journal.SpentToday());
            Assert.Equal(0m, _journal.Read().FindTask("task_will_fail")!.ChargedCredits);

            // A charge that settles after success is refunded all the same when the task fails.
            Pricing.ModelSpec spec = Pricing.PriceTable.Default.Model("seedance2-5");
            CreateTaskRequest request = new CreateTaskRequest { Prompt = "the dancer from @1", Duration = 5, Model = "seedance2-5", VideoUrls = new[] { "https://cdn.example.com/ref.mp4" } }
                .CheckedAs(spec, durationGiven: true, ratioGiven: false);
            JournalReservation reservation = _journal.ReserveCreate(request, "dancer", 1225m);
            _journal.RecordCreated(reservation, "task_ref");
            Assert.Equal(1225m, _journal.SpentToday());
            Status("task_ref", SeedanceTaskStatus.Fail, 175m);
            Assert.Equal(0m, _journal.SpentToday());
        }

        [Fact]
        public void Window_IsTheLast24Hours()
        {
            JournalTestData.Create(_journal, "task_yesterday", credits: 600m);
            _clock.Advance(TimeSpan.FromHours(23));
            JournalTestData.Create(_journal, "task_today", credits: 200m);
            Assert.Equal(800m, _journal.SpentToday());

            _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
            Assert.Equal(200m, _journal.SpentToday());
            Assert.Null(_journal.CheckCreate(null, null).Spent); // no limit, nothing to be left under
        }

        [Fact]
        public void ReserveCreate_FitsExactlyUpToTheLimit_ThenRefusesWithTheFigures()
        {
            for (int i = 0; i < 5; i++)
            {
                JournalReservation ok = _journal.ReserveCreate(JournalTestData.Request(), null, 200m, dailyCreditLimit: 1000m);
                Assert.Equal(JournalReservationOutcome.Reserved, ok.Outcome);
                Assert.Equal(200m * i, ok.Spent);
                _journal.RecordCreated(ok, $"task_{i}");
            }

            int lines = _folder.Lines().Length;
            JournalReservation refused = _journal.ReserveCreate(JournalTestData.Request(), null, 200m, dailyCreditLimit: 1000m);

            Assert.Equal(JournalReservationOutcome.BudgetExceeded, refused.Outcome);
            Assert.Equal(((decimal?)1000m, (decimal?)1000m, 200m), (refused.Spent, refused.DailyLimit, refused.Credits));
            Assert.Null(refused.IntentId);
            Assert.Equal(lines, _folder.Lines().Length); // nothing written

            // A failure frees room: a failed task is refunded in full, though creditsUsed still shows what it reserved.
            Status("task_3", SeedanceTaskStatus.Fail, 200m);
            Assert.Equal(JournalReservationOutcome.Reserved, _journal.ReserveCreate(JournalTestData.Request(), null, 200m, dailyCreditLimit: 1000m).Outcome);
        }

        [Fact]
        public void TheIntentRecord_CarriesTheCreditsItReserves()
        {
            JournalReservation reservation = _journal.ReserveCreate(JournalTestData.Request("p", duration: 8), "row-1", 320m, dailyCreditLimit: 10_000m);
            string intentLine = _folder.Lines().Single();
            Assert.Contains("\"type\":\"intent\"", intentLine);
            Assert.Contains("\"credits\":320", intentLine);
            Assert.Contains("\"name\":\"row-1\"", intentLine);
            Assert.Contains("\"duration\":8", intentLine);
            Assert.Contains(reservation.IntentId!, intentLine);
            Assert.Equal(320m, reservation.Credits);
        }

        [Fact]
        public void NameCheck_ComesBeforeTheLimit_SoARerunOfDoneRowsIsNeverRefused()
        {
            JournalTestData.Create(_journal, "task_a", "row-1", credits: 1000m);
            JournalReservation rerun = _journal.ReserveCreate(JournalTestData.Request(), "row-1", 1000m, dailyCreditLimit: 1000m);
            Assert.Equal(JournalReservationOutcome.ExistingTask, rerun.Outcome);
        }
    }
}
