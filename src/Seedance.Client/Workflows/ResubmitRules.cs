using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Pricing;

namespace Seedance.Client.Workflows
{
    /// <summary>What Wait-SeedanceTask -RetryFailed asks for.</summary>
    public sealed class ResubmitOptions
    {
        /// <summary>The most resubmissions -RetryFailed allows per row: each one is paid, and a failure that comes back five times is no passing one.</summary>
        public const int MaxRetries = 5;

        /// <summary>Resubmissions allowed per row, counted over every attempt the journal links to it; 0 resubmits nothing.</summary>
        public int RetryFailed { get; set; }

        /// <summary>Also resubmit a task whose generated video did not pass the service's review (it may pass again, or not).</summary>
        public bool RetryOutputModeration { get; set; }
    }

    /// <summary>What to do with one failed task: the answer of <see cref="ResubmitRules.Decide"/>.</summary>
    public enum ResubmitDecisionKind
    {
        /// <summary>-RetryFailed was not given (or is 0): the failed task is reported as it is.</summary>
        NotAsked,

        /// <summary>Its failure class is not resubmitted (input, unknown; output moderation without the switch).</summary>
        NotForThisFailure,

        /// <summary>The row has had its -RetryFailed resubmissions.</summary>
        Exhausted,

        /// <summary>The request is not known (journal off, or a task not created by this module): it cannot be sent again.</summary>
        RequestUnknown,

        /// <summary>Send the row's original request again, as attempt <see cref="ResubmitDecision.Attempt"/>.</summary>
        Resubmit,
    }

    /// <summary>The decision for one failed task, with what a resubmission would send.</summary>
    public sealed class ResubmitDecision
    {
        internal ResubmitDecision(ResubmitDecisionKind kind, SeedanceTask failed, CreateTaskRequest? request = null, JournalAttempt? attempt = null, int attemptsLeft = 0)
        {
            Kind = kind;
            Failed = failed;
            Request = request;
            Attempt = attempt;
            AttemptsLeft = attemptsLeft;
        }

        public ResubmitDecisionKind Kind { get; }

        /// <summary>The failed task, with its row's earlier attempts.</summary>
        public SeedanceTask Failed { get; }

        /// <summary>For <see cref="ResubmitDecisionKind.Resubmit"/>: the row's original request (prompt, materials, Name, Batch).</summary>
        public CreateTaskRequest? Request { get; }

        /// <summary>For <see cref="ResubmitDecisionKind.Resubmit"/>: the link written in the new intent (the failed task, the new attempt's number).</summary>
        public JournalAttempt? Attempt { get; }

        /// <summary>Resubmissions left for the row before this one.</summary>
        public int AttemptsLeft { get; }

        // Set by Resubmission.Plan, the checks a create makes before ShouldProcess:

        public CreditCost? Cost { get; internal set; }

        /// <summary>Why it is not sent: the budget, the row (PossibleDuplicate, FailedBefore), the journal, a request that no longer passes.</summary>
        public SeedanceException? Refusal { get; internal set; }

        /// <summary>The row's resubmission the journal has already (another run made it): waited for, not sent again.</summary>
        public JournalTaskSummary? Existing { get; internal set; }

        /// <summary>Budget left, appended to the ShouldProcess action.</summary>
        public string Note { get; internal set; } = string.Empty;

        /// <summary>The ShouldProcess target: the failed task and its row.</summary>
        public string Target => $"task {Failed.TaskId} ({Request?.Describe(60) ?? "request unknown"})";

        /// <summary>The ShouldProcess action: what is sent again and what it costs.</summary>
        public string Action => string.Format(CultureInfo.InvariantCulture,
            "Resubmit the failed task's request ({0} failure: {1}) as attempt {2} of at most {3}, a new task costing {4} credits (${5:0.00}){6}",
            Failed.FailureClass, Failed.Error?.ToString() ?? "no reason given", Attempt?.Number, (Attempt?.Number ?? 1) + AttemptsLeft - 1, Cost?.Credits, Cost?.PriceUsd, Note);
    }

    /// <summary>
    /// The rules of resubmitting a failed task (Wait-SeedanceTask -RetryFailed): which failures, how many times per row,
    /// and which request. Every resubmission costs money, so each rule errs on the side of not sending.
    /// </summary>
    public static class ResubmitRules
    {
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
        /// Rule: what a resubmission sends is the original create's request as the journal recorded it before sending
        /// (the same prompt, materials as sent, Name and Batch); nothing when the journal has no create of this task.
        /// </summary>
        public static CreateTaskRequest? RequestToSend(JournalTaskSummary? made) =>
            made is not null && made.IsJournaledCreate && made.TaskId is not null ? made.Request : null;

        /// <summary>The row's earlier attempts of <paramref name="task"/>, as the journal links them (oldest first).</summary>
        public static IReadOnlyList<SeedanceEarlierAttempt> EarlierAttemptsOf(JournalTaskSummary task, JournalSnapshot journal) =>
            journal.EarlierAttempts(task).Where(earlier => earlier.TaskId is not null)
                .Select(earlier => new SeedanceEarlierAttempt(earlier.TaskId!, earlier.AttemptNumber, earlier.Error)).ToList();

        /// <summary>
        /// The decision for a failed task: by its class, the row's attempts left and whether its request is known
        /// (<paramref name="journal"/> null: the journal is off or cannot be read). The failed task gets its earlier attempts.
        /// </summary>
        public static ResubmitDecision Decide(SeedanceTask failed, JournalSnapshot? journal, ResubmitOptions options)
        {
            JournalTaskSummary? made = journal?.FindTask(failed.TaskId);
            if (made is not null && failed.EarlierAttempts.Count == 0)
            {
                failed.EarlierAttempts = EarlierAttemptsOf(made, journal!);
            }

            if (options.RetryFailed <= 0)
            {
                return new ResubmitDecision(ResubmitDecisionKind.NotAsked, failed);
            }

            if (failed.Status != SeedanceTaskStatus.Fail || !IsResubmitted(failed.FailureClass, options.RetryOutputModeration))
            {
                return new ResubmitDecision(ResubmitDecisionKind.NotForThisFailure, failed);
            }

            if (RequestToSend(made) is not CreateTaskRequest request)
            {
                return new ResubmitDecision(ResubmitDecisionKind.RequestUnknown, failed);
            }

            int left = AttemptsLeft(made!.AttemptNumber, options.RetryFailed);
            return left == 0
                ? new ResubmitDecision(ResubmitDecisionKind.Exhausted, failed)
                : new ResubmitDecision(ResubmitDecisionKind.Resubmit, failed, request, new JournalAttempt(failed.TaskId, made.AttemptNumber + 1), left);
        }
    }
}
