using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using Seedance.Client;
using Seedance.Client.Models;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// The paid tasks of one pipeline and which of them reached a file. New-SeedanceTask opens it; the task objects
    /// carry it downstream, so Wait-SeedanceTask and Save-SeedanceVideo in the same pipeline add to the same one.
    /// Whatever ends the pipeline early (an error anywhere, Ctrl+C, Select-Object -First), the first command to
    /// notice reports every task not saved, once: the API has no list call, so an id nobody hears of is a paid
    /// video lost.
    /// </summary>
    internal sealed class BatchLedger
    {
        /// <summary>The key scripts read from a terminating error: <c>$_.Exception.Data['SeedanceUnsavedTaskIds']</c>.</summary>
        public const string UnsavedIdsKey = "SeedanceUnsavedTaskIds";

        private static readonly ConditionalWeakTable<SeedanceTask, BatchLedger> LedgerOfTask = new ConditionalWeakTable<SeedanceTask, BatchLedger>();

        private readonly object _sync = new object();
        private readonly List<SeedanceTask> _tasks = new List<SeedanceTask>();
        private readonly HashSet<string> _saved = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<CreateTaskRequest> _uncertain = new List<CreateTaskRequest>();
        private bool _reported;
        private bool _reportedToStandardError;
        private volatile bool _closed;

        /// <summary>The ledger of the pipeline that produced <paramref name="task"/>, while that pipeline runs.</summary>
        public static BatchLedger? OpenLedgerOf(SeedanceTask task)
        {
            lock (LedgerOfTask)
            {
                return LedgerOfTask.TryGetValue(task, out BatchLedger? ledger) && !ledger._closed ? ledger : null;
            }
        }

        /// <summary>
        /// A task this pipeline paid for or waits for, or a newer state of one (e.g. the finished task Wait emits).
        /// Tags the object, so the commands it reaches downstream join this ledger.
        /// </summary>
        public void Track(SeedanceTask task)
        {
            lock (LedgerOfTask)
            {
                LedgerOfTask.Remove(task);
                LedgerOfTask.Add(task, this);
            }

            lock (_sync)
            {
                int known = _tasks.FindIndex(tracked => tracked.TaskId == task.TaskId);
                if (known >= 0)
                {
                    _tasks[known] = task;
                }
                else
                {
                    _tasks.Add(task);
                }
            }
        }

        /// <summary>Every task of the pipeline in its latest known state, in the order they were first tracked.</summary>
        public IReadOnlyList<SeedanceTask> Tasks()
        {
            lock (_sync)
            {
                return _tasks.ToArray();
            }
        }

        public void MarkSaved(string taskId)
        {
            lock (_sync)
            {
                _saved.Add(taskId);
            }
        }

        /// <summary>A create whose outcome is unknown (its answer was lost, or Ctrl+C came while it was sent).</summary>
        public void AddUncertainCreate(CreateTaskRequest request)
        {
            lock (_sync)
            {
                _uncertain.Add(request);
            }
        }

        /// <summary>The pipeline is over: later pipelines given the same task objects start ledgers of their own.</summary>
        public void Close() => _closed = true;

        /// <summary>
        /// Something in the pipeline ended it early. A command that joined this ledger says so here instead of warning
        /// itself (it may run in a nested pipeline that the script goes on after); the owner warns at its end.
        /// </summary>
        public bool EndedEarly { get; private set; }

        /// <summary>The task journal the pipeline's commands record in, or null when it is off: the warning then says a later session can finish them.</summary>
        public string? JournalPath { get; set; }

        /// <summary>Where Save-SeedanceVideo in this pipeline saves, so the warning can say how to finish as a command that runs.</summary>
        public string? SaveFolder { get; set; }

        /// <summary>The folder the pipeline ran in (its first command's location): where to save when it had no Save-SeedanceVideo -Path.</summary>
        public string? StartFolder { get; set; }

        /// <summary>
        /// The report for standard error, once per ledger and without using up the one for the host (see
        /// <see cref="PaidTaskWarning.WriteOnStop"/>); null when nothing is unsaved or it was written already.
        /// </summary>
        public string? TakeReportForStandardError()
        {
            List<SeedanceTask> unsaved;
            List<CreateTaskRequest> uncertain;
            lock (_sync)
            {
                if (_reportedToStandardError)
                {
                    return null;
                }

                unsaved = _tasks.Where(task => !_saved.Contains(task.TaskId)).ToList();
                uncertain = _uncertain.ToList();
                if (unsaved.Count == 0 && uncertain.Count == 0)
                {
                    return null;
                }

                _reportedToStandardError = true;
            }

            return Describe(unsaved, uncertain, SaveFolder);
        }

        /// <summary>True once: the caller writes the report to standard error (the host refused it), unless it is there already.</summary>
        public bool ClaimStandardError()
        {
            lock (_sync)
            {
                bool first = !_reportedToStandardError;
                _reportedToStandardError = true;
                return first;
            }
        }

        public void MarkEndedEarly(ErrorRecord? cause)
        {
            EndedEarly = true;
            AttachIds(cause);
        }

        /// <summary>Puts the unsaved ids on <paramref name="error"/>, so a script can read them: <c>$_.Exception.Data['SeedanceUnsavedTaskIds']</c>.</summary>
        public void AttachIds(ErrorRecord? error)
        {
            string[] ids;
            lock (_sync)
            {
                ids = _tasks.Where(task => !_saved.Contains(task.TaskId)).Select(task => task.TaskId).ToArray();
            }

            if (error is null || ids.Length == 0 || error.Exception.Data.Contains(UnsavedIdsKey))
            {
                return;
            }

            error.Exception.Data[UnsavedIdsKey] = ids;
            string message = error.ErrorDetails?.Message ?? error.Exception.Message;
            error.ErrorDetails = new ErrorDetails(message + $" Not saved yet (paid): {string.Join(", ", ids)}.")
            {
                RecommendedAction = error.ErrorDetails?.RecommendedAction,
            };
        }

        /// <summary>
        /// The warning for an early end, the first time it is asked for and only if something is unsaved; null
        /// otherwise. Adds the ids to <paramref name="error"/> (when given) too.
        /// </summary>
        public string? TakeReport(ErrorRecord? error)
        {
            AttachIds(error);
            List<SeedanceTask> unsaved;
            List<CreateTaskRequest> uncertain;
            lock (_sync)
            {
                if (_reported)
                {
                    return null;
                }

                unsaved = _tasks.Where(task => !_saved.Contains(task.TaskId)).ToList();
                uncertain = _uncertain.ToList();
                if (unsaved.Count == 0 && uncertain.Count == 0)
                {
                    return null;
                }

                _reported = true;
            }

            return Describe(unsaved, uncertain, SaveFolder);
        }

        private string Describe(List<SeedanceTask> unsaved, List<CreateTaskRequest> uncertain, string? saveFolder)
        {
            // The folder the user gave (Save-SeedanceVideo -Path), else where the pipeline ran: never a folder of our choosing.
            string folder = Quote(saveFolder ?? StartFolder ?? ".");
            List<string> parts = new List<string>();

            // A failed task has no video to save and is refunded: it is named apart, with its class, not as paid and unsaved.
            List<SeedanceTask> failed = unsaved.Where(task => task.Status == SeedanceTaskStatus.Fail).ToList();
            unsaved = unsaved.Where(task => task.Status != SeedanceTaskStatus.Fail).ToList();
            if (unsaved.Count > 0)
            {
                parts.Add($"The pipeline ended before {unsaved.Count} paid Seedance task(s) were saved: {string.Join(", ", unsaved.Select(Label))}. " +
                    "They are billed and stay on the service (about 14 days).");
            }

            if (failed.Count > 0)
            {
                parts.Add($"{failed.Count} task(s) failed at the service and have no video (failed tasks are refunded): {string.Join(", ", failed.Select(FailedLabel))}.");
            }

            foreach (CreateTaskRequest request in uncertain)
            {
                parts.Add($"A create for {request.Describe()} was sent but its answer never came: the task may exist and be billed. " +
                    "Check before sending it again.");
            }

            if (JournalPath is not null)
            {
                // Only this batch's tasks: 'Get-SeedanceTask -Pending' would also fetch every other project's into this folder.
                string uncertainHint = "Get-SeedanceTask -Status OutcomeUnknown lists the uncertain creates with their requests";
                // The OutcomeUnknown hint only where there is an uncertain create: a batch that ended with failed tasks only has none.
                if (unsaved.Count > 0)
                {
                    parts.Add($"All of it is in the task journal ({JournalPath}), so the command below works from any later session" + (uncertain.Count > 0 ? $" ({uncertainHint})." : "."));
                }
                else
                {
                    parts.Add(uncertain.Count > 0 ? $"All of it is in the task journal ({JournalPath}): {uncertainHint}." : $"All of it is in the task journal ({JournalPath}).");
                }
            }

            if (unsaved.Count > 0)
            {
                // Last, so it can be copied as it stands.
                parts.Add($"Finish them with: Wait-SeedanceTask -TaskId {string.Join(",", unsaved.Select(task => task.TaskId))} | Save-SeedanceVideo -Path {folder}");
            }

            return string.Join(" ", parts);
        }

        /// <summary>A path as PowerShell reads it back when the command is pasted: single-quoted, quotes doubled.</summary>
        private static string Quote(string path) => "'" + path.Replace("'", "''") + "'";

        private static string FailedLabel(SeedanceTask task) =>
            (string.IsNullOrEmpty(task.Name) ? task.TaskId : $"{task.TaskId} ('{task.Name}'") +
            $"{(string.IsNullOrEmpty(task.Name) ? " (" : ", ")}{task.FailureClass}: {TaskFailedException.ReasonOf(task)})";

        private static string Label(SeedanceTask task)
        {
            string state = task.IsFinished ? "finished, " + (task.StatusText ?? task.Status.ToString())
                : task.StatusText is null ? "not read yet" : "still running";
            return string.IsNullOrEmpty(task.Name) ? $"{task.TaskId} ({state})" : $"{task.TaskId} ('{task.Name}', {state})";
        }
    }
}
