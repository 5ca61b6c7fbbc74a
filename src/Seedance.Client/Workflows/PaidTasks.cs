using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using Seedance.Client.Journal;
using Seedance.Client.Models;

namespace Seedance.Client.Workflows
{
    /// <summary>
    /// The one account of the tasks a pipeline paid for and has not saved, and the early-end warning that reads it.
    /// The pipeline's commands share one (the task objects carry it downstream, so a nested pipeline's commands join
    /// it too); the tasks it names are the ones it was told of, and what is saved comes from the journal when it is
    /// on (so a save that happened anywhere before the warning is written is left out) and from this account's own
    /// short list when it is off. The API has no list call: an id nobody hears of is a paid video lost.
    /// </summary>
    public sealed class PaidTasks
    {
        private static readonly ConditionalWeakTable<SeedanceTask, PaidTasks> AccountOfTask = new ConditionalWeakTable<SeedanceTask, PaidTasks>();

        private readonly object _sync = new object();
        private readonly List<SeedanceTask> _tasks = new List<SeedanceTask>();
        private readonly HashSet<string> _saved = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<CreateTaskRequest> _uncertain = new List<CreateTaskRequest>();
        private TaskJournal _journal = TaskJournal.Disabled;
        private bool _reported;
        private bool _reportedOnStop;
        private bool _saveReached;
        private volatile bool _closed;
        private readonly string? _startFolder;

        /// <param name="startFolder">The folder the pipeline ran in: where the warning's command saves when no Save-SeedanceVideo -Path is known.</param>
        public PaidTasks(string? startFolder)
        {
            _startFolder = startFolder;
        }

        /// <summary>The folder Save-SeedanceVideo -Path of this pipeline saves into, known from its start (before it has any input).</summary>
        public string? SaveFolder { get; set; }

        /// <summary>Something in the pipeline ended it early; the owner warns at its end.</summary>
        public bool EndedEarly { get; private set; }

        /// <summary>The account of the pipeline that produced <paramref name="task"/>, while that pipeline runs.</summary>
        public static PaidTasks? OpenAccountOf(SeedanceTask task)
        {
            lock (AccountOfTask)
            {
                return AccountOfTask.TryGetValue(task, out PaidTasks? account) && !account._closed ? account : null;
            }
        }

        /// <summary>The journal the pipeline's commands record in (the first one on wins): its saved records count as saved.</summary>
        public void UseJournal(TaskJournal journal)
        {
            lock (_sync)
            {
                if (!_journal.IsEnabled)
                {
                    _journal = journal;
                }
            }
        }

