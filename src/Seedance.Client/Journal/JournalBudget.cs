using System;
using System.Globalization;
using Seedance.Client.Models;

namespace Seedance.Client.Journal
{
    /// <summary>Credits spent in the budget window (the last 24 h) by creates made through the journal, across all processes.</summary>
    public sealed class JournalBudget
    {
        internal JournalBudget(DateTimeOffset windowStart, DateTimeOffset windowEnd, decimal spent, int tasks, decimal? limit)
        {
            WindowStart = windowStart;
            WindowEnd = windowEnd;
            Spent = spent;
            Tasks = tasks;
            Limit = limit;
        }

        public DateTimeOffset WindowStart { get; }
        public DateTimeOffset WindowEnd { get; }

        /// <summary>Credits of the creates in the window (see <see cref="JournalTaskSummary.ChargedCredits"/>).</summary>
        public decimal Spent { get; }

        /// <summary>How many creates those are (outcome-unknown ones included: they may be billed).</summary>
        public int Tasks { get; }

        public decimal? Limit { get; }

        /// <summary>What is left under the limit (never below 0); null without a limit.</summary>
        public decimal? Remaining => Limit is decimal limit ? Math.Max(0m, limit - Spent) : null;

        /// <summary>True when a create of <paramref name="credits"/> fits under the limit (always, without one).</summary>
        public bool Allows(decimal credits) => Limit is not decimal limit || Spent + credits <= limit;

        /// <summary>
        /// Rule: a daily credit limit cannot hold with the journal off, because what was spent cannot be known; nothing
        /// is created then. Null when the limit can hold (or there is none).
        /// </summary>
        /// <param name="source">Where the limit came from, named in the message (null: not named).</param>
        public static JournalException? DailyLimitNeedsTheJournal(decimal? dailyLimit, bool journalOn, string? source) =>
            dailyLimit is decimal limit && !journalOn
                ? new JournalException(JournalFailureReason.Disabled, null,
                    $"A daily credit limit ({limit.ToString("0.##", CultureInfo.InvariantCulture)} credits{(source is null ? string.Empty : ", from " + source)}) is set, but the task journal is off, so the " +
                    "credits already spent cannot be known and nothing was created. Turn the journal on, or remove the limit.")
                : null;
    }

    /// <summary>The create a caller is about to send, as journaled before it is sent; passed back with its outcome.</summary>
    public sealed class JournalIntent
    {
        internal JournalIntent(string intentId, DateTimeOffset time, string? name, CreateTaskRequest request, decimal credits, bool isJournaled)
        {
            IntentId = intentId;
            Time = time;
            Name = name;
            Request = request;
            Credits = credits;
            IsJournaled = isJournaled;
        }

        public string IntentId { get; }
        public DateTimeOffset Time { get; }
        public string? Name { get; }
        public CreateTaskRequest Request { get; }

        /// <summary>The credits reserved against the daily limit.</summary>
        public decimal Credits { get; }

        /// <summary>False when the journal is off (nothing was written).</summary>
        public bool IsJournaled { get; }
    }

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

    /// <summary>The answer of <see cref="TaskJournal.ReserveCreate"/>: what the caller may do with this create.</summary>
    public sealed class JournalReservation
    {
        internal JournalReservation(JournalReservationOutcome outcome, decimal credits, JournalIntent? intent, JournalTaskSummary? existing, JournalBudget? budget)
        {
            Outcome = outcome;
            Credits = credits;
            Intent = intent;
            ExistingTask = existing;
            Budget = budget;
        }

        public JournalReservationOutcome Outcome { get; }

        /// <summary>This create's price.</summary>
        public decimal Credits { get; }

        /// <summary>Set when <see cref="Outcome"/> is Reserved.</summary>
        public JournalIntent? Intent { get; }

        /// <summary>Set for ExistingTask and PossibleDuplicate.</summary>
        public JournalTaskSummary? ExistingTask { get; }

        /// <summary>The budget as checked (before this create); set whenever a limit was given.</summary>
        public JournalBudget? Budget { get; }
    }
}
