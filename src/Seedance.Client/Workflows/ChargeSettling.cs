using System;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Pricing;

namespace Seedance.Client.Workflows
{
    /// <summary>A succeeded task whose charge the service updates shortly after success: whether Wait reads it again, and what it says when it does not settle.</summary>
    public sealed class ChargeSettling
    {
        private readonly PriceTable _prices;
        private readonly TaskJournal _journal;

        /// <param name="journal">What the journal knows of a task decides first (<see cref="TaskJournal.Disabled"/>: the catalog alone).</param>
        public ChargeSettling(PriceTable prices, TaskJournal journal)
        {
            _prices = prices;
            _journal = journal;
        }

        /// <summary>How long after completion a task's charge is taken as settled when nothing else says so.</summary>
        public static readonly TimeSpan SettledAfter = TimeSpan.FromMinutes(10);

        /// <summary>
        /// Rule: a succeeded task's creditsUsed is read again until it settles when its charge changes after success and
        /// the final charge is not known yet. A task the journal created says so itself (its create recorded whether the
        /// charge settles later, and Wait records when it did); another task goes by its model's charge rule in the
        /// catalog, unless it finished long enough ago to have settled.
        /// </summary>
        public bool SettlesAfterSuccess(SeedanceTask task)
        {
            if (task.Status != SeedanceTaskStatus.Success)
            {
                return false;
            }

            JournalTaskSummary? known = null;
            try
            {
                known = _journal.Read().FindTask(task.TaskId);
            }
            catch (JournalException)
            {
                // Unreadable now: the catalog decides (the command says the journal's trouble when it records the task).
            }

            if (known is not null && known.IsJournaledCreate)
            {
                return known.ChargeSettlesAfterSuccess && !known.ChargeFinal;
            }

            ModelSpec spec = _prices.Model(task.Model ?? string.Empty);
            bool modelSettles = spec.IsCatalogued && spec.Charge != ChargeRule.PerSecond;
            return modelSettles && !(task.CompletedAt is DateTimeOffset done && DateTimeOffset.UtcNow - done > SettledAfter);
        }

        /// <summary>The warning for a succeeded task whose charge did not change while it was read again.</summary>
        public static string NotSettledWarning(SeedanceTask task) =>
            $"Task {task.TaskId} succeeded, but its charge (creditsUsed {task.CreditsUsed}), which the service updates shortly after success " +
            "for a reference video on 2.5, extend and edit, did not change while it was read again. The daily limit and Get-SeedanceUsage keep counting " +
            $"the documented maximum for it; Wait-SeedanceTask -TaskId {task.TaskId} reads it again.";
    }
}
