using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Validation;

namespace Seedance.Client.Workflows
{
    /// <summary>
    /// The resubmissions of one Wait-SeedanceTask -RetryFailed: for each failed task, the decision (the rules below),
    /// then the same create path as New-SeedanceTask (<see cref="CreateWorkflow"/>: -MaxCredits and the daily limit, the
    /// row's Name, the intent flushed before the POST, 429 slot waits, the stop grace), the new intent linked to the failed
    /// task. Resubmissions are made one at a time (their budget adds up in order). Each comes to a
    /// <see cref="CreateOutcome"/>, as a first create does: the next attempt to wait for, or why the failed task is final.
    /// Every resubmission costs money, so each rule (which failures, how many times per row, which request) errs on the
    /// side of not sending.
    /// </summary>
    public sealed class Resubmission
    {
        /// <summary>The most resubmissions -RetryFailed allows per row: each one is paid, and a failure that comes back five times is no passing one.</summary>
        public const int MaxRetries = 5;

        private readonly CreateWorkflow _create;
        private readonly PriceTable _prices;
        private readonly RequestShape? _shape;
        private readonly bool _retryOutputModeration;
        private readonly SemaphoreSlim _oneAtATime = new SemaphoreSlim(1, 1);

        /// <param name="create">The command's create workflow: its budget, journal, key and -WhatIf are the resubmissions'.</param>
        /// <param name="retryFailed">Resubmissions allowed per row, counted over every attempt the journal links to it; 0 resubmits nothing.</param>
        /// <param name="retryOutputModeration">Also resubmit a task whose video did not pass the service's review (it may pass again, or not).</param>
        public Resubmission(CreateWorkflow create, PriceTable prices, RequestShape? shape, int retryFailed, bool retryOutputModeration)
        {
            _create = create;
            _prices = prices;
            _shape = shape;
            RetryFailed = retryFailed;
            _retryOutputModeration = retryOutputModeration;
        }

        public int RetryFailed { get; }

        /// <summary>
        /// Rule: a failure is resubmitted when the failure-class table (<see cref="FailureClasses"/>) calls it transient,
        /// or output moderation when that was asked for explicitly (the same request may pass the review again, or fail
        /// and be paid again). Input failures fail again unchanged, and an unknown failure is never guessed to be safe.
        /// </summary>
        public static bool IsResubmitted(string? failureClass, bool retryOutputModeration) =>
            failureClass == SeedanceFailureClass.Transient ||
            (retryOutputModeration && failureClass == SeedanceFailureClass.OutputModeration);

        /// <summary>
        /// Rule: a row gets at most -RetryFailed resubmissions in all, counted from the journal's attempt numbers (the
        /// first task is attempt 1), so a re-run of the same Wait does not start the count again.
        /// </summary>
        public static int AttemptsLeft(int attemptNumber, int retryFailed) => Math.Max(0, retryFailed - (Math.Max(1, attemptNumber) - 1));

        /// <summary>
        /// The decision for a failed task: by its class, the row's attempts left and whether its request is known
        /// (<paramref name="journal"/> null: the journal is off or cannot be read). The failed task gets its row's earlier
        /// attempts, as the journal links them (oldest first).
        /// </summary>
        public static ResubmitDecision Decide(SeedanceTask failed, JournalSnapshot? journal, int retryFailed, bool retryOutputModeration)
        {
            JournalTaskSummary? made = journal?.FindTask(failed.TaskId);
            if (made is not null && failed.EarlierAttempts.Count == 0)
            {
                failed.EarlierAttempts = journal!.EarlierAttempts(made).Where(earlier => earlier.TaskId is not null)
                    .Select(earlier => new SeedanceEarlierAttempt(earlier.TaskId!, earlier.AttemptNumber, earlier.Error)).ToList();
            }

            if (retryFailed <= 0)
            {
                return new ResubmitDecision(failed, null);
            }

            if (failed.Status != SeedanceTaskStatus.Fail || !IsResubmitted(failed.FailureClass, retryOutputModeration))
            {
                return new ResubmitDecision(failed, failed.FailureClass == SeedanceFailureClass.OutputModeration
                    ? "not resubmitted: its video did not pass the service's review, and -RetryOutputModeration was not given"
                    : $"not resubmitted: a failure of class {failed.FailureClass} fails again, or is not known to pass, when sent unchanged");
            }

            // Rule: what a resubmission sends is the original create's request as the journal recorded it before sending
            // (the same prompt, materials as sent, Name and Batch); nothing when the journal has no create of this task.
            if (made is null || !made.IsJournaledCreate || made.TaskId is null || made.Request is not CreateTaskRequest request)
            {
                return new ResubmitDecision(failed, "not resubmitted: the task journal does not have its request") { Refusal = Problems.ResubmitRequestUnknown(failed) };
            }

            int left = AttemptsLeft(made.AttemptNumber, retryFailed);
            return left == 0
                ? new ResubmitDecision(failed, string.Format(CultureInfo.InvariantCulture, "not resubmitted: its row has had its {0} resubmission(s) (-RetryFailed {0})", retryFailed))
                : new ResubmitDecision(failed, null, request, new JournalAttempt(failed.TaskId, made.AttemptNumber + 1), left);
        }