        /// <summary>
        /// A task this pipeline paid for or waits for, or a newer state of one (e.g. the finished task Wait emits).
        /// Tags the object, so the commands it reaches downstream join this account.
        /// </summary>
        public void Track(SeedanceTask task)
        {
            lock (AccountOfTask)
            {
                AccountOfTask.Remove(task);
                AccountOfTask.Add(task, this);
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

        /// <summary>
        /// Save-SeedanceVideo of this pipeline got a task (so the warning need not say it got none); the warning's command
        /// then saves into its <paramref name="folder"/>, unless one is known already.
        /// </summary>
        public void SaveReached(string folder)
        {
            lock (_sync)
            {
                _saveReached = true;
                SaveFolder ??= folder;
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

        public void MarkEndedEarly() => EndedEarly = true;

        /// <summary>
        /// True once: the caller writes the warning to standard error itself (the host refused it), unless the copy for
        /// standard error was taken already (<see cref="TakeReport"/> with onStop).
        /// </summary>
        public bool ClaimStandardErrorCopy()
        {
            lock (_sync)
            {
                bool first = !_reportedOnStop;
                _reportedOnStop = true;
                return first;
            }
        }

        /// <summary>The pipeline is over: later pipelines given the same task objects start accounts of their own.</summary>
        public void Close() => _closed = true;

        /// <summary>
        /// The ids paid for and not saved, failed ones aside (they have no video and are refunded). Asks the journal
        /// (when <paramref name="readJournal"/>) for saves this account did not hear of.
        /// </summary>
        public IReadOnlyList<string> UnsavedIds(bool readJournal = true) =>
            Unsaved(readJournal).Where(task => task.Status != SeedanceTaskStatus.Fail).Select(task => task.TaskId).ToArray();

        /// <summary>
        /// The warning for an early end, the first time it is asked for and only if something is unsaved; null
        /// otherwise. <paramref name="onStop"/>: the copy for standard error when Ctrl+C arrives (once, without using
        /// up this one, and without reading the journal on the thread that stops the pipeline).
        /// </summary>
        public string? TakeReport(bool onStop = false)
        {
            List<SeedanceTask> unsaved = Unsaved(readJournal: !onStop);
            List<CreateTaskRequest> uncertain;
            bool saveReached;
            lock (_sync)
            {
                if (onStop ? _reportedOnStop : _reported)
                {
                    return null;
                }

                uncertain = _uncertain.ToList();
                saveReached = _saveReached;
                if (unsaved.Count == 0 && uncertain.Count == 0)
                {
                    return null;
                }

                if (onStop)
                {
                    _reportedOnStop = true;
                }
                else
                {
                    _reported = true;
                }
            }

            return Describe(unsaved, uncertain, saveReached);
        }

        private List<SeedanceTask> Unsaved(bool readJournal)
        {
            List<SeedanceTask> unsaved;
            TaskJournal journal;
            lock (_sync)
            {
                unsaved = _tasks.Where(task => !_saved.Contains(task.TaskId)).ToList();
                journal = _journal;
            }

            if (readJournal && journal.IsEnabled && unsaved.Count > 0)
            {
                try
                {
                    JournalSnapshot snapshot = journal.Read();
                    unsaved.RemoveAll(task => snapshot.FindTask(task.TaskId)?.SavedFiles.Count > 0);
                }
                catch (Exception e) when (e is JournalException || e is System.IO.IOException || e is UnauthorizedAccessException)
                {
                    // The warning still goes out: what this account heard of is the list then.
                }
            }

            return unsaved;
        }

        private string Describe(List<SeedanceTask> unsaved, List<CreateTaskRequest> uncertain, bool saveReached)
        {
            // The folder the user gave (Save-SeedanceVideo -Path), else where the pipeline ran: never a folder of our choosing.
            string folder = Quote(SaveFolder ?? _startFolder ?? ".");
            string? journalPath = _journal.Path;
            List<string> parts = new List<string>();

            // A failed task has no video to save and is refunded: it is named apart, with its class, not as paid and unsaved.
            List<SeedanceTask> failed = unsaved.Where(task => task.Status == SeedanceTaskStatus.Fail).ToList();
            unsaved = unsaved.Where(task => task.Status != SeedanceTaskStatus.Fail).ToList();
            if (unsaved.Count > 0)
            {
                parts.Add($"The pipeline ended before {unsaved.Count} paid Seedance task(s) were saved: {string.Join(", ", unsaved.Select(Label))}. " +
                    "They are billed and stay on the service (about 14 days).");
                if (SaveFolder is not null && !saveReached)
                {
                    parts.Add("Save-SeedanceVideo got none of them.");
                }
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

            if (journalPath is not null)
            {
                // Only this batch's tasks: 'Get-SeedanceTask -Pending' would also fetch every other project's into this folder.
                string uncertainHint = JournalHints.ListUncertainCreates(uncertain.Select(request => request.Batch)) + " lists the uncertain creates with their requests";
                // The OutcomeUnknown hint only where there is an uncertain create: a batch that ended with failed tasks only has none.
                if (unsaved.Count > 0)
                {
                    parts.Add($"All of it is in the task journal ({journalPath}), so the command below works from any later session" + (uncertain.Count > 0 ? $" ({uncertainHint})." : "."));
                }
                else
                {
                    parts.Add(uncertain.Count > 0 ? $"All of it is in the task journal ({journalPath}): {uncertainHint}." : $"All of it is in the task journal ({journalPath}).");
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
