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
    /// The resubmissions of one Wait-SeedanceTask -RetryFailed: for each failed task, the decision (<see cref="ResubmitRules"/>),
    /// then the same create path as New-SeedanceTask (<see cref="CreateWorkflow"/>: -MaxCredits and the daily limit, the
    /// row's Name, the intent flushed before the POST, 429 slot waits, the stop grace), the new intent linked to the failed
    /// task. Resubmissions are made one at a time (their budget adds up in order). The command turns each
    /// <see cref="ResubmitResult"/> into output: the next attempt to wait for, or the failed task with its error.
    /// </summary>
    public sealed class Resubmission
    {
        private readonly TaskJournal _journal;
        private readonly PriceTable _prices;
        private readonly RequestShape? _shape;
        private readonly decimal? _dailyLimit;
        private readonly string? _dailyLimitSource;
        private readonly decimal? _maxCredits;
        private readonly SemaphoreSlim _oneAtATime = new SemaphoreSlim(1, 1);
        private CreateWorkflow? _create;

        /// <summary>A create failure every further create would meet alike (no key, no credits): no more resubmissions then.</summary>
        private SeedanceException? _endedBy;

        public Resubmission(TaskJournal journal, PriceTable prices, RequestShape? shape, ResubmitOptions options, decimal? dailyLimit, string? dailyLimitSource, decimal? maxCredits)
        {
            _journal = journal;
            _prices = prices;
            _shape = shape;
            Options = options;
            _dailyLimit = dailyLimit;
            _dailyLimitSource = dailyLimitSource;
            _maxCredits = maxCredits;
        }

        public ResubmitOptions Options { get; }

        /// <summary>
        /// Handles one failed task: decides, asks <paramref name="confirm"/> (ShouldProcess: false under -WhatIf, which
        /// then counts the resubmission as the real run would), sends, and says what came of it. A journal that cannot be
        /// read or written means no resubmission (the failed task is reported with that error); nothing here throws for it.
        /// </summary>
        public async Task<ResubmitResult> HandleAsync(
            SeedanceTask failed, SeedanceClient client, Func<ResubmitDecision, Task<bool>> confirm, bool whatIf, TimeSpan? slotTimeout,
            IProgress<CreateProgress>? progress, CancellationToken cancellationToken)
        {
            await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                ResubmitDecision plan;
                try
                {
                    plan = Plan(failed);
                }
                catch (JournalException e)
                {
                    return ResubmitResult.Final(failed, e, "the task journal cannot be read, so it was not resubmitted");
                }

                if (plan.Kind != ResubmitDecisionKind.Resubmit)
                {
                    return ResubmitResult.Final(failed, plan.Kind == ResubmitDecisionKind.RequestUnknown
                        ? Problems.ResubmitRequestUnknown(failed) : null, NotResubmittedBecause(plan));
                }

                if (plan.Existing is JournalTaskSummary made)
                {
                    return ResubmitResult.Next(failed, NextAttempt(failed, made.ToSeedanceTask()!), $"the journal has its resubmission already, task {made.TaskId}: waiting for that");
                }

                if (plan.Refusal is not null)
                {
                    return ResubmitResult.Final(failed, plan.Refusal, "its resubmission was refused: " + plan.Refusal.Message);
                }

                if (!await confirm(plan).ConfigureAwait(false))
                {
                    if (whatIf)
                    {
                        _create!.Previewed(plan.Cost!.Credits, plan.Cost.PriceUsd);
                    }

                    return ResubmitResult.Final(failed, null, whatIf ? "-WhatIf: not resubmitted" : "its resubmission was declined");
                }

                CreateOutcome outcome;
                try
                {
                    outcome = await _create!.CreateAsync(client, plan.Request!, plan.Cost!.Credits, slotTimeout, progress, cancellationToken, plan.Attempt).ConfigureAwait(false);
                }
                catch (JournalException e)
                {
                    return ResubmitResult.Final(failed, e, "the task journal could not record its resubmission, so none was sent");
                }

                return Result(failed, plan, outcome);
            }
            finally
            {
                _oneAtATime.Release();
            }
        }

        /// <summary>
        /// The decision and, for a resubmission, the checks a create makes before ShouldProcess: the journaled request
        /// against today's catalog, its price, the budget (-MaxCredits, the daily limit) and the row (its resubmission may
        /// exist already). Sends and writes nothing.
        /// </summary>
        /// <exception cref="JournalException">The journal cannot be read.</exception>
        public ResubmitDecision Plan(SeedanceTask failed)
        {
            JournalSnapshot? journal = _journal.IsEnabled ? _journal.Read() : null;
            ResubmitDecision decision = ResubmitRules.Decide(failed, journal, Options);
            if (decision.Kind != ResubmitDecisionKind.Resubmit)
            {
                return decision;
            }

            if (_endedBy is not null)
            {
                decision.Refusal = _endedBy;
                return decision;
            }

            CreateTaskRequest request = decision.Request!;
            ModelSpec spec = _prices.Model(request.Model);
            request.CheckedAs(spec, durationGiven: spec.TakesDuration, ratioGiven: spec.TakesRatio);
            try
            {
                _create ??= CreateWorkflow.Open(_journal, _dailyLimit, _dailyLimitSource, _maxCredits, force: false);
            }
            catch (JournalException e)
            {
                decision.Refusal = e;
                return decision;
            }

            CreateCheck check = _create.Plan(request, _prices, _shape, baseUri: null, attempt: decision.Attempt);
            if (check.HasProblems)
            {
                decision.Refusal = Problems.ResubmitRequestInvalid(failed, string.Join("; ", check.Failures.Select(f => f.Message)));
                return decision;
            }

            decision.Cost = check.Cost;
            decision.Refusal = check.Refusal;
            decision.Existing = check.Existing;
            decision.Note = check.Note;
            return decision;
        }

        private ResubmitResult Result(SeedanceTask failed, ResubmitDecision plan, CreateOutcome outcome)
        {
            CreateTaskRequest request = plan.Request!;
            if (outcome.Existing is JournalTaskSummary made)
            {
                return ResubmitResult.Next(failed, NextAttempt(failed, made.ToSeedanceTask()!), $"the journal has its resubmission already, task {made.TaskId}: waiting for that");
            }

            if (outcome.IsStopped)
            {
                return ResubmitResult.Stop(failed, request, outcome.MayExist);
            }

            if (outcome.Task is SeedanceTask created)
            {
                // The same task object New-SeedanceTask emits for a create (waiting; the row's Name, batch and request).
                SeedanceTask next = NextAttempt(failed, created);
                return ResubmitResult.Next(failed, next, string.Format(CultureInfo.InvariantCulture, "resubmitted as task {0} (attempt {1}; {2} credits)", created.TaskId, plan.Attempt!.Number, plan.Cost!.Credits));
            }

            if (outcome.Failure == CreateFailure.FatalForTheBatch)
            {
                _endedBy = outcome.Error;
            }

            return ResubmitResult.Final(failed, outcome.Error, "its resubmission failed: " + outcome.Error?.Message, outcome.MayExist ? request : null);
        }

        /// <summary>The next attempt of the row, with every earlier one (the failed task last).</summary>
        private static SeedanceTask NextAttempt(SeedanceTask failed, SeedanceTask next)
        {
            next.EarlierAttempts = failed.EarlierAttempts.Append(new SeedanceEarlierAttempt(failed.TaskId, failed.EarlierAttempts.Count + 1, failed.Error)).ToList();
            return next;
        }

        private string? NotResubmittedBecause(ResubmitDecision decision) => decision.Kind switch
        {
            ResubmitDecisionKind.NotForThisFailure => decision.Failed.FailureClass == SeedanceFailureClass.OutputModeration
                ? "not resubmitted: its video did not pass the service's review, and -RetryOutputModeration was not given"
                : $"not resubmitted: a failure of class {decision.Failed.FailureClass} fails again, or is not known to pass, when sent unchanged",
            ResubmitDecisionKind.Exhausted => string.Format(CultureInfo.InvariantCulture, "not resubmitted: its row has had its {0} resubmission(s) (-RetryFailed {0})", Options.RetryFailed),
            ResubmitDecisionKind.RequestUnknown => "not resubmitted: the task journal does not have its request",
            _ => null,
        };
    }

    /// <summary>What came of one failed task: the next attempt to wait for, or the failed task as final (with the error of a refused resubmission).</summary>
    public sealed class ResubmitResult
    {
        private ResubmitResult(SeedanceTask failed, SeedanceTask? next, SeedanceException? error, string? note, CreateTaskRequest? mayExist, bool stopped)
        {
            Failed = failed;
            NextAttempt = next;
            Error = error;
            Note = note;
            MayExistRequest = mayExist;
            IsStopped = stopped;
        }

        /// <summary>The failed task, with the row's earlier attempts.</summary>
        public SeedanceTask Failed { get; }

        /// <summary>The row's next attempt to wait for; null: the failed task is final.</summary>
        public SeedanceTask? NextAttempt { get; }

        /// <summary>Why a resubmission that was due was not made (its own error, beside the task's failure).</summary>
        public SeedanceException? Error { get; }

        /// <summary>For the Verbose stream: what was done and why.</summary>
        public string? Note { get; }

        /// <summary>A resubmission sent whose outcome is unknown: it may exist and be billed, with no id to name it.</summary>
        public CreateTaskRequest? MayExistRequest { get; }

        /// <summary>Stopped (Ctrl+C) while the resubmission waited for a slot or was sent.</summary>
        public bool IsStopped { get; }

        internal static ResubmitResult Final(SeedanceTask failed, SeedanceException? error, string? note, CreateTaskRequest? mayExist = null) =>
            new ResubmitResult(failed, null, error, note, mayExist, false);

        internal static ResubmitResult Next(SeedanceTask failed, SeedanceTask next, string note) => new ResubmitResult(failed, next, null, note, null, false);

        internal static ResubmitResult Stop(SeedanceTask failed, CreateTaskRequest request, bool mayExist) =>
            new ResubmitResult(failed, null, null, "stopped while resubmitting", mayExist ? request : null, true);
    }
}
