using System;
using Seedance.Client.Models;

namespace Seedance.Client.Journal
{
    public enum JournalReservationOutcome
    {
        /// <summary>The intent is on disk: send the create now, then record its outcome.</summary>
        Reserved,

        /// <summary>A task with this Name exists and did not fail: emit it, send nothing.</summary>
        ExistingTask,

        /// <summary>A create with this Name has an unknown outcome: refuse (PossibleDuplicate) unless forced.</summary>
        PossibleDuplicate,

        /// <summary>The daily credit limit would be exceeded: refuse (BudgetExceeded), send nothing.</summary>
        BudgetExceeded,

        /// <summary>The row's last task failed for an input or moderation reason with this same request: refuse (FailedBefore) unless forced.</summary>
        FailedBefore,
    }

    /// <summary>
    /// What the journal knows about a Name (for New-SeedanceTask -Name idempotency), or about the failed task a
    /// resubmission sends again: the <c>Outcome</c> a create of it meets unless forced (Reserved: nothing stands for the
    /// row, create it; else ExistingTask, PossibleDuplicate or FailedBefore), and the <c>Task</c> that decides it (the
    /// matching task, or the unknown-outcome create; with Reserved, the Name's newest failed task, if any). With no match in
    /// the row's batch, <c>InOtherBatch</c> is the newest task (made or uncertain) of the Name in another batch: not this
    /// row's, but said, so that a CSV run from the wrong folder does not pay again without a word.
    /// </summary>
    public sealed record JournalNameMatch(JournalReservationOutcome Outcome, JournalTaskSummary? Task, JournalTaskSummary? InOtherBatch = null)
    {
        internal static readonly JournalNameMatch NoMatch = new JournalNameMatch(JournalReservationOutcome.Reserved, null);
    }

    /// <summary>
    /// The journal's answer to a create: of <see cref="TaskJournal.CheckCreate"/> before ShouldProcess (nothing written),
    /// and of <see cref="TaskJournal.ReserveCreate"/> under the lock (with the intent written when Reserved). A Reserved
    /// one is the create's intent, passed back with its outcome (<see cref="TaskJournal.RecordCreated"/> and the others).
    /// </summary>
    public sealed class JournalReservation
    {
        internal JournalReservation(
            JournalReservationOutcome outcome, CreateTaskRequest? request, string? name, decimal credits, JournalNameMatch match, decimal? spent, decimal? dailyLimit,
            JournalTaskSummary? sameUnnamed, DateTimeOffset checkedAt)
        {
            Outcome = outcome;
            Request = request;
            Name = name;
            Credits = credits;
            Match = match;
            Spent = spent;
            DailyLimit = dailyLimit;
            SameUnnamed = sameUnnamed;
            CheckedAt = checkedAt;
        }

        public JournalReservationOutcome Outcome { get; }

        public CreateTaskRequest? Request { get; }
        public string? Name { get; }

        /// <summary>This create's price: what its intent reserves against the daily limit.</summary>
        public decimal Credits { get; }

        /// <summary>Set when <see cref="TaskJournal.ReserveCreate"/> answered Reserved and wrote the intent (null when the journal is off).</summary>
        public string? IntentId { get; internal set; }

        /// <summary>What the journal knows of the row's Name (with the failed task or another batch's task it did not use).</summary>
        public JournalNameMatch Match { get; }

        /// <summary>The task that stands for the row (ExistingTask), or the one that refuses it (PossibleDuplicate, FailedBefore).</summary>
        public JournalTaskSummary? ExistingTask =>
            Outcome == JournalReservationOutcome.ExistingTask || Outcome == JournalReservationOutcome.PossibleDuplicate || Outcome == JournalReservationOutcome.FailedBefore
                ? Match.Task : null;

        /// <summary>
        /// Set whenever a daily limit was given: the credits of the creates made through the journal in the budget window
        /// (the last 24 h, across all processes) before this one (<see cref="JournalSnapshot.Spent"/>).
        /// </summary>
        public decimal? Spent { get; }

        public decimal? DailyLimit { get; }

        /// <summary>
        /// For a request without a Name: the newest create of the same request, also without a Name, within the
        /// journal's window (24 hours). Nothing ties the two together, so it is sent again; this is what says so.
        /// </summary>
        public JournalTaskSummary? SameUnnamed { get; }

        /// <summary>When the journal was asked, by its clock.</summary>
        public DateTimeOffset CheckedAt { get; }
    }
}
