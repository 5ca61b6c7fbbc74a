using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Tests.TestSupport;
using Seedance.Client.Waiting;
using Seedance.Client.Workflows;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>
    /// Wait-SeedanceTask -RetryFailed (issue 16): which failures are resubmitted, how many times per row, which request is
    /// sent, how each attempt is linked to its row in the journal, and that a resubmission passes the create's money checks.
    /// </summary>
    public sealed class ResubmissionTests : OpenJournalTests
    {
        private const string Transient = "Generation failed. Please try again.";

        /// <summary>A row created through the journal (with a Name and a Batch) whose task then failed with this error.</summary>
        private SeedanceTask Failed(string taskId, string? code = "500", string message = Transient, string name = "row-1", JournalAttempt? attempt = null)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            CreateTaskRequest request = Row(name);
            JournalReservation reservation = _journal.ReserveCreate(request, name, 200m, attempt: attempt);
            Assert.Equal(JournalReservationOutcome.Reserved, reservation.Outcome);
            _journal.RecordCreated(reservation, taskId);
            SeedanceTask task = JournalTestData.Task(taskId, SeedanceTaskStatus.Fail, 0m);
            task.Name = name;
            task.Error = new SeedanceTaskError(code, message);
            _journal.RecordStatus(task);
            return task;
        }

        private static CreateTaskRequest Row(string name = "row-1")
        {
            CreateTaskRequest request = JournalTestData.Request();
            request.Name = name;
            request.Batch = "/home/ann/batch";
            request.ImageUrls = new[] { "https://cdn.example.com/fox.png" };
            return request;
        }

        private SeedanceTask Succeeded(string taskId)
        {
            SeedanceTask task = JournalTestData.Task(taskId, SeedanceTaskStatus.Success, 200m);
            _journal.RecordStatus(task);
            return task;
        }

        [Theory]
        [InlineData(SeedanceFailureClass.Transient, false, true)]
        [InlineData(SeedanceFailureClass.OutputModeration, false, false)]
        [InlineData(SeedanceFailureClass.OutputModeration, true, true)]
        [InlineData(SeedanceFailureClass.Input, true, false)]
        [InlineData(SeedanceFailureClass.Unknown, true, false)]
        public void ATransientFailureIsResubmitted_OutputModerationOnlyWhenAsked_InputAndUnknownNever(string failureClass, bool outputModeration, bool resubmitted) =>
            Assert.Equal(resubmitted, Resubmission.IsResubmitted(failureClass, outputModeration));

        [Theory]
        [InlineData(1, 0, 0)]
        [InlineData(1, 2, 2)]
        [InlineData(2, 2, 1)]
        [InlineData(3, 2, 0)]
        [InlineData(5, 2, 0)]
        public void ARowGetsAtMostNResubmissions_CountedOverEveryAttemptTheJournalLinks(int attempt, int retryFailed, int left) =>
            Assert.Equal(left, Resubmission.AttemptsLeft(attempt, retryFailed));

        [Fact]
        public void WithoutRetryFailed_NothingIsResubmitted()
        {
            SeedanceTask failed = Failed("task_1");

            ResubmitDecision decision = Resubmission.Decide(failed, _journal.Read(), 0, false);
            Assert.Equal((null, null), (decision.Request, decision.WhyNot));
        }

        [Fact]
        public void TheRequestSentAgainIsTheOriginalIntents_WithItsNameBatchAndMaterials()
        {
            SeedanceTask failed = Failed("task_1");

            ResubmitDecision decision = Resubmission.Decide(failed, _journal.Read(), 2, false);

            Assert.Null(decision.WhyNot);
            Assert.Equal("A red fox in fresh snow", decision.Request!.Prompt);
            Assert.Equal("row-1", decision.Request.Name);
            Assert.Equal("/home/ann/batch", decision.Request.Batch);
            Assert.Equal(new[] { "https://cdn.example.com/fox.png" }, decision.Request.ImageUrls);
            Assert.Equal("task_1", decision.Attempt!.RetryOf);
            Assert.Equal(2, decision.Attempt.Number);
        }

        [Fact]
        public void ATaskTheJournalDidNotCreate_HasNoRequestToSend()
        {
            SeedanceTask failed = JournalTestData.Task("task_elsewhere", SeedanceTaskStatus.Fail);
            failed.Error = new SeedanceTaskError("500", Transient);

            foreach (JournalSnapshot? journal in new[] { _journal.Read(), null })
            {
                ResubmitDecision decision = Resubmission.Decide(failed, journal, 2, false);
                Assert.Null(decision.Request);
                Assert.Equal("not resubmitted: the task journal does not have its request", decision.WhyNot);
                ProblemAssert.Is(SeedanceProblem.ResubmitRequestUnknown, decision.Refusal);
            }
        }

        [Fact]
        public void AnInputFailureIsNotResubmitted_AndAnExhaustedRowIsNot()
        {
            ResubmitDecision input = Resubmission.Decide(Failed("task_bad", "2038", "Your input text violates platform rules.", name: "row-bad"), _journal.Read(), 5, true);
            Assert.Null(input.Request);
            Assert.Contains("a failure of class Input fails again", input.WhyNot);

            Failed("task_1");
            Failed("task_2", attempt: new JournalAttempt("task_1", 2));
            SeedanceTask third = Failed("task_3", attempt: new JournalAttempt("task_2", 3));
            ResubmitDecision decision = Resubmission.Decide(third, _journal.Read(), 2, false);

            Assert.Null(decision.Request);
            Assert.Equal("not resubmitted: its row has had its 2 resubmission(s) (-RetryFailed 2)", decision.WhyNot);
            Assert.Equal(new[] { "task_1", "task_2" }, third.EarlierAttempts.Select(a => a.TaskId));
            Assert.Equal(new[] { 1, 2 }, third.EarlierAttempts.Select(a => a.Attempt));
            Assert.Equal(SeedanceFailureClass.Transient, third.EarlierAttempts[0].FailureClass);
        }

        [Fact]
        public void AResubmissionIsLinkedToTheFailedTaskInItsIntent_AndAFormerIntentWithoutALinkIsAttemptOne()
        {
            Failed("task_1");
            Failed("task_2", attempt: new JournalAttempt("task_1", 2));

            string linked = _folder.Lines().Single(line => line.Contains("\"type\":\"intent\"") && line.Contains("retryOf"));
            Assert.Contains("\"retryOf\":\"task_1\",\"attempt\":2", linked);
            JournalSnapshot journal = _journal.Read();
            Assert.Equal(1, journal.FindTask("task_1")!.AttemptNumber);
            Assert.Null(journal.FindTask("task_1")!.Attempt);
            Assert.Equal(2, journal.FindTask("task_2")!.AttemptNumber);
        }

        [Fact]
        public void AfterASuccessfulResubmission_TheRowsTaskIsTheNewestAttempt_NeitherCreatedAgainNorFailedBefore()
        {
            Failed("task_1", "1001", "The generated video did not pass review.");
            JournalReservation again = _journal.ReserveCreate(Row(), "row-1", 200m, attempt: new JournalAttempt("task_1", 2));
            _journal.RecordCreated(again, "task_2");
            Succeeded("task_2");

            JournalReservation row = _journal.Read().FindByName("row-1", Row());
            Assert.Equal(JournalReservationOutcome.ExistingTask, row.Outcome);
            Assert.Equal("task_2", row.Task!.TaskId);
        }

        [Fact]
        public void AResubmissionIsNotRefusedByTheFailureItResubmits_ButOneAlreadyMadeIsUsedInsteadOfSentAgain()
        {
            Failed("task_1", "1001", "The generated video did not pass review.");
            CreateTaskRequest same = Row();
            Assert.Equal(JournalReservationOutcome.FailedBefore, _journal.ReserveCreate(same, "row-1", 200m).Outcome);

            JournalReservation first = _journal.ReserveCreate(same, "row-1", 200m, attempt: new JournalAttempt("task_1", 2));
            Assert.Equal(JournalReservationOutcome.Reserved, first.Outcome);
            _journal.RecordCreated(first, "task_2");

            JournalReservation second = _journal.ReserveCreate(same, "row-1", 200m, attempt: new JournalAttempt("task_1", 2));
            Assert.Equal(JournalReservationOutcome.ExistingTask, second.Outcome);
            Assert.Equal("task_2", second.ExistingTask!.TaskId);
        }

        private readonly FakeHttpHandler _service;
        private HttpStatusCode _answer = HttpStatusCode.OK;

        public ResubmissionTests()
        {
            // A create makes task_new<n>; a read (the waiter's) shows task_3 failed for a passing reason and any other succeeded.
            _service = new FakeHttpHandler((request, n) => request.Method == HttpMethod.Get
                ? FakeHttpHandler.Json(HttpStatusCode.OK, request.RequestUri!.Query.Contains("task_3")
                    ? $@"{{""taskId"":""task_3"",""status"":""fail"",""error"":{{""code"":""500"",""message"":""{Transient}""}}}}"
                    : $@"{{""taskId"":""{request.RequestUri.Query.Split('=').Last()}"",""status"":""success""}}")
                : _answer == HttpStatusCode.OK
                ? FakeHttpHandler.Json(HttpStatusCode.OK, $@"{{""taskId"":""task_new{n}""}}")
                : FakeHttpHandler.Json(_answer, @"{""message"":""insufficient credits""}"));
        }

        private SeedanceClient Client() => new SeedanceClient(
            new SeedanceClientOptions(new Uri("https://api.example.test/api/v1"), new ApiKey("sk-test-resubmission")), new HttpClient(_service), new HttpClient(_service));

        private Task<CreateOutcome> Handle(Resubmission resubmission, SeedanceTask failed, bool confirm = true) =>
            resubmission.HandleAsync(failed, Client(), _ => Task.FromResult(confirm), null, null, CancellationToken.None);

        private Resubmission NewResubmission(int retryFailed, decimal? maxCredits = null, decimal? dailyLimit = null, bool whatIf = false) =>
            new Resubmission(CreateWorkflow.Open(_journal, dailyLimit, "a test", maxCredits, force: false, whatIf: whatIf), PriceTable.Default, null, retryFailed, false);

        [Fact]
        public async Task AResubmissionGoesThroughTheCreatePath_AndTheNextAttemptCarriesTheEarlierOnes()
        {
            SeedanceTask failed = Failed("task_1");

            CreateOutcome result = await Handle(NewResubmission(2), failed);

            Assert.Equal(1, _service.Count);
            Assert.Null(result.Error);
            SeedanceTask next = result.Task!;
            Assert.Equal("row-1", next.Name);
            Assert.Equal("/home/ann/batch", next.Batch);
            Assert.Equal("task_1", next.EarlierAttempts.Single().TaskId);
            JournalTaskSummary made = _journal.Read().FindTask(next.TaskId)!;
            Assert.Equal("task_1", made.Attempt!.RetryOf);
        }

        [Fact]
        public async Task AResubmissionOverTheBudget_IsRefusedBeforeAnythingIsSent_AndTheFailedTaskStaysFinal()
        {
            SeedanceTask failed = Failed("task_1");

            CreateOutcome result = await Handle(NewResubmission(2, maxCredits: 100m), failed);

            Assert.Equal(0, _service.Count);
            Assert.Null(result.Task);
            Assert.IsType<BudgetExceededException>(result.Error);
            Assert.False(result.IsStopped); // so the waiter reports the failed task as final
        }

        [Fact]
        public async Task AResubmissionOverTheDailyLimit_IsRefused()
        {
            SeedanceTask failed = Failed("task_1");

            CreateOutcome result = await Handle(NewResubmission(2, dailyLimit: 150m), failed);

            Assert.Equal(0, _service.Count);
            Assert.Equal(BudgetKind.DailyCreditLimit, Assert.IsType<BudgetExceededException>(result.Error).Kind);
        }

        [Fact]
        public async Task WhatIf_SendsNothing_AndCountsTheResubmissionAsTheRealRunWould()
        {
            Resubmission resubmission = NewResubmission(2, maxCredits: 300m, whatIf: true);

            CreateOutcome first = await Handle(resubmission, Failed("task_1"), confirm: false);
            CreateOutcome second = await Handle(resubmission, Failed("task_2", name: "row-2"), confirm: false);

            Assert.Equal(0, _service.Count);
            Assert.Null(first.Error);
            Assert.IsType<BudgetExceededException>(second.Error);
        }

        [Fact]
        public async Task AFailureFatalForTheBatch_EndsTheResubmissions_TheNextIsRefusedWithoutSending()
        {
            _answer = HttpStatusCode.PaymentRequired;
            Resubmission resubmission = NewResubmission(2);

            CreateOutcome first = await Handle(resubmission, Failed("task_1"));
            CreateOutcome second = await Handle(resubmission, Failed("task_2", name: "row-2"));

            Assert.Equal(CreateFailure.FatalForTheBatch, first.Failure);
            Assert.Same(first.Error, second.Error);
            Assert.StartsWith("its resubmission was refused", second.Note);
            Assert.Equal(1, _service.Count);
        }

        [Fact]
        public async Task TheWaiterResubmitsBesideThePolls_OnlyWhatItsQuestionIsAnsweredYes_AndWaitsForTheNextAttempt()
        {
            // task_1 is handed in failed (from Get-SeedanceTask): resubmitted without a read. task_3 fails on its first read,
            // then is resubmitted. task_2's question is never answered: a paid resubmission nobody agreed to is not sent.
            SeedanceTask[] failed = { Failed("task_1"), Failed("task_2", name: "row-2"), new SeedanceTask("task_3") };
            Failed("task_3", name: "row-3");
            List<string> finished = new List<string>();
            List<string> asked = new List<string>();
            TaskWaiter waiter = new TaskWaiter(Client(), new WaitOptions { PollInterval = TimeSpan.FromMilliseconds(10), Resubmission = NewResubmission(2) }, e =>
            {
                if (e.Kind == WaitEventKind.Confirm)
                {
                    lock (asked)
                    {
                        asked.Add(e.Task!.TaskId);
                    }

                    if (e.Task.TaskId != "task_2")
                    {
                        e.Answered(Task.FromResult(true));
                    }
                }
                else if (e.Kind == WaitEventKind.Finished)
                {
                    lock (finished)
                    {
                        finished.Add($"{e.Task!.TaskId}:{e.Task.Status}:{e.Task.EarlierAttempts.FirstOrDefault()?.TaskId}");
                    }
                }
            });

            IReadOnlyList<SeedanceTask> left = await waiter.WaitAsync(failed, CancellationToken.None);

            Assert.Empty(left);
            Assert.Equal(new[] { "task_1", "task_2", "task_3" }, asked.OrderBy(id => id));
            Assert.DoesNotContain(_service.Requests, request => request.Method == HttpMethod.Get && request.Uri.Query.Contains("task_1"));
            Assert.Equal(2, _service.Requests.Count(request => request.Method == HttpMethod.Post));
            List<string> outcomes = finished.Select(line => line.StartsWith("task_new", StringComparison.Ordinal) ? "new:" + line.Split(':')[1] + ":" + line.Split(':')[2] : line).OrderBy(line => line).ToList();
            Assert.Equal(new[] { "new:Success:task_1", "new:Success:task_3", "task_2:Fail:" }, outcomes);
        }

        [Fact]
        public async Task ATaskOfAJournalThatIsOff_CannotBeResubmitted()
        {
            SeedanceTask failed = JournalTestData.Task("task_1", SeedanceTaskStatus.Fail);
            failed.Error = new SeedanceTaskError("500", Transient);
            Resubmission resubmission = new Resubmission(CreateWorkflow.Open(TaskJournal.Disabled, null, null, null, false), PriceTable.Default, null, 2, false);

            CreateOutcome result = await Handle(resubmission, failed);

            Assert.Equal(0, _service.Count);
            ProblemAssert.Is(SeedanceProblem.ResubmitRequestUnknown, result.Error);
        }
    }
}
