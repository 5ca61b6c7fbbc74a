using System;
using System.Linq;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>Get-SeedanceUsage: per day and model, from the journal alone.</summary>
    public class JournalUsageTests : OpenJournalTests
    {
        private void At(int day, int hour) => _clock.Now = new DateTimeOffset(2026, 11, day, hour, 0, 0, TimeSpan.Zero);

        private void Task(string id, string model, decimal credits, string? status = null, decimal? used = null, bool saved = false)
        {
            JournalTestData.Create(_journal, id, credits: credits, model: model);
            if (status is string s)
            {
                _journal.RecordStatus(JournalTestData.Task(id, s, used));
            }

            if (saved)
            {
                _journal.RecordSaved(id, $"/v/{id}.mp4", 1);
            }
        }

        private void Build()
        {
            At(24, 9);
            Task("a1", "seedance-20", 200m, SeedanceTaskStatus.Success, 200m, saved: true);
            Task("a2", "seedance-20", 320m, SeedanceTaskStatus.Success, 320m);
            Task("a3", "seedance-20", 400m, SeedanceTaskStatus.Fail, 0m);
            Task("a4", "seedance2-fast", 140m, SeedanceTaskStatus.Generating);
            JournalReservation unknown = _journal.ReserveCreate(JournalTestData.Request(model: "seedance2-fast"), null, 224m);
            _journal.RecordOutcomeUnknown(unknown, "timed out");
            JournalReservation refused = _journal.ReserveCreate(JournalTestData.Request(), null, 600m);
            _journal.RecordCreateRefused(refused, "InvalidRequest", "400");
            At(24, 23);
            Task("b1", "seedance-20", 600m, SeedanceTaskStatus.Fail, 600m);
            At(25, 1);
            Task("c1", "seedance-20", 200m);
            _journal.RecordStatus(new SeedanceTask("looked_up") { Status = SeedanceTaskStatus.Success, CreditsUsed = 999m, CreatedAt = _clock.Now });
        }

        [Fact]
        public void Aggregates_PerDayAndModel_OldestFirst()
        {
            Build();
            var rows = _journal.Read().Usage(zone: TimeZoneInfo.Utc);

            Assert.Equal(3, rows.Count);
            JournalUsageRow standard = rows[0];
            Assert.Equal((new DateTime(2026, 11, 24), "seedance-20"), (standard.Day, standard.Model));
            Assert.Equal((4, 2, 2, 0, 0, 1), (standard.Tasks, standard.Succeeded, standard.Failed, standard.Running, standard.OutcomeUnknown, standard.Unsaved));
            // Issue 16: final charges only; the failed b1 is refunded though its creditsUsed still shows 600.
            Assert.Equal(200m + 320m + 0m + 0m, standard.Credits);
            Assert.Equal(520m * 0.005m, standard.Usd);

            JournalUsageRow fast = rows[1];
            Assert.Equal((new DateTime(2026, 11, 24), "seedance2-fast"), (fast.Day, fast.Model));
            // Issue 16: the create whose outcome is unknown is apart (not a task, its reservation not in Credits).
            Assert.Equal((1, 0, 0, 1, 1, 0, 140m, 224m), (fast.Tasks, fast.Succeeded, fast.Failed, fast.Running, fast.OutcomeUnknown, fast.Unsaved, fast.Credits, fast.UncertainCredits));

            Assert.Equal((new DateTime(2026, 11, 25), 1, 1, 200m, 1.00m), (rows[2].Day, rows[2].Tasks, rows[2].Running, rows[2].Credits, rows[2].Usd));
        }

        [Fact]
        public void Days_AreCalendarDaysOfTheGivenTimeZone()
        {
            Build();
            TimeZoneInfo plusTen = TimeZoneInfo.CreateCustomTimeZone("plus-ten", TimeSpan.FromHours(10), "UTC+10", "UTC+10");
            var rows = _journal.Read().Usage(zone: plusTen);

            // 23:00 and 01:00 UTC are both the 25th at +10; 09:00 UTC is 19:00 on the 24th. (The uncertain fast create is not a task.)
            Assert.Equal(new[] { (new DateTime(2026, 11, 24), "seedance-20", 3), (new DateTime(2026, 11, 24), "seedance2-fast", 1), (new DateTime(2026, 11, 25), "seedance-20", 2) },
                rows.Select(row => (row.Day, row.Model, row.Tasks)));
        }

        [Fact]
        public void SinceAndUntil_BoundTheCreates_UntilExclusive()
        {
            Build();
            var rows = _journal.Read().Usage(
                since: new DateTimeOffset(2026, 11, 24, 12, 0, 0, TimeSpan.Zero),
                until: new DateTimeOffset(2026, 11, 25, 1, 0, 0, TimeSpan.Zero),
                zone: TimeZoneInfo.Utc);
            JournalUsageRow row = Assert.Single(rows);
            Assert.Equal((new DateTime(2026, 11, 24), 1, 1, 0m), (row.Day, row.Tasks, row.Failed, row.Credits));
        }

        [Fact]
        public void CreatesALiveProcessIsSendingOrWaitingToSend_AreInFlight_NotUncertain()
        {
            // Journaled now by this process, which runs: Get-SeedanceTask -Pending shows them Sending and WaitingForSlot.
            _clock.Now = DateTimeOffset.UtcNow;
            JournalReservation sending = _journal.ReserveCreate(JournalTestData.Request("sending"), "row-sending", 160m);
            JournalReservation waiting = _journal.ReserveCreate(JournalTestData.Request("waiting"), "row-waiting", 200m);
            _journal.RecordSlotWait(waiting, waiting: true);
            JournalReservation lost = _journal.ReserveCreate(JournalTestData.Request("lost"), "row-lost", 320m);
            _journal.RecordOutcomeUnknown(lost, "timed out");

            JournalSnapshot snapshot = _journal.Read();
            Assert.Equal(new[] { JournalTaskState.Sending, JournalTaskState.WaitingForSlot, JournalTaskState.OutcomeUnknown },
                new[] { "row-sending", "row-waiting", "row-lost" }.Select(name => snapshot.Tasks.Single(task => task.Name == name).CurrentState));
            JournalUsageRow row = Assert.Single(snapshot.Usage(zone: TimeZoneInfo.Utc));
            Assert.Equal((0, 2, 360m, 1, 320m, 0m), (row.Tasks, row.InFlight, row.InFlightCredits, row.OutcomeUnknown, row.UncertainCredits, row.Credits));
        }

        [Fact]
        public void EmptyJournal_HasNoRows()
        {
            Assert.Empty(_journal.Read().Usage());
        }
    
        [Fact]
        public void AChargeThatSettlesAfterSuccess_CountsItsMaximumUntilWaitRecordsTheFinalCharge_ThenTheFinalCharge()
        {
            At(24, 9);
            // seedance2-5 with a reference video: 175 shown at submit, at most 1225, 525 once settled.
            Pricing.ModelSpec spec = Pricing.PriceTable.Default.Model("seedance2-5");
            CreateTaskRequest request = new CreateTaskRequest { Prompt = "the dancer from @1", Duration = 5, Model = "seedance2-5", VideoUrls = new[] { "https://cdn.example.com/ref.mp4" } }
                .CheckedAs(spec, durationGiven: true, ratioGiven: false);
            JournalReservation reservation = _journal.ReserveCreate(request, "dancer", 1225m);
            _journal.RecordCreated(reservation, "task_ref");
            _journal.RecordStatus(JournalTestData.Task("task_ref", SeedanceTaskStatus.Generating, 175m));
            _journal.RecordStatus(JournalTestData.Task("task_ref", SeedanceTaskStatus.Success, 175m));

            JournalTaskSummary unsettled = _journal.Read().FindTask("task_ref")!;
            Assert.True(unsettled.ChargeSettlesAfterSuccess);
            Assert.False(unsettled.ChargeFinal);
            Assert.Equal(1225m, unsettled.ChargedCredits);
            Assert.Equal(1225m, Assert.Single(_journal.Read().Usage(zone: TimeZoneInfo.Utc)).Credits);

            _journal.RecordStatus(JournalTestData.Task("task_ref", SeedanceTaskStatus.Success, 525m), chargeFinal: true);
            JournalTaskSummary settled = _journal.Read().FindTask("task_ref")!;
            Assert.True(settled.ChargeFinal);
            Assert.Equal(525m, settled.ChargedCredits);
            Assert.Equal(525m, Assert.Single(_journal.Read().Usage(zone: TimeZoneInfo.Utc)).Credits);

            // A 2.0 task's charge is final at submit: what the service shows is what counts.
            JournalTestData.Create(_journal, "task_plain", credits: 200m);
            _journal.RecordStatus(JournalTestData.Task("task_plain", SeedanceTaskStatus.Success, 150m));
            JournalTaskSummary plain = _journal.Read().FindTask("task_plain")!;
            Assert.False(plain.ChargeSettlesAfterSuccess);
            Assert.Equal(150m, plain.ChargedCredits);
        }
}
}
