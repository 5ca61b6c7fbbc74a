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
    /// The journal's answer to a create. What stands for the row: the <c>Outcome</c> a create of it meets (Reserved:
    /// nothing stands for the row, create it; else ExistingTask, PossibleDuplicate or FailedBefore, or BudgetExceeded),
    /// and the <c>Task</c> that decides it (the matching task, or the unknown-outcome create; with Reserved, the Name's
    /// newest failed task, if any). With no match in the row's batch, <c>InOtherBatch</c> is the newest task (made or
    /// uncertain) of the Name in another batch: not this row's, but said, so that a CSV run from the wrong folder does not
    /// pay again without a word. <see cref="JournalSnapshot.FindByName"/> answers the Name alone;
    /// <see cref="TaskJournal.CheckCreate"/> adds the budget before ShouldProcess (nothing written), and
    /// <see cref="TaskJournal.ReserveCreate"/> decides again under the lock and writes the intent when Reserved. A
    /// Reserved one is the create's intent, passed back with its outcome (<see cref="TaskJournal.RecordCreated"/> and the others).
    /// </summary>
    public sealed record JournalReservation(JournalReservationOutcome Outcome, JournalTaskSummary? Task = null, JournalTaskSummary? InOtherBatch = null)
    {
        internal static readonly JournalReservation NoMatch = new JournalReservation(JournalReservationOutcome.Reserved);

        /// <summary>-Force sends the row past <see cref="Task"/>: a create of it with an unknown outcome, or a task that failed for this request.</summary>
        public bool Forced { get; init; }

        public CreateTaskRequest? Request { get; init; }
        public string? Name { get; init; }

        /// <summary>This create's price: what its intent reserves against the daily limit.</summary>
        public decimal Credits { get; init; }

        /// <summary>Set when <see cref="TaskJournal.ReserveCreate"/> answered Reserved and wrote the intent (null when the journal is off).</summary>
        public string? IntentId { get; internal set; }

        /// <summary>The task that stands for the row (ExistingTask), or the one that refuses it (PossibleDuplicate, FailedBefore).</summary>
        public JournalTaskSummary? ExistingTask =>
            Outcome == JournalReservationOutcome.ExistingTask || Outcome == JournalReservationOutcome.PossibleDuplicate || Outcome == JournalReservationOutcome.FailedBefore
                ? Task : null;

        /// <summary>
        /// Set whenever a daily limit was given: the credits of the creates made through the journal in the budget window
        /// (the last 24 h, across all processes) before this one (<see cref="JournalSnapshot.Spent"/>).
        /// </summary>
        public decimal? Spent { get; init; }

        public decimal? DailyLimit { get; init; }

        /// <summary>
        /// For a request without a Name: the newest create of the same request, also without a Name, within the
        /// journal's window (24 hours). Nothing ties the two together, so it is sent again; this is what says so.
        /// </summary>
        public JournalTaskSummary? SameUnnamed { get; init; }

        /// <summary>When the journal was asked, by its clock.</summary>
        public DateTimeOffset CheckedAt { get; init; }
    }
}
