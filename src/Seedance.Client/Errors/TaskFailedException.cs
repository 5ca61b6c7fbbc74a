using Seedance.Client.Models;

namespace Seedance.Client
{
    /// <summary>
    /// The service finished a task as failed (status "fail"). The task, with the service's code and text, travels
    /// with the exception, so a script can <c>catch [Seedance.Client.TaskFailedException]</c> and act on it.
    /// </summary>
    public sealed class TaskFailedException : SeedanceException
    {
        public TaskFailedException(SeedanceTask task)
            : base($"Seedance task {task.TaskId} failed: {ReasonOf(task)}.")
        {
            Task = task;
        }

        public SeedanceTask Task { get; }

        /// <summary>The service's code (e.g. "2038", "500"), or null when it sent only text or nothing.</summary>
        public string? ErrorCode => Task.Error?.Code;

        /// <summary>
        /// True when the service itself says the failure was its own ("500": internal error, documented as safe to
        /// retry), so submitting the same task again is the right answer; otherwise the input needs changing first.
        /// </summary>
        public bool IsSafeToResubmit => ErrorCode == "500";

        /// <summary>What to do next, in one sentence.</summary>
        public string Advice => IsSafeToResubmit
            ? "The service reports an internal error; submitting the same task again is safe."
            : "A failed task stays failed: check the prompt and materials against the service's rules, then submit a new task.";

        /// <summary>"error 2038: text", the bare text, or "the service gave no reason".</summary>
        public static string ReasonOf(SeedanceTask task)
        {
            SeedanceTaskError? error = task.Error;
            return error is null ? "the service gave no reason" : (error.Code is null ? error.Message : $"error {error.Code}: {error.Message}");
        }
    }
}
