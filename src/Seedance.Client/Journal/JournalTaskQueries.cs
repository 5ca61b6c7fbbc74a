using System;
using System.Collections.Generic;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// The two questions a create asks (is this Name taken, what was spent), over tasks in any order, so that
    /// <see cref="TaskJournal.ReserveCreate"/> can ask them of the live fold under the lock without copying a snapshot.
    /// </summary>
    internal static class JournalTaskQueries
    {
        public static JournalNameMatch FindByName(IEnumerable<JournalTaskSummary> tasks, string name)
        {
            JournalTaskSummary? existing = null;
            JournalTaskSummary? unknown = null;
            foreach (JournalTaskSummary task in tasks)
            {
                if (!string.Equals(task.Name, name, StringComparison.OrdinalIgnoreCase) || task.State == JournalTaskState.Fail)
                {
                    continue;
                }

                if (task.IsOutcomeUnknown)
                {
                    unknown = Newer(unknown, task);
                }
                else
                {
                    existing = Newer(existing, task);
                }
            }

            return existing is not null ? new JournalNameMatch(JournalNameMatchKind.ExistingTask, existing)
                : unknown is not null ? new JournalNameMatch(JournalNameMatchKind.OutcomeUnknown, unknown)
                : JournalNameMatch.NoMatch;
        }

        public static JournalBudget Budget(IEnumerable<JournalTaskSummary> tasks, DateTimeOffset windowStart, DateTimeOffset windowEnd, decimal? limit)
        {
            decimal spent = 0m;
            int count = 0;
            foreach (JournalTaskSummary task in tasks)
            {
                if (task.IsJournaledCreate && task.CreatedAt >= windowStart)
                {
                    spent += task.ChargedCredits;
                    count++;
                }
            }

            return new JournalBudget(windowStart, windowEnd, spent, count, limit);
        }

        /// <summary>Newest first is by creation time, then by file order (as the listing sorts).</summary>
        private static JournalTaskSummary Newer(JournalTaskSummary? best, JournalTaskSummary candidate) =>
            best is null || candidate.CreatedAt > best.CreatedAt || (candidate.CreatedAt == best.CreatedAt && candidate.Order > best.Order)
                ? candidate
                : best;
    }
}
