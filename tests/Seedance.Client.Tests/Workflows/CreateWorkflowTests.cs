using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Tests.TestSupport;
using Seedance.Client.Uploads;
using Seedance.Client.Validation;
using Seedance.Client.Workflows;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>
    /// The money rules of a create, each named after the rule: what the journal records for every outcome, what ends
    /// the batch, what a budget refuses, and which outcomes may have made (and billed) a task.
    /// </summary>
    public class CreateWorkflowTests : OpenJournalTests
    {
        private const decimal Price = 200m;
        private readonly VirtualClock _virtual = new VirtualClock();
        private readonly List<CreateProgress> _reports = new List<CreateProgress>();
        private Action? _onSlotWait;

        private static RetryPolicy Once => new RetryPolicy { MaxAttempts = 1, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(1), MaxTotalTime = TimeSpan.FromSeconds(1) };

        private SeedanceClient Client(FakeHttpHandler handler)
        {
            SeedanceClientOptions options = new SeedanceClientOptions(new Uri("https://api.example.test/api/v1"), new ApiKey("sk-test-create-workflow"))
            {
                ReadRetry = Once,
                CreateRetry = Once,
                Clock = _virtual,
            };
            return new SeedanceClient(options, new HttpClient(handler), new HttpClient(handler));
        }

        private static HttpResponseMessage Answer(int status, string json) => FakeHttpHandler.Json((HttpStatusCode)status, json);

        private static HttpResponseMessage Created(string id) => Answer(200, $@"{{""taskId"":""{id}""}}");

        private static HttpResponseMessage Full() => Answer(429, @"{""message"":""Concurrency limit reached"",""limit"":2,""current"":2}");

        private static CreateTaskRequest Row(string? name = "row-1") => new CreateTaskRequest
        {
            Prompt = "A red kite over green hills",
            Model = "seedance-20",
            Duration = 5,
            Ratio = "16:9",
            Name = name,
        };

        private CreateWorkflow Workflow(decimal? dailyLimit = null, decimal? maxCredits = null, bool force = false, bool whatIf = false) =>
            CreateWorkflow.Open(_journal, dailyLimit, "a test", maxCredits, force, whatIf: whatIf);

        /// <summary>A row planned and declined by ShouldProcess (under -WhatIf: shown, not sent).</summary>
        private static CreateCheck Decline(CreateWorkflow workflow, string name)
        {
            CreateCheck check = workflow.Plan(Row(name), Pricing.PriceTable.Default, RequestShape.Seed, null);
            Assert.False(workflow.Confirmed(check, confirmed: false));
            return check;
        }

        private Task<CreateOutcome> Send(CreateWorkflow workflow, FakeHttpHandler handler, CreateTaskRequest? row = null, TimeSpan? slotTimeout = null, CancellationToken cancel = default) =>
            workflow.CreateAsync(Client(handler), row ?? Row(), Price, slotTimeout, new Recorder(_reports, () => _onSlotWait?.Invoke()), cancel);

        private JournalReservationOutcome NameState(string name = "row-1") => _journal.CheckCreate(name, null).Outcome;

        private decimal SpentToday() => _journal.SpentToday();

        [Fact]
        public async Task ACreatedTaskIsRecordedUnderItsName()
        {
            CreateOutcome outcome = await Send(Workflow(), new FakeHttpHandler((_, _) => Created("task_ok")));

            Assert.Equal("task_ok", outcome.TaskId);
            Assert.Equal(JournalReservationOutcome.ExistingTask, NameState());
            Assert.Equal("task_ok", _journal.Read().FindByName("row-1").Task!.TaskId);
        }

        [Fact]
        public void ForceSendsARowPastItsUncertainCreateOrItsFailureForThisRequest_AndTheNoteSaysWhich()
        {
            _journal.RecordOutcomeUnknown(_journal.ReserveCreate(Row("row-u"), "row-u", Price), "no answer");
            JournalReservation failed = _journal.ReserveCreate(Row("row-f"), "row-f", Price);
            _journal.RecordCreated(failed, "task_failed");
            SeedanceTask task = JournalTestData.Task("task_failed", SeedanceTaskStatus.Fail, Price);
            task.Error = new SeedanceTaskError("2038", "Your input text violates platform rules.");
            _journal.RecordStatus(task);

            Assert.Equal("PossibleDuplicate", Workflow().Check(Row("row-u"), Price).Refusal!.ErrorId);
            Assert.Equal("FailedBefore", Workflow().Check(Row("row-f"), Price).Refusal!.ErrorId);
            Assert.Contains("row 'row-u' was sent before with an unknown outcome, and -Force sends it again", Workflow(force: true).Check(Row("row-u"), Price).Note);
            Assert.Contains("row 'row-f' failed before with this request, and -Force sends it again", Workflow(force: true).Check(Row("row-f"), Price).Note);
        }

        [Theory]
        [InlineData(400)]
        [InlineData(422)]
        public async Task A4xxIsCertainlyNotCreated(int status)
        {
            CreateOutcome outcome = await Send(Workflow(), new FakeHttpHandler((_, _) => Answer(status, @"{""message"":""bad prompt""}")));

            Assert.Equal(CreateFailure.NotCreated, outcome.Failure);
            Assert.False(outcome.MayExist);
            Assert.Equal(JournalReservationOutcome.Reserved, NameState()); // the Name is free to send again
            Assert.Equal(0m, SpentToday());
        }

        [Fact]
        public async Task A429IsCertainlyNotCreated()
        {
            CreateOutcome outcome = await Send(Workflow(), new FakeHttpHandler((_, _) => Full()), slotTimeout: TimeSpan.Zero);

            Assert.Equal(CreateFailure.NotCreated, outcome.Failure);
            Assert.Equal("RateLimited", outcome.Error!.ErrorId);
            Assert.Equal(JournalReservationOutcome.Reserved, NameState());
            Assert.Contains("RateLimited", _folder.Lines().Last());
        }

        [Fact]
        public async Task AConnectionNeverMadeIsCertainlyNotCreated()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) =>
                throw new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)));
            CreateOutcome outcome = await Send(Workflow(), handler);

            Assert.Equal(CreateFailure.NotCreated, outcome.Failure);
            Assert.Equal(JournalReservationOutcome.Reserved, NameState());
        }

        [Theory]
        [InlineData(WebExceptionStatus.SecureChannelFailure)] // Windows PowerShell 5.1 without TLS 1.2
        [InlineData(WebExceptionStatus.TrustFailure)]
        public async Task ATlsFailureIsCertainlyNotCreated_NeverAnUncertainCreate(WebExceptionStatus status)
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) =>
                throw new HttpRequestException("An error occurred while sending the request.", new WebException("Could not create SSL/TLS secure channel.", status)));
            CreateOutcome outcome = await Send(Workflow(), handler);

            Assert.Equal(CreateFailure.NotCreated, outcome.Failure);
            Assert.False(outcome.MayExist);
            Assert.Equal("TlsFailure", outcome.Error!.ErrorId);
            Assert.Equal(JournalReservationOutcome.Reserved, NameState());
            Assert.Equal(0m, SpentToday());
            Assert.Contains("TlsFailure", _folder.Lines().Last());
        }

        [Fact]
        public async Task A5xxMayHaveCreatedTheTask()
        {
            CreateOutcome outcome = await Send(Workflow(), new FakeHttpHandler((_, _) => Answer(500, @"{""message"":""internal""}")));

            Assert.Equal(CreateFailure.MayExist, outcome.Failure);
            Assert.Equal(JournalReservationOutcome.PossibleDuplicate, NameState());
            Assert.Equal(Price, SpentToday()); // counted: it may be billed
        }

        [Fact]
        public async Task ALostAnswerIsOutcomeUnknown_AndEndsTheBatchNamingTheCreate()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) =>
                throw new HttpRequestException("reset", new System.IO.IOException("Connection reset by peer", new SocketException((int)SocketError.ConnectionReset))));
            CreateOutcome outcome = await Send(Workflow(), handler);

            Assert.Equal(CreateFailure.OutcomeUnknown, outcome.Failure);
            Assert.True(outcome.MayExist);
            Assert.IsType<CreateOutcomeUnknownException>(outcome.Error);
            Assert.Equal(JournalReservationOutcome.PossibleDuplicate, NameState());
        }

        [Theory]
        [InlineData(401)]
        [InlineData(402)]
        [InlineData(403)]
        [InlineData(404)]
        public async Task FatalForTheBatch_NoKeyNoAccessNoCreditsOrNoCreateEndpoint(int status)
        {
            CreateOutcome outcome = await Send(Workflow(), new FakeHttpHandler((_, _) => Answer(status, @"{""message"":""no""}")));

            Assert.Equal(CreateFailure.FatalForTheBatch, outcome.Failure);
            Assert.Equal(JournalReservationOutcome.Reserved, NameState()); // and certainly not created
        }

        [Fact]
        public async Task FatalForTheBatch_EndsTheCommandsCreates_EachLaterOneIsRefusedWithItBeforeSending()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Answer(402, @"{""message"":""no credits""}"));
            CreateWorkflow workflow = Workflow();
            CreateOutcome first = await Send(workflow, handler, Row("a"));

            Assert.Same(first.Error, workflow.EndedBy);
            Assert.Same(first.Error, workflow.Check(Row("b"), Price).Refusal);
            Assert.Equal(1, handler.Count);
        }

        [Fact]
        public void FatalForTheBatch_AHostWithoutUploads_NotAFileItCouldNotUpload()
        {
            SeedanceApiException notFound = SeedanceApiException.FromResponse(HttpStatusCode.NotFound, "{}", "uploads", null);
            Assert.True(CreateWorkflow.IsFatalForTheBatch(Problems.UploadsNotSupported(new Uri("https://api.example.test/api/v1/uploads"), notFound)));
            Assert.False(CreateWorkflow.IsFatalForTheBatch(notFound));
            Assert.False(CreateWorkflow.IsFatalForTheBatch(SeedanceApiException.FromResponse(HttpStatusCode.BadRequest, "{}", "createTask", null)));
        }

        [Fact]
        public void DailyLimitNeedsTheJournal_EveryCreateIsRefusedBeforeAnyIsSent()
        {
            CreateWorkflow workflow = CreateWorkflow.Open(TaskJournal.Disabled, 500m, "SEEDANCE_DAILY_CREDIT_LIMIT", null, false);
            JournalException refused = Assert.IsType<JournalException>(workflow.EndedBy);
            Assert.Equal(JournalFailureReason.Disabled, refused.Reason);
            Assert.Contains("SEEDANCE_DAILY_CREDIT_LIMIT", refused.Message);
            Assert.Same(refused, workflow.Check(Row(), Price).Refusal);
            Assert.Null(CreateWorkflow.Open(TaskJournal.Disabled, null, null, null, false).EndedBy);
        }

        [Fact]
        public async Task DailyCreditLimit_RefusesTheCreateThatWouldGoOver_BeforeSending()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => Created("task_" + n));
            CreateWorkflow workflow = Workflow(dailyLimit: 300m);
            Assert.NotNull((await Send(workflow, handler, Row("a"))).TaskId);

            BudgetExceededException before = Assert.IsType<BudgetExceededException>(workflow.Check(Row("b"), Price).Refusal);
            CreateOutcome outcome = await Send(workflow, handler, Row("b"));

            Assert.Equal(BudgetKind.DailyCreditLimit, before.Kind);
            Assert.IsType<BudgetExceededException>(outcome.Error);
            Assert.Null(outcome.Failure); // refused before sending
            Assert.Equal(1, handler.Count);
        }

        [Fact]
        public void Plan_ARowWithAProblemIsNeitherPricedNorChecked_SoNothingIsSent()
        {
            JournalTestData.Create(_journal, "task_1", "row-1", prompt: Row().Prompt!);
            CreateTaskRequest tooLong = Row();
            tooLong.Duration = 99;
            CreateCheck plan = Workflow().Plan(tooLong, Pricing.PriceTable.Default, RequestShape.Seed, null,
                new[] { new Validation.ValidationFailure("InvalidSeed", "Seed", "x", "bad seed") });
            Assert.True(plan.HasProblems);
            Assert.Equal("InvalidSeed", plan.Failures[0].ErrorId); // what binding found comes first, then the catalog's
            Assert.Contains(plan.Failures, failure => failure.ErrorId != "InvalidSeed");
            Assert.Null(plan.Cost);
            Assert.Null(plan.Existing); // not even the journal's reuse of row-1: a row with a problem is its errors only
        }

        [Fact]
        public void Plan_ABudgetNeverGuesses_AnUnpricedModelIsRefusedUnderABudget_AndCheckedWithoutOne()
        {
            CreateTaskRequest unpriced = Row();
            unpriced.Model = "somebody-elses-model";
            CreateCheck underBudget = Workflow(maxCredits: 1000m).Plan(unpriced, Pricing.PriceTable.Default, RequestShape.Seed, null);
            Assert.Equal("BudgetNeedsPrice", Assert.Single(underBudget.Failures).ErrorId);
            Assert.Equal(string.Empty, underBudget.Note); // not checked
            Assert.Contains(underBudget.Warnings, warning => warning.Contains("is not in the catalog")); // said before the error

            Assert.Equal("BudgetNeedsPrice", Assert.Single(Workflow(dailyLimit: 1000m).Plan(unpriced, Pricing.PriceTable.Default, RequestShape.Seed, null).Failures).ErrorId);
            CreateCheck noBudget = Workflow().Plan(unpriced, Pricing.PriceTable.Default, RequestShape.Seed, null);
            Assert.False(noBudget.HasProblems);
            Assert.StartsWith("Create Seedance task, price unknown", noBudget.Action);
        }

        [Theory]
        [InlineData("CallbackUri")]
        [InlineData("Image")]
        [InlineData("Prompt")]
        [InlineData("AdditionalInput")]
        [InlineData("Model")]
        [InlineData("Ratio")] // also an unknown ratio: the key's refusal is the only one, since InvalidRatio quotes the value
        public void Plan_ARequestThatCarriesTheApiKey_IsRefusedByParameter_NeverNamingTheKey(string parameter)
        {
            const string Key = "sk-live-carried-0123456789";
            CreateTaskRequest row = Row();
            switch (parameter)
            {
                case "CallbackUri": row.CallbackUri = new Uri("https://hooks.example.com/x?k=" + Key); break;
                case "Image": row.ImageUrls = new[] { "https://cdn.example.com/a.png?token=" + Key.ToUpperInvariant() }; break;
                case "Prompt": row.Prompt = "a kite " + Key; break;
                case "Model": row.Model = Key; break;
                case "Ratio": row.Ratio = Key; break;
                default: row.AdditionalInputs = new Dictionary<string, object?> { ["notes"] = new object?[] { "x", Key } }; break;
            }

            CreateWorkflow keyed = CreateWorkflow.Open(_journal, null, null, null, false, new ApiKey(Key));
            ValidationFailure refused = Assert.Single(keyed.Plan(row, Pricing.PriceTable.Default, RequestShape.Seed, null).Failures);

            Assert.Equal(("RequestContainsApiKey", parameter, parameter), (refused.ErrorId, refused.ParameterName, refused.Target as string));
            Assert.DoesNotContain(Key, refused.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Empty(keyed.Plan(Row(), Pricing.PriceTable.Default, RequestShape.Seed, null).Failures);
        }

        [Fact]
        public void Plan_WithAKey_AnInputWithNoJsonForm_IsStillTheValidatorsRefusal_NotAnException()
        {
            CreateTaskRequest row = Row();
            row.AdditionalInputs = new Dictionary<string, object?> { ["when"] = double.NaN };
            CreateWorkflow keyed = CreateWorkflow.Open(_journal, null, null, null, false, new ApiKey("sk-live-carried-0123456789"));

            Assert.Equal("InvalidAdditionalInput", Assert.Single(keyed.Plan(row, Pricing.PriceTable.Default, RequestShape.Seed, null).Failures).ErrorId);
        }

        [Fact]
        public void Plan_AValidRowIsPricedAndChecked_AgainstTheJournalAndTheBudget()
        {
            JournalTestData.Create(_journal, "task_1", "row-1", prompt: Row().Prompt!);
            CreateCheck reuse = Workflow().Plan(Row(), Pricing.PriceTable.Default, RequestShape.Seed, null);
            Assert.Equal("task_1", reuse.Existing?.TaskId);

            CreateCheck refused = Workflow(maxCredits: 1m).Plan(Row("row-2"), Pricing.PriceTable.Default, RequestShape.Seed, null);
            Assert.False(refused.HasProblems);
            Assert.IsType<BudgetExceededException>(refused.Refusal);
            Assert.Equal(Pricing.PriceTable.Default.CostOf(Row("row-2")).Credits, refused.Cost!.Credits);
        }

        [Fact]
        public void WhatIf_AddsUp_APreviewedCreateCountsForTheNextRowsCheckAndNote()
        {
            // Issue 18: under -WhatIf both rows said "300 left"; the real run refuses row b.
            CreateWorkflow workflow = Workflow(maxCredits: 300m, whatIf: true);
            Assert.Contains("-MaxCredits 300: 100 left after it", Decline(workflow, "a").Note);

            BudgetExceededException refused = Assert.IsType<BudgetExceededException>(workflow.Check(Row("b"), Price).Refusal);
            Assert.Equal((BudgetKind.MaxCredits, 200m), (refused.Kind, refused.Spent));
            Assert.Equal("What if: 1 task would be created, 200 credits ($1.00) in all.", workflow.PreviewSummary);
        }

        [Fact]
        public void WhatIf_AddsUp_UnderTheDailyLimitToo()
        {
            CreateWorkflow workflow = Workflow(dailyLimit: 500m, whatIf: true);
            Assert.Contains("daily credit limit 500: 300 left after it", Decline(workflow, "a").Note);
            Assert.Contains("daily credit limit 500: 100 left after it", Decline(workflow, "b").Note);
            Assert.Equal(BudgetKind.DailyCreditLimit, Assert.IsType<BudgetExceededException>(workflow.Check(Row("c"), Price).Refusal).Kind);
        }

        [Fact]
        public void ADeclinedCreate_WithoutWhatIf_CountsForNothing()
        {
            CreateWorkflow workflow = Workflow(maxCredits: 300m);
            Decline(workflow, "a");

            Assert.Contains("-MaxCredits 300: 100 left after it", workflow.Check(Row("b"), Price).Note);
            Assert.Equal("What if: 0 tasks would be created, 0 credits ($0.00) in all.", workflow.PreviewSummary);
        }

        [Fact]
        public async Task MaxCredits_CountsWhatWasSent_AndGivesBackWhatWasCertainlyNotCreated()
        {
            CreateWorkflow workflow = Workflow(maxCredits: 300m);
            await Send(workflow, new FakeHttpHandler((_, _) => Answer(400, @"{""message"":""bad""}")), Row("a"));
            Assert.Null(workflow.Check(Row("b"), Price).Refusal); // the refused create cost nothing

            await Send(workflow, new FakeHttpHandler((_, _) => Answer(500, @"{""message"":""internal""}")), Row("b"));
            BudgetExceededException refused = Assert.IsType<BudgetExceededException>(workflow.Check(Row("c"), Price).Refusal);
            Assert.Equal(BudgetKind.MaxCredits, refused.Kind); // the 5xx may be billed: counted
        }

        [Fact]
        public async Task ARowWithATaskIsNotCreatedAgain()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => Created("task_" + n));
            await Send(Workflow(), handler);

            CreateWorkflow again = Workflow(force: true);
            Assert.Equal("task_1", again.Check(Row(), Price).Existing!.TaskId);
            Assert.Equal("task_1", (await Send(again, handler)).Existing!.TaskId);
            Assert.Equal(1, handler.Count);
        }

        [Fact]
        public async Task AnUnknownOutcomeBlocksItsName_UnlessForce()
        {
            await Send(Workflow(), new FakeHttpHandler((_, _) => Answer(503, @"{""message"":""down""}")));
            FakeHttpHandler handler = new FakeHttpHandler((_, _) => Created("task_forced"));

            Assert.IsType<PossibleDuplicateException>(Workflow().Check(Row(), Price).Refusal);
            Assert.IsType<PossibleDuplicateException>((await Send(Workflow(), handler)).Error);
            Assert.Equal(0, handler.Count);
            Assert.Equal("task_forced", (await Send(Workflow(force: true), handler)).TaskId);
        }

        [Fact]
        public async Task StoppedWhileWaitingForASlot_IsNeverSent()
        {
            using CancellationTokenSource stop = new CancellationTokenSource();
            _onSlotWait = stop.Cancel; // Ctrl+C during the 429's wait
            CreateOutcome outcome = await Send(Workflow(), new FakeHttpHandler((_, _) => Full()), cancel: stop.Token);

            Assert.True(outcome.IsStopped);
            Assert.False(outcome.MayExist);
            Assert.Equal(JournalReservationOutcome.Reserved, NameState());
            Assert.NotNull(Assert.Single(_reports).Slot);
        }

        [Fact]
        public async Task StoppedWhileSending_MayHaveCreatedTheTask()
        {
            using CancellationTokenSource stop = new CancellationTokenSource();
            FakeHttpHandler handler = new FakeHttpHandler(async (_, _, token) =>
            {
                stop.Cancel();
                await Task.Delay(Timeout.Infinite, token);
                return Created("never");
            });
            CreateOutcome outcome = await Send(Workflow(), handler, cancel: stop.Token);

            Assert.True(outcome.IsStopped);
            Assert.True(outcome.MayExist);
            Assert.Equal(JournalReservationOutcome.PossibleDuplicate, NameState());
        }

        [Fact]
        public async Task ASlotWaitIsRecorded_SoAKilledWaitLeavesTheNameFree()
        {
            FakeHttpHandler handler = new FakeHttpHandler((_, n) => n == 1 ? Full() : Created("task_after_wait"));
            CreateOutcome outcome = await Send(Workflow(), handler);

            Assert.Equal("task_after_wait", outcome.TaskId);
            Assert.Equal(2, handler.Count);
            Assert.NotNull(Assert.Single(_reports).Slot);
        }

        [Fact]
        public void RowChangedSince_ComparesWhatWasPaidFor()
        {
            JournalTestData.Create(_journal, "task_1", name: "row-1", prompt: "A red kite over green hills");
            JournalTaskSummary made = _journal.Read().FindTask("task_1")!;

            Assert.Null(CreateRows.ChangedSince(made, JournalTestData.Request("A red kite over green hills")));
            Assert.NotNull(CreateRows.ChangedSince(made, new CreateTaskRequest { Prompt = "Another prompt", Model = "seedance-20", Duration = 5 }));
        }

        [Fact]
        public void RowChangedSince_ALocalFileUploadedToANewUrl_IsUnchanged_UntilItsContentChanges()
        {
            CreateTaskRequest Row(string url, char hash)
            {
                CreateTaskRequest request = JournalTestData.Request("A cat in @1");
                request.ImageUrls = new[] { url };
                request.LocalFiles = new[] { new MaterialFile(Seedance.Client.Uploads.MaterialKind.Image, 0, "/data/cat.png", new string(hash, 64)) };
                return request;
            }

            _journal.RecordCreated(_journal.ReserveCreate(Row("https://up.example/run1.png", 'a'), "row-1", 200m), "task_1");
            JournalTaskSummary made = _journal.Read().FindTask("task_1")!;

            Assert.Null(CreateRows.ChangedSince(made, Row("https://up.example/run2.png", 'a')));
            Assert.NotNull(CreateRows.ChangedSince(made, Row("https://up.example/run2.png", 'b')));
        }

        private sealed class Recorder : IProgress<CreateProgress>
        {
            private readonly List<CreateProgress> _reports;
            private readonly Action _onSlotWait;

            public Recorder(List<CreateProgress> reports, Action onSlotWait)
            {
                _reports = reports;
                _onSlotWait = onSlotWait;
            }

            public void Report(CreateProgress value)
            {
                lock (_reports)
                {
                    _reports.Add(value);
                }

                if (value.Slot is not null)
                {
                    _onSlotWait();
                }
            }
        }
    }
}
