using Seedance.Client.Models;

namespace Seedance.Client
{
    /// <summary>Why a failed task that -RetryFailed would resubmit cannot be sent again.</summary>
    public enum ResubmitImpossibility
    {
        /// <summary>The journal has no create of this task (journal off, or a task not created by this module): its request is unknown.</summary>
        RequestUnknown,

        /// <summary>The journaled request does not pass today's checks (the catalog, the request shape, a budget needs its price).</summary>
        RequestInvalid,
    }

    /// <summary>A failed task -RetryFailed would resubmit, but cannot: nothing was sent, and the failed task is reported as it is.</summary>
    public sealed class ResubmitNotPossibleException : SeedanceException
    {
        public ResubmitNotPossibleException(SeedanceTask failed, ResubmitImpossibility reason, string? detail = null)
            : base(Describe(failed, reason, detail))
        {
            Task = failed;
            Reason = reason;
        }

        /// <summary>The failed task (the error's target).</summary>
        public SeedanceTask Task { get; }

        public ResubmitImpossibility Reason { get; }

        public override string Advice => Reason == ResubmitImpossibility.RequestUnknown
            ? "Only a task created by New-SeedanceTask with the task journal on can be resubmitted. Create it again on purpose with New-SeedanceTask and the same prompt and materials."
            : "Correct the row (or the price table) and create it again with New-SeedanceTask.";

        private static string Describe(SeedanceTask failed, ResubmitImpossibility reason, string? detail) => reason == ResubmitImpossibility.RequestUnknown
            ? $"Task {failed.TaskId}{Row(failed)} failed for a transient reason, but it cannot be resubmitted: the task journal has no record of the request " +
              "it was created from (the journal is off, or the task was not created by this module). Nothing was sent."
            : $"Task {failed.TaskId}{Row(failed)} failed for a transient reason, but its request, as the task journal recorded it, does not pass the checks " +
              $"a create must pass now: {detail}. Nothing was sent.";

        private static string Row(SeedanceTask task) => string.IsNullOrEmpty(task.Name) ? string.Empty : $" (row '{task.Name}')";
    }
}
