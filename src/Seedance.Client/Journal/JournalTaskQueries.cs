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
        /// <param name="asked">The row's request, when known: only tasks of its batch match (<see cref="JournalTaskSummary.IsInBatch"/>),
        /// and a newest failed task made from the same request for an input or moderation reason is then
        /// <see cref="JournalNameMatchKind.FailedUnchanged"/>. Without it, a Name matches in any batch.</param>
        /// <param name="batch">The batch when no request is given (a lookup by Name); null: any batch.</param>
        public static JournalNameMatch FindByName(IEnumerable<JournalTaskSummary> tasks, string name, JournalRequest? asked = null, string? batch = null)
        {
            batch = asked?.Batch ?? batch;
            JournalTaskSummary? existing = null;
            JournalTaskSummary? unknown = null;
            JournalTaskSummary? failed = null;
            foreach (JournalTaskSummary task in tasks)
            {
                // A Name is a key within its batch: another folder's 'fox' is not this row's.
                if (!string.Equals(task.Name, name, StringComparison.OrdinalIgnoreCase) || !task.IsInBatch(batch))
                {
                    continue;
                }

                if (task.State == JournalTaskState.Fail)
                {
                    failed = Newer(failed, task);
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
                : failed is not null && asked is not null && WouldFailAgain(failed, asked) ? new JournalNameMatch(JournalNameMatchKind.FailedUnchanged, failed)
                : JournalNameMatch.NoMatch;
        }

        /// <summary>
        /// Rule: a row's failed task would fail again, and is not created again unless forced, when it failed for an
        /// input or moderation reason (<see cref="FailureClasses"/>) and the row asks for exactly what it was made from
        /// (model, prompt, materials, ratio, duration, mode, inputs). A transient or unknown failure, or a changed row, is
        /// created again.
        /// </summary>
        public static bool WouldFailAgain(JournalTaskSummary failed, JournalRequest asked)
        {
            string failureClass = FailureClasses.Classify(failed.Error);
            return (failureClass == SeedanceFailureClass.Input || failureClass == SeedanceFailureClass.OutputModeration) &&
                failed.Request is JournalRequest made && made.SameAs(asked);
        }

        /// <summary>The newest create without a Name of the same request since <paramref name="since"/>, made or uncertain; null when none.</summary>
        public static JournalTaskSummary? FindSameUnnamed(IEnumerable<JournalTaskSummary> tasks, JournalRequest asked, DateTimeOffset since)
        {
            JournalTaskSummary? newest = null;
            foreach (JournalTaskSummary task in tasks)
            {
                if (task.Name is null && task.IsJournaledCreate && task.CreatedAt >= since && (task.TaskId is not null || task.IsOutcomeUnknown) &&
                    task.Request is JournalRequest made && made.SameAs(asked))
                {
                    newest = Newer(newest, task);
                }
            }

            return newest;
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