        /// <summary>
        /// Handles one failed task: decides, checks it as a create is checked (<see cref="CreateWorkflow.Plan"/>), asks
        /// <paramref name="confirm"/> (the waiter's question to the command, its ShouldProcess: false under -WhatIf, which then
        /// counts the resubmission as the real run would), sends it through the create path (<see cref="CreateWorkflow.CreateAsync"/>) and says what came of
        /// it. A journal that cannot be read or written means no resubmission (the failed task is reported with that
        /// error); nothing here throws for it.
        /// </summary>
        public async Task<CreateOutcome> HandleAsync(
            SeedanceTask failed, SeedanceClient client, Func<ResubmitDecision, Task<bool>> confirm, TimeSpan? slotTimeout,
            IProgress<CreateProgress>? progress, CancellationToken cancellationToken)
        {
            await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ResubmitDecision plan;
                CreateCheck check;
                try
                {
                    plan = Decide(failed, _create.Journal.IsEnabled ? _create.Journal.Read() : null, RetryFailed, _retryOutputModeration);
                    if (plan.Request is null)
                    {
                        return Final(plan.Refusal, plan.WhyNot);
                    }

                    check = Check(plan);
                }
                catch (JournalException e)
                {
                    return Final(e, "the task journal cannot be read, so it was not resubmitted");
                }

                if (check.Settled is CreateOutcome settled && settled.Existing is null)
                {
                    return Final(settled.Error, "its resubmission was refused: " + settled.Error!.Message);
                }

                if (check.Settled is null && !_create.Confirmed(check, await confirm(plan).ConfigureAwait(false)))
                {
                    return Final(null, _create.WhatIf ? "-WhatIf: not resubmitted" : "its resubmission was declined");
                }

                CreateOutcome outcome;
                try
                {
                    outcome = check.Settled ?? await _create.CreateAsync(client, plan.Request, check.Cost!.Credits, slotTimeout, progress, cancellationToken, plan.Attempt).ConfigureAwait(false);
                }
                catch (JournalException e)
                {
                    return Final(e, "the task journal could not record its resubmission, so none was sent");
                }

                return Result(failed, plan, outcome);
            }
            finally
            {
                _oneAtATime.Release();
            }
        }

        /// <summary>
        /// The checks a create makes before ShouldProcess, for a resubmission decided (<see cref="ResubmitDecision.Check"/>):
        /// the journaled request against today's catalog, its price, the budget (-MaxCredits, the daily limit) and the row
        /// (its resubmission may exist already: <see cref="CreateCheck.Existing"/>). Sends and writes nothing. A request
        /// that no longer passes is refused as the check's <see cref="CreateCheck.Refusal"/>.
        /// </summary>
        /// <exception cref="JournalException">The journal cannot be read.</exception>
        private CreateCheck Check(ResubmitDecision decision)
        {
            CreateTaskRequest request = decision.Request!;
            ModelSpec spec = _prices.Model(request.Model);
            request.CheckedAs(spec, durationGiven: spec.TakesDuration, ratioGiven: spec.TakesRatio);
            CreateCheck check = _create.Plan(request, _prices, _shape, baseUri: null, attempt: decision.Attempt);
            if (check.HasProblems)
            {
                // A request journaled before the key check may hold the key: refused as a create would be, naming the parameter.
                check.Refusal = check.Failures.FirstOrDefault(f => f.ErrorId == nameof(SeedanceProblem.RequestContainsApiKey)) is ValidationFailure keyCarried
                    ? Problems.RequestContainsApiKey(decision.Failed, keyCarried)
                    : Problems.ResubmitRequestInvalid(decision.Failed, string.Join("; ", check.Failures.Select(f => f.Message)));
            }

            return decision.Check = check;
        }

