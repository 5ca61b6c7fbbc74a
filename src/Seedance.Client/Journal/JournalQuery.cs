using System;
using System.Collections.Generic;

namespace Seedance.Client.Journal
{
    /// <summary>The filters of Get-SeedanceTask without -TaskId. Every filter given must hold.</summary>
    public sealed class JournalQuery
    {
        /// <summary>Only these states (none given: any).</summary>
        public IReadOnlyCollection<JournalTaskState>? States { get; set; }

        /// <summary>Only tasks created at or after this time.</summary>
        public DateTimeOffset? Since { get; set; }

        /// <summary>Only tasks whose Name this says yes to (Get-SeedanceTask -Name asks PowerShell's WildcardPattern); null: any.</summary>
        public Func<string?, bool>? NameMatches { get; set; }

        /// <summary>
        /// Only tasks of a batch this says yes to (Get-SeedanceTask -Batch, PowerShell's WildcardPattern); null: any. A
        /// task without a batch (created by 0.1.0, or only looked up) belongs to every batch.
        /// </summary>
        public Func<string, bool>? BatchMatches { get; set; }

        /// <summary>Only tasks that still need something: not finished, succeeded and not saved, or outcome unknown.</summary>
        public bool Pending { get; set; }
    }

    public enum JournalNameMatchKind
    {
        /// <summary>No task with this name that can stand for the row: create it.</summary>
        None,

        /// <summary>A task with this name exists and did not fail: emit it instead of creating another.</summary>
        ExistingTask,

        /// <summary>A create with this name has an unknown outcome: creating again might pay twice (PossibleDuplicate).</summary>
        OutcomeUnknown,

        /// <summary>
        /// The name's newest task failed for an input or moderation reason and the row asks for the same request: it
        /// would fail again (FailedBefore), so it is not created unless forced.
        /// </summary>
        FailedUnchanged,
    }

    /// <summary>What the journal knows about a Name, for New-SeedanceTask -Name idempotency.</summary>
    public sealed class JournalNameMatch
    {
        internal static readonly JournalNameMatch NoMatch = new JournalNameMatch(JournalNameMatchKind.None, null);

        internal JournalNameMatch(JournalNameMatchKind kind, JournalTaskSummary? task, JournalTaskSummary? inOtherBatch = null)
        {
            Kind = kind;
            Task = task;
            InOtherBatch = inOtherBatch;
        }

        /// <summary>
        /// With no match in the row's batch: the newest task (made or uncertain) of the same Name in another batch, which is
        /// not this row's but is said, so that a CSV run from the wrong folder does not pay again without a word.
        /// </summary>
        public JournalTaskSummary? InOtherBatch { get; }

        public JournalNameMatchKind Kind { get; }

        /// <summary>The matching task (latest known state), or the unknown-outcome create with its request.</summary>
        public JournalTaskSummary? Task { get; }
    }
}
