using System;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Workflows;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>Which succeeded tasks Wait reads again until their charge settles: the journal decides first, then the catalog.</summary>
    public class ChargeSettlingTests : OpenJournalTests
    {
        private static SeedanceTask Succeeded(string id, string model, DateTimeOffset? completedAt = null) =>
            new SeedanceTask(id) { Status = SeedanceTaskStatus.Success, StatusText = "success", Model = model, CreditsUsed = 175m, CompletedAt = completedAt };

        [Fact]
        public void AJournaledCreateWhoseChargeSettles_IsReadAgainUntilTheJournalHasItsFinalCharge()
        {
            // seedance2-5 with a reference video: its create records that the charge settles after success.
            CreateTaskRequest request = new CreateTaskRequest { Prompt = "the dancer from @1", Duration = 5, Model = "seedance2-5", VideoUrls = new[] { "https://cdn.example.com/ref.mp4" } }
                .CheckedAs(PriceTable.Default.Model("seedance2-5"), durationGiven: true, ratioGiven: false);
            _journal.RecordCreated(_journal.ReserveCreate(request, "dancer", 1225m), "task_ref");
            ChargeSettling charges = new ChargeSettling(PriceTable.Default, _journal);

            Assert.True(charges.SettlesAfterSuccess(Succeeded("task_ref", "seedance2-5")));

            // Once Wait recorded the final charge, the journal says so, whatever the model's catalog rule would say.
            _journal.RecordStatus(Succeeded("task_ref", "seedance2-5"), chargeFinal: true);
            Assert.False(charges.SettlesAfterSuccess(Succeeded("task_ref", "seedance2-5")));

            // A create the journal made with a model whose charge is final at submit is never read again.
            JournalTestData.Create(_journal, "task_plain", model: "seedance-20");
            Assert.False(charges.SettlesAfterSuccess(Succeeded("task_plain", "seedance2-5")));
        }

        [Fact]
        public void ATaskTheJournalDidNotCreate_GoesByItsModelsChargeRule_UnlessItFinishedLongAgo()
        {
            ChargeSettling charges = new ChargeSettling(PriceTable.Default, TaskJournal.Disabled);

            Assert.True(charges.SettlesAfterSuccess(Succeeded("task_extend", "seedance2-5-extend", DateTimeOffset.UtcNow)));
            Assert.False(charges.SettlesAfterSuccess(Succeeded("task_old", "seedance2-5-extend", DateTimeOffset.UtcNow - TimeSpan.FromHours(1))));
            Assert.False(charges.SettlesAfterSuccess(Succeeded("task_fast", "seedance2-fast", DateTimeOffset.UtcNow)));
            Assert.False(charges.SettlesAfterSuccess(new SeedanceTask("task_running") { Status = SeedanceTaskStatus.Generating, Model = "seedance2-5-extend" }));
        }
    }
}
