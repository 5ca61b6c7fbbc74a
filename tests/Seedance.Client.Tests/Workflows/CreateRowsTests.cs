using System;
using System.Collections.Generic;
using System.Linq;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Validation;
using Seedance.Client.Workflows;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>The row rules moved from New-SeedanceTask into the client (issue 14), each tested after its rule.</summary>
    public sealed class CreateRowsTests : OpenJournalTests
    {
        private JournalTaskSummary Journaled(string taskId, string? name, string prompt = "A red fox in fresh snow")
        {
            JournalTestData.Create(_journal, taskId, name, prompt: prompt);
            return _journal.Read().FindTask(taskId)!;
        }

        private static CreateTaskRequest RequestOf(CreateRow row, out IReadOnlyList<ValidationFailure> failures) =>
            CreateRows.Request(row, PriceTable.Default, "/projects/started-here", out failures);

        [Fact]
        public void ARowsBlankModelRatioAndDuration_AreTheDefaults()
        {
            CreateTaskRequest request = RequestOf(new CreateRow { Prompt = "A fox", Model = " ", Ratio = "", Mode = " Reference " }, out IReadOnlyList<ValidationFailure> failures);
            Assert.Empty(failures);
            Assert.Equal((PriceTable.Default.DefaultModel, "16:9", 5, "reference"), (request.Model, request.Ratio, request.Duration, request.Mode));
            Assert.False(request.DurationGiven || request.RatioGiven);
        }

        [Fact]
        public void AModelWithoutADuration_JournalsZero()
        {
            Assert.Equal(0, RequestOf(new CreateRow { Prompt = "A fox", Model = "seedance2-5-edit", Duration = 8 }, out _).Duration);
        }

        [Fact]
        public void ADurationThatIsNoWholeNumber_IsRefused_NeverDroppedForTheDefault()
        {
            CreateTaskRequest request = RequestOf(new CreateRow { Prompt = "A fox", UnparsedDuration = "8.5" }, out IReadOnlyList<ValidationFailure> failures);
            Assert.Equal(("InvalidDuration", "8.5"), (Assert.Single(failures).ErrorId, failures[0].Target as string));
            Assert.True(request.DurationGiven);
            Assert.Equal(4, request.Duration); // the model's shortest stands in, so the other checks still run
        }

        [Fact]
        public void AMalformedCallback_IsRefused_NeverDropped()
        {
            CreateTaskRequest request = RequestOf(new CreateRow { Prompt = "A fox", CallbackUri = "ftp://hooks.example.com/x" }, out IReadOnlyList<ValidationFailure> failures);
            Assert.Equal("InvalidCallbackUri", Assert.Single(failures).ErrorId);
            Assert.Null(request.CallbackUri);
            Assert.Equal(new Uri("https://hooks.example.com/x"), RequestOf(new CreateRow { CallbackUri = " https://hooks.example.com/x " }, out _).CallbackUri);
        }

        [Fact]
        public void ARowsTextLosesItsControlCharacters_AndABlankNameIsNone()
        {
            CreateTaskRequest request = RequestOf(new CreateRow { Prompt = "A fox\u001b[31m", Name = " row-1\u0007 " }, out _);
            Assert.Equal(("A fox", "row-1"), (request.Prompt, request.Name));
            Assert.Null(RequestOf(new CreateRow { Prompt = "A fox", Name = " \u0007 " }, out _).Name);
        }

        [Fact]
        public void ARowWithoutABatch_IsInTheFolderTheCommandStartedIn()
        {
            Assert.Equal("/projects/started-here", RequestOf(new CreateRow { Prompt = "A fox", Batch = " " }, out _).Batch);
            Assert.Equal("nightly", RequestOf(new CreateRow { Prompt = "A fox", Batch = " nightly " }, out _).Batch);
        }

        [Fact]
        public void ARowsMaterialCells_AreSplitIntoOneUrlEach()
        {
            CreateTaskRequest request = RequestOf(new CreateRow { Prompt = "A fox", Image = new[] { "https://a.example.com/1.png;https://a.example.com/2.png" } }, out _);
            Assert.Equal(new[] { "https://a.example.com/1.png", "https://a.example.com/2.png" }, request.ImageUrls);
        }

        [Fact]
        public void OptionalInputs_GoIntoTheInputsUnderTheServicesNames()
        {
            CreateTaskRequest request = JournalTestData.Request();
            Assert.Empty(CreateRows.AddOptionalInputs(request, " 1080P ", "-1", "$False"));
            Assert.Equal("1080p", request.AdditionalInputs["outputResolution"]);
            Assert.Equal(-1L, request.AdditionalInputs["seed"]);
            Assert.Equal(false, request.AdditionalInputs["generate_audio"]);
        }

        [Theory]
        [InlineData("abc", null, "InvalidSeed")]
        [InlineData("4.5", null, "InvalidSeed")]
        [InlineData(null, "maybe", "InvalidGenerateAudio")]
        public void OptionalInputs_ABadCellIsRefused_NeverDropped(string? seed, string? audio, string errorId)
        {
            CreateTaskRequest request = JournalTestData.Request();
            Assert.Empty(CreateRows.AddOptionalInputs(request, null, seed, audio));
            Assert.Equal(seed ?? audio, Assert.Single(request.AdditionalInputs).Value);
            ValidationFailure refused = Assert.Single(CreateTaskRequestValidator.Validate(request, PriceTable.Default, RequestShape.Seed));
            Assert.Equal((errorId, seed ?? audio), (refused.ErrorId, refused.Target as string));
        }

        [Fact]
        public void OptionalInputs_ANameGivenAlsoByAdditionalInput_IsRefused()
        {
            CreateTaskRequest request = JournalTestData.Request();
            request.AdditionalInputs = new System.Collections.Generic.Dictionary<string, object?> { ["Seed"] = 1L };
            ValidationFailure failure = Assert.Single(CreateRows.AddOptionalInputs(request, null, "2", null));
            Assert.Equal(("AdditionalInputCollides", "seed"), (failure.ErrorId, failure.Target as string));
        }

        [Fact]
        public void ABudgetNeverGuesses_AModelWithoutAPriceIsRefusedOnlyUnderABudget()
        {
            CreateTaskRequest request = new CreateTaskRequest { Model = "somebody-elses-model" };
            CreditCost unknown = PriceTable.Default.CostOf(request);
            Assert.False(unknown.PriceKnown);
            Assert.Equal("BudgetNeedsPrice", CreateRows.BudgetNeedsPrice(request, unknown, budgetGiven: true)!.ErrorId);
            Assert.Null(CreateRows.BudgetNeedsPrice(request, unknown, budgetGiven: false));
            Assert.Null(CreateRows.BudgetNeedsPrice(JournalTestData.Request(), PriceTable.Default.CostOf(JournalTestData.Request()), budgetGiven: true));
        }

        [Fact]
        public void ARefusalForWhatTheJournalKnows_WaitsForTheEnd_AnyOtherIsTheRowsErrorNow()
        {
            JournalTaskSummary earlier = Journaled("task_1", "row-1");
            Assert.True(CreateRows.WaitsForTheEnd(new PossibleDuplicateException("row-1", earlier, JournalTestData.Request())));
            Assert.True(CreateRows.WaitsForTheEnd(Problems.FailedBefore("row-1", earlier, JournalTestData.Request())));
            Assert.False(CreateRows.WaitsForTheEnd(new BudgetExceededException(BudgetKind.MaxCredits, 0m, 100m, 200m, JournalTestData.Request())));
        }

        [Fact]
        public void AReusedRowThatChangedSince_IsSaid_AnUnchangedOneIsNot()
        {
            JournalTaskSummary made = Journaled("task_1", "row-1", "A red kite");
            CreateTaskRequest same = JournalTestData.Request("A red kite");
            same.Name = "row-1";
            CreateTaskRequest changed = JournalTestData.Request("A blue kite");
            changed.Name = "row-1";

            Assert.Null(CreateRows.ChangedSince(made, same));
            Assert.Contains("Row 'row-1' differs from the request its task task_1 was made from", CreateRows.ChangedSince(made, changed));
        }

        [Fact]
        public void TheShouldProcessTargetAndAction_SayTheRequestThePriceAndTheNote()
        {
            CreateTaskRequest request = JournalTestData.Request();
            request.ImageUrls = new[] { "https://cdn.example.com/a.png" };
            request.CheckedAs(PriceTable.Default.Model("seedance-20"), durationGiven: true, ratioGiven: false);
            CreateCheck check = CreateWorkflow.Open(_journal, null, null, maxCredits: 1000m, force: false).Plan(request, PriceTable.Default, RequestShape.Seed, null);
            Assert.Equal("'A red fox in fresh snow' (seedance-20, 5s, 16:9, 1 image(s), 0 video(s), request shape Seed)", check.Target);

            Assert.Contains("-MaxCredits 1000", check.Note);
            Assert.StartsWith($"Create Seedance task costing {check.Cost!.Credits} credits", check.Action);
            Assert.EndsWith(check.Note, check.Action);
        }

        [Fact]
        public void ALostAnswer_OrAFailureEveryCreateWouldMeet_EndsTheBatch_OthersAreTheRowsError()
        {
            SeedanceException e = new SeedanceException("x");
            Assert.True(CreateOutcome.Failed(e, CreateFailure.OutcomeUnknown).EndsTheBatch);
            Assert.True(CreateOutcome.Failed(e, CreateFailure.FatalForTheBatch).EndsTheBatch);
            Assert.False(CreateOutcome.Failed(e, CreateFailure.NotCreated).EndsTheBatch);
            Assert.False(CreateOutcome.Failed(e, CreateFailure.MayExist).EndsTheBatch);
            Assert.False(new CreateOutcome { Error = e }.EndsTheBatch);
        }

        [Fact]
        public void TheCreatedTask_CarriesTheRowsNameBatchAndRequest_AndIsWaiting()
        {
            CreateTaskRequest request = JournalTestData.Request();
            request.Name = "row-1";
            request.Batch = "/projects/a";
            SeedanceTask task = CreateRows.Created("task_1", request, _clock.Now);
            Assert.Equal(("task_1", SeedanceTaskStatus.Waiting, "row-1", "/projects/a", request.Prompt, (int?)5), (task.TaskId, task.Status, task.Name, task.Batch, task.Prompt, task.Duration));
        }

        [Fact]
        public void RowsReusedByName_AreSaidInOneLine_WithTheirBatch()
        {
            RowNotes notes = new RowNotes();
            Assert.Empty(notes.Announcements(whatIf: false, _clock.Now));
            notes.Reused("fox", Journaled("task_1", "fox"));
            notes.Reused("cat", Journaled("task_2", "cat"));

            string line = Assert.Single(notes.Announcements(whatIf: false, _clock.Now));
            Assert.StartsWith("2 rows already have tasks from ", line);
            Assert.Contains("(not saved yet): fox, cat; nothing created for them", line);
        }

        [Fact]
        public void ANamedRowCreatedBesideATaskInAnotherBatch_IsSaid_AsWouldBeUnderWhatIf()
        {
            CreateTaskRequest request = JournalTestData.Request();
            request.Name = "fox";
            request.Batch = "/projects/b";
            CreateTaskRequest elsewhere = JournalTestData.Request();
            elsewhere.Batch = "/projects/a";
            _journal.RecordCreated(_journal.ReserveCreate(elsewhere, "fox", 200m), "task_fox_a");
            CreateCheck check = CreateWorkflow.Open(_journal, null, null, null, false).Check(request, 200m);
            Assert.Equal("task_fox_a", check.NameInOtherBatch?.TaskId);

            RowNotes notes = new RowNotes();
            notes.Sending(request, check, sent: false);
            Assert.Contains("1 row has a Name with a task in another batch (/projects/a): fox; it would be created anew in this batch (/projects/b).", Assert.Single(notes.Announcements(whatIf: true, _clock.Now)));
        }

        [Fact]
        public void AnUnnamedRowSentAgain_IsSaidOnce_OnlyWhenReallySent()
        {
            JournalTestData.Create(_journal, "task_unnamed");
            _clock.Advance(TimeSpan.FromMinutes(2));
            CreateCheck check = CreateWorkflow.Open(_journal, null, null, null, false).Check(JournalTestData.Request(), 200m);
            Assert.Equal("task_unnamed", check.SameUnnamed?.TaskId);

            RowNotes notes = new RowNotes();
            notes.Sending(JournalTestData.Request(), check, sent: false);
            Assert.Empty(notes.Announcements(whatIf: true, _clock.Now));
            notes.Sending(JournalTestData.Request(), check, sent: true);
            Assert.Equal("1 row matches a task created 2 minutes ago (task_unnamed) with the same request and no Name; it was sent again, and paid again. " +
                "Give each row a Name (a Name column in the CSV): a re-run then uses the row's task instead of creating another.", Assert.Single(notes.Announcements(whatIf: false, _clock.Now)));
        }

        [Fact]
        public void WhatIf_AddsUpInOneClosingLine()
        {
            CreateWorkflow workflow = CreateWorkflow.Open(_journal, null, null, null, false, whatIf: true);
            foreach (string prompt in new[] { "A fox", "A cat" })
            {
                workflow.Confirmed(workflow.Plan(RequestOf(new CreateRow { Prompt = prompt }, out _), PriceTable.Default, RequestShape.Seed, null), confirmed: false);
            }

            Assert.Equal("What if: 2 tasks would be created, 400 credits ($2.00) in all.", workflow.PreviewSummary);
        }
    }
}
