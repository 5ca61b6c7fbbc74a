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
}
