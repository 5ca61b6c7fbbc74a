using System;
using System.Globalization;
using Seedance.Client.Journal;
using Seedance.Client.Models;

namespace Seedance.Client
{
    /// <summary>What a budget refusal was measured against: the daily credit limit (all processes) or this command's -MaxCredits.</summary>
    public enum BudgetKind
    {
        DailyCreditLimit,
        MaxCredits,
    }

    /// <summary>
    /// A create refused before it was sent because its price would take the spending over a limit: the daily credit
    /// limit (credits of the creates journaled in the last 24 hours, across every process) or -MaxCredits (this
    /// command's own creates). Nothing was sent and nothing was paid.
    /// </summary>
    public sealed class BudgetExceededException : SeedanceException
    {
        public BudgetExceededException(BudgetKind kind, decimal spent, decimal limit, decimal credits, CreateTaskRequest request)
            : base("BudgetExceeded", Describe(kind, spent, limit, credits, request), null, null)
        {
            Kind = kind;
            Spent = spent;
            Limit = limit;
            Credits = credits;
            Request = request;
        }

        public BudgetKind Kind { get; }

        /// <summary>Credits already counted against the limit (last 24 hours, or this command so far).</summary>
        public decimal Spent { get; }

        public decimal Limit { get; }

        /// <summary>This task's price.</summary>
        public decimal Credits { get; }

        public CreateTaskRequest Request { get; }

        public override string Advice => Kind == BudgetKind.DailyCreditLimit
            ? "Wait until earlier creates leave the 24-hour window (Get-SeedanceUsage shows them), or raise the limit (Set-SeedanceConfiguration -DailyCreditLimit, SEEDANCE_DAILY_CREDIT_LIMIT)."
            : "Raise -MaxCredits, or run the remaining rows in another command.";

        private static string Describe(BudgetKind kind, decimal spent, decimal limit, decimal credits, CreateTaskRequest request)
        {
            string n(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
            string what = kind == BudgetKind.DailyCreditLimit
                ? $"the daily credit limit is {n(limit)} credits and {n(spent)} were spent in the last 24 hours (journaled creates of every process)"
                : $"-MaxCredits is {n(limit)} and this command has spent {n(spent)}";
            return $"Not created: this task costs {n(credits)} credits, and {what}, so it would go {n(spent + credits - limit)} over. Nothing was sent. ({request.Describe()})";
        }
    }

    /// <summary>
    /// A create refused before it was sent because the task journal already has a create with this Name whose outcome
    /// is unknown: the service may have made (and billed) that task, so sending the row again could pay twice.
    /// </summary>
    public sealed class PossibleDuplicateException : SeedanceException
    {
        public PossibleDuplicateException(string name, JournalTaskSummary earlier, CreateTaskRequest request)
            : this(name, earlier, request, earlier.CurrentState)
        {
        }

        private PossibleDuplicateException(string name, JournalTaskSummary earlier, CreateTaskRequest request, JournalTaskState now)
            : base("PossibleDuplicate", Describe(name, earlier, request, now), null, null)
        {
            Name = name;
            Earlier = earlier;
            Request = request;
            EarlierState = now;
        }

        public string Name { get; }

        /// <summary>The earlier create, with its request, as the journal knows it.</summary>
        public JournalTaskSummary Earlier { get; }

        public CreateTaskRequest Request { get; }

        /// <summary>OutcomeUnknown, or WaitingForSlot / Sending while the process that journaled it is alive (it is in flight, not uncertain).</summary>
        public JournalTaskState EarlierState { get; }

        /// <summary>The earlier create is still being waited for or sent by a live process: -Force does not send the row then.</summary>
        public bool EarlierInFlight => EarlierState == JournalTaskState.WaitingForSlot || EarlierState == JournalTaskState.Sending;

        /// <summary>What to do: wait for the live process; or check, then tie the task found to the row, or send it again on purpose.</summary>
        public override string Advice => EarlierInFlight
            ? $"Let that process finish: it records the row's task, and a run after it uses that task. Get-SeedanceTask -Name '{Name}' shows where it stands."
            : $"Look in your Seedance account's task history for a task started then with this prompt. If you find it, tie it to the row: " +
              $"Register-SeedanceTask -TaskId <id> -Name '{Name}' (later runs, -Pending and Save then use it). If there is none, send the row again with " +
              "New-SeedanceTask -Force (the journal then keeps both). " + JournalHints.ListUncertainCreates(new[] { Earlier.Batch ?? Request.Batch }) + " lists such creates with their requests.";

        private static string Describe(string name, JournalTaskSummary earlier, CreateTaskRequest request, JournalTaskState now) => now switch
        {
            JournalTaskState.WaitingForSlot => $"Not created: row '{name}' is waiting for a free slot in process {earlier.ProcessId} on {earlier.Host} " +
                $"(since {earlier.CreatedAt.ToUniversalTime():u}); that process sends it and records its task, so it was not sent again here. ({request.Describe()})",
            JournalTaskState.Sending => $"Not created: row '{name}' is being sent by process {earlier.ProcessId} on {earlier.Host} " +
                $"(since {earlier.CreatedAt.ToUniversalTime():u}); that process records its task, so it was not sent again here. ({request.Describe()})",
            _ => $"Not created: row '{name}' was sent at {earlier.CreatedAt.ToUniversalTime():u} and its outcome is unknown " +
                $"({earlier.OutcomeUnknownReason ?? "no answer was recorded"}). The task may exist and be billed, so the row was not sent again. " +
                $"({request.Describe()})",
        };
    }
}
