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
            : base("TaskFailed", $"Seedance task {task.TaskId} failed: {ReasonOf(task)} ({FailureClasses.Describe(FailureClasses.Classify(task.Error))}).", task, null)
        {
            Task = task;
        }

        public SeedanceTask Task { get; }

        /// <summary>The service's code (e.g. "2038", "500"), or null when it sent only text or nothing.</summary>
        public string? ErrorCode => Task.Error?.Code;

        /// <summary>Transient, Input, OutputModeration or Unknown: see <see cref="FailureClasses"/>.</summary>
        public string FailureClass => FailureClasses.Classify(Task.Error);

        /// <summary>
        /// True when the failure is transient by the service's own documentation ("500" "Generation failed. Please try
        /// again.", "1001" "Service temporarily unavailable"), so submitting the same request again is the right answer.
        /// </summary>
        public bool IsSafeToResubmit => FailureClass == SeedanceFailureClass.Transient;

        /// <summary>What to do next, in one sentence, from the failure's class.</summary>
        public override string Advice => FailureClasses.AdviceFor(FailureClass);

        /// <summary>"error 2038: text", the bare text, or "the service gave no reason".</summary>
        public static string ReasonOf(SeedanceTask task) => ReasonOf(task.Error);

        public static string ReasonOf(SeedanceTaskError? error) =>
            error is null ? "the service gave no reason" : (error.Code is null ? error.Message : $"error {error.Code}: {error.Message}");
    }
}
