namespace Seedance.Client.Models
{
    /// <summary>
    /// A row's earlier try that failed and was resubmitted (Wait-SeedanceTask -RetryFailed): its task id, attempt number
    /// and why it failed, in the service's words and by class.
    /// </summary>
    public sealed class SeedanceEarlierAttempt
    {
        public SeedanceEarlierAttempt(string taskId, int attempt, SeedanceTaskError? error)
        {
            TaskId = taskId;
            Attempt = attempt;
            Error = error;
        }

        public string TaskId { get; }

        /// <summary>1 for the row's first task, 2 for its first resubmission, and so on.</summary>
        public int Attempt { get; }

        public SeedanceTaskError? Error { get; }

        /// <summary>Transient or OutputModeration (the classes that are resubmitted; see <see cref="FailureClasses"/>).</summary>
        public string FailureClass => FailureClasses.Classify(Error);

        /// <summary>"task_1 (Transient: 500: Generation failed...)": what a CSV cell or a message shows.</summary>
        public override string ToString() => SpreadsheetCell.Inert($"{TaskId} ({FailureClass}: {Error?.ToString() ?? "no reason given"})")!;
    }
}
