using System;
using Seedance.Client.Journal;
using Seedance.Client.Models;

namespace Seedance.Client.Workflows
{
    /// <summary>
    /// Rule: a task found in the account's history can be an uncertain create's answer only if the service made it
    /// with the model the create asked for, at its price, and not before the create was sent. recordInfo echoes the
    /// model and gives creditsUsed and createTime, and nothing else of the request, so these are what can be checked. A task that fails them is another
    /// task (an earlier one, another row's): tied to the row, its video would be saved as the row's file and the
    /// create's real paid task would drop out of every list (-Pending, OutcomeUnknown) for good.
    /// </summary>
    public static class SettleAnswer
    {
        /// <summary>How far the service's clock may be behind this machine's before a task counts as made too early.</summary>
        public static readonly TimeSpan ClockAllowance = TimeSpan.FromMinutes(10);

        /// <summary>Null when <paramref name="task"/> may be the answer of <paramref name="create"/>; otherwise why it cannot be.</summary>
        public static string? WhyNot(JournalTaskSummary create, SeedanceTask task)
        {
            string? asked = create.Model;
            string? made = task.Model;
            if (asked is not null && made is not null && !string.Equals(asked, made, StringComparison.OrdinalIgnoreCase))
            {
                return $"task {task.TaskId} was made with model '{made}', and the create asked for '{asked}'";
            }

            // The charge gives the duration and resolution away: a task charged another price is another request. (A
            // price table out of date shows here too; -Force records the task then.) A failed task may show 0 (refunded).
            if (task.CreditsUsed is decimal charged && charged > 0 && create.CreditsReserved is decimal reserved && reserved > 0 && charged != reserved)
            {
                return $"task {task.TaskId} was charged {charged} credits, and the create's request costs {reserved} (another duration or resolution)";
            }

            if (task.CreatedAt is DateTimeOffset createdAt && createdAt < create.CreatedAt - ClockAllowance)
            {
                return $"task {task.TaskId} was made at {createdAt.ToUniversalTime():u}, before the create was sent ({create.CreatedAt.ToUniversalTime():u})";
            }

            return null;
        }
    }
}