        /// <summary>The create's outcome, told as a resubmission's: the row's next attempt (made now, or by an earlier run), or why there is none.</summary>
        private static CreateOutcome Result(SeedanceTask failed, ResubmitDecision plan, CreateOutcome outcome)
        {
            if (outcome.Existing is JournalTaskSummary made)
            {
                // The next attempt to wait for, as a created one is: the waiter adds the outcome's task.
                outcome = new CreateOutcome { Task = NextAttempt(failed, made.ToSeedanceTask()!) };
                outcome.Note = $"the journal has its resubmission already, task {made.TaskId}: waiting for that";
            }
            else if (outcome.Task is SeedanceTask created)
            {
                // The same task object New-SeedanceTask emits for a create (waiting; the row's Name, batch and request).
                NextAttempt(failed, created);
                outcome.Note = string.Format(CultureInfo.InvariantCulture, "resubmitted as task {0} (attempt {1}; {2} credits)", created.TaskId, plan.Attempt!.Number, plan.Check!.Cost!.Credits);
            }
            else
            {
                outcome.Note = outcome.IsStopped ? "stopped while resubmitting" : "its resubmission failed: " + outcome.Error?.Message;
            }

            outcome.Request = plan.Request;
            return outcome;
        }

        /// <summary>No resubmission: the failed task is final, with the refusal's <paramref name="error"/> when there is one.</summary>
        private static CreateOutcome Final(SeedanceException? error, string? note) => new CreateOutcome { Error = error, Note = note };

        /// <summary>The next attempt of the row, with every earlier one (the failed task last).</summary>
        private static SeedanceTask NextAttempt(SeedanceTask failed, SeedanceTask next)
        {
            next.EarlierAttempts = failed.EarlierAttempts.Append(new SeedanceEarlierAttempt(failed.TaskId, failed.EarlierAttempts.Count + 1, failed.Error)).ToList();
            return next;
        }
    }

    /// <summary>
    /// The decision for one failed task (<see cref="Resubmission.Decide"/>): what a resubmission would send
    /// (<see cref="Request"/>), or why there is none (<see cref="WhyNot"/>; both null: -RetryFailed was not asked).
    /// </summary>
    public sealed class ResubmitDecision
    {
        internal ResubmitDecision(SeedanceTask failed, string? whyNot, CreateTaskRequest? request = null, JournalAttempt? attempt = null, int attemptsLeft = 0)
        {
            Failed = failed;
            WhyNot = whyNot;
            Request = request;
            Attempt = attempt;
            AttemptsLeft = attemptsLeft;
        }

        /// <summary>Why it is not resubmitted (its class, the row's resubmissions used up, its request unknown), for the Verbose stream.</summary>
        public string? WhyNot { get; }

        /// <summary>The failed task's error when it cannot be resubmitted for want of its request (ResubmitRequestUnknown).</summary>
        public SeedanceException? Refusal { get; internal set; }

        /// <summary>The failed task, with its row's earlier attempts.</summary>
        public SeedanceTask Failed { get; }

        /// <summary>The row's original request (prompt, materials, Name, Batch) to send again; null: not resubmitted.</summary>
        public CreateTaskRequest? Request { get; }

        /// <summary>The link written in the new intent (the failed task, the new attempt's number).</summary>
        public JournalAttempt? Attempt { get; }

        /// <summary>Resubmissions left for the row before this one.</summary>
        public int AttemptsLeft { get; }

        /// <summary>
        /// The checks a create makes before ShouldProcess, for a request that passes them (the price, the note of budget
        /// left, a budget's refusal, the row's resubmission the journal has already, which is waited for and not sent again).
        /// </summary>
        public CreateCheck? Check { get; internal set; }

        /// <summary>The ShouldProcess target: the failed task and its row.</summary>
        public string Target => $"task {Failed.TaskId} ({Request?.Describe(60) ?? "request unknown"})";

        /// <summary>The ShouldProcess action: what is sent again and what it costs.</summary>
        public string Action => string.Format(CultureInfo.InvariantCulture,
            "Resubmit the failed task's request ({0} failure: {1}) as attempt {2} of at most {3}, a new task costing {4} credits (${5:0.00}){6}",
            Failed.FailureClass, Failed.Error?.ToString() ?? "no reason given", Attempt?.Number, (Attempt?.Number ?? 1) + AttemptsLeft - 1, Check?.Cost?.Credits, Check?.Cost?.PriceUsd, Check?.Note);
    }
}
