using System;
using System.Collections.Generic;
using System.Linq;
using Seedance.Client.Models;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// The journal as read at one moment, from its first line to its last: every task's latest known state (the one fold
    /// of the records, which compaction uses too), the lines that could not be read, and the answers a create needs (the
    /// Name's match, the budget). Each read makes a new one. A summary collects its intent (request, name, credits
    /// reserved), its outcome (created, unknown, refused), every status seen, every file saved and the last failure.
    /// </summary>
    public sealed class JournalSnapshot
    {
        internal const string NoAnswerRecorded =
            "no answer to the create was recorded: the process may have stopped while sending it (or is still sending it)";

        private const int WarningProblemsNamed = 3;

        /// <summary>Per journal path, the unreadable lines said last in this process.</summary>
        private static readonly Dictionary<string, string> UnreadableLinesSaid = new Dictionary<string, string>(StringComparer.Ordinal);

        private readonly Dictionary<string, JournalTaskSummary> _byIntent = new Dictionary<string, JournalTaskSummary>(StringComparer.Ordinal);
        private readonly Dictionary<string, JournalTaskSummary> _byTask = new Dictionary<string, JournalTaskSummary>(StringComparer.Ordinal);
        private readonly List<JournalTaskSummary> _all = new List<JournalTaskSummary>();
        private readonly Func<DateTimeOffset> _clock;

        /// <summary>An empty journal to fold records into with <see cref="Apply"/>, then <see cref="Seal"/>.</summary>
        /// <param name="clock">The journal's clock, which each summary keeps to age creates of other machines; the system's by default.</param>
        internal JournalSnapshot(string? path, Func<DateTimeOffset>? clock = null)
        {
            Path = path;
            _clock = clock ?? (() => DateTimeOffset.UtcNow);
        }

        internal static JournalSnapshot Empty { get; } = new JournalSnapshot(null).Seal(Array.Empty<string>());

        /// <summary>
        /// After the last record: the tasks to list are every summary but refused creates (nothing was created), merged
        /// duplicates, and creates that were only waiting for a free slot when their process ended (a 429 is not taken:
        /// after a kill -9 there, the row was never paid); newest first.
        /// </summary>
        internal JournalSnapshot Seal(IReadOnlyList<string> problems)
        {
            Problems = problems;
            // Newest first; of two made at the same moment, the one folded last first (OrderBy is a stable sort).
            Tasks = Enumerable.Reverse(_all).Where(summary =>
                !summary.CreateRefused &&
                !(summary.WaitingForSlot && !summary.HasOutcome && JournalProcesses.HasEnded(summary.ProcessId, summary.Host, summary.CreatedAt, summary.UpdatedAt, summary.Clock())))
                .OrderByDescending(summary => summary.CreatedAt).ToList();
            return this;
        }

        public string? Path { get; }

        /// <summary>Every task and unknown-outcome create, newest first (refused creates, which made nothing, are left out).</summary>
        public IReadOnlyList<JournalTaskSummary> Tasks { get; private set; } = Array.Empty<JournalTaskSummary>();

        /// <summary>
        /// Lines skipped as unreadable, never fatal ("line 7: not valid JSON (...)", 1-based as an editor counts): a torn
        /// last line after a crash, or one that later appends left in the middle.
        /// </summary>
        public IReadOnlyList<string> Problems { get; private set; } = Array.Empty<string>();

        /// <summary>One sentence for the user about <see cref="Problems"/>; null when every line was read.</summary>
        public string? Warning
        {
            get
            {
                if (Problems.Count == 0)
                {
                    return null;
                }

                string named = string.Join("; ", Problems.Take(WarningProblemsNamed));
                string more = Problems.Count > WarningProblemsNamed ? $"; and {Problems.Count - WarningProblemsNamed} more" : string.Empty;
                return $"The task journal '{Path}' has {Problems.Count} unreadable line(s), skipped ({named}{more}). " +
                    "A crash during a write leaves one; every other record was read.";
            }
        }

        /// <summary>
        /// Rule: unreadable lines (a torn last line after a crash) are said once per process for the same lines, since a
        /// fragment stays where it is until compaction and every command would repeat it. <see cref="Warning"/> when this
        /// journal's unreadable lines are not the ones said last, else null.
        /// </summary>
        public string? WarningNotYetSaid()
        {
            if (Warning is not string warning)
            {
                return null;
            }

            // By line number only ("line 3"): a torn last line is still the same line once the next record follows it.
            string lines = string.Join(",", Problems.Select(problem => problem.Substring(0, problem.IndexOf(':'))));
            lock (UnreadableLinesSaid)
            {
                bool said = UnreadableLinesSaid.TryGetValue(Path!, out string? before) && before == lines;
                UnreadableLinesSaid[Path!] = lines;
                return said ? null : warning;
            }
        }

        public JournalTaskSummary? FindTask(string taskId) =>
            _byTask.TryGetValue(taskId, out JournalTaskSummary? task) ? task : null;

        /// <summary>Tasks matching every filter given, newest first.</summary>
        public IReadOnlyList<JournalTaskSummary> Find(JournalQuery query)
        {
            HashSet<JournalTaskState>? states = query.States is { Count: > 0 } ? new HashSet<JournalTaskState>(query.States) : null;
            return Tasks.Where(task =>
                    (states is null || states.Contains(task.CurrentState)) &&
                    (query.Since is not DateTimeOffset since || task.CreatedAt >= since) &&
                    (query.NameMatches is null || query.NameMatches(task.Name)) &&
                    (query.BatchMatches is null || task.Batch is null || query.BatchMatches(task.Batch)) &&
                    (!query.Pending || (task.IsPending && !IsSuperseded(task))))
                .ToList();
        }

        /// <summary>
        /// An outcome-unknown create whose Name has a newer task that did not fail: the row was sent again on purpose
        /// (New-SeedanceTask -Force) and got its task, so the uncertain one no longer needs anything from a resume. It
        /// stays listed (-Status OutcomeUnknown), and counts in the budget and usage, since it may still be billed.
        /// </summary>
        public bool IsSuperseded(JournalTaskSummary task) =>
            task.IsOutcomeUnknown && task.Name is not null &&
            Tasks.Any(newer => newer.TaskId is not null && newer.State != JournalTaskState.Fail && newer.CreatedAt > task.CreatedAt &&
                string.Equals(newer.Name, task.Name, StringComparison.OrdinalIgnoreCase) && newer.IsInBatch(task.Batch));

        /// <summary>
        /// For -Name idempotency: the newest task with this name (exact, ignoring case) that did not fail; failing that,
        /// the newest create with this name whose outcome is unknown. A failed task or a refused create frees the name.
        /// </summary>
        /// <param name="asked">The row's request, when known: only tasks of its batch match (<see cref="JournalTaskSummary.IsInBatch"/>),
        /// and a newest failed task made from the same request for an input or moderation reason is then
        /// <see cref="JournalReservationOutcome.FailedBefore"/>. Without it, a Name matches in any batch.</param>
        /// <param name="batch">The batch when no request is given (a lookup by Name); null: any batch.</param>
        public JournalReservation FindByName(string name, CreateTaskRequest? asked = null, string? batch = null)
        {
            batch = asked?.Batch ?? batch;
            JournalTaskSummary? existing = null;
            JournalTaskSummary? unknown = null;
            JournalTaskSummary? failed = null;
            JournalTaskSummary? inOtherBatch = null;
            foreach (JournalTaskSummary task in Tasks) // newest first: the first of each kind wins
            {
                if (!string.Equals(task.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                // A Name is a key within its batch: another folder's 'fox' is not this row's (but it is worth saying).
                if (!task.IsInBatch(batch))
                {
                    if (task.State != JournalTaskState.Fail)
                    {
                        inOtherBatch ??= task;
                    }

                    continue;
                }

                if (task.State == JournalTaskState.Fail)
                {
                    failed ??= task;
                }
                else if (task.IsOutcomeUnknown)
                {
                    unknown ??= task;
                }
                else
                {
                    existing ??= task;
                }
            }

            return existing is not null ? new JournalReservation(JournalReservationOutcome.ExistingTask, existing)
                : unknown is not null ? new JournalReservation(JournalReservationOutcome.PossibleDuplicate, unknown)
                : failed is not null && asked is not null && WouldFailAgain(failed, asked) ? new JournalReservation(JournalReservationOutcome.FailedBefore, failed)
                // Created anew; the failed task rides along so that -WhatIf and -Verbose can say why.
                : failed is not null || inOtherBatch is not null ? new JournalReservation(JournalReservationOutcome.Reserved, failed, inOtherBatch)
                : JournalReservation.NoMatch;
        }

        /// <summary>
        /// Rule: what the journal holds against resubmitting failed task <paramref name="failedTaskId"/> for its row. A
        /// resubmission of it already made (another run, another process) is the row's task: used, not sent again
        /// (OutcomeUnknown when that one's outcome is unknown). Otherwise the row's Name decides as for any create, except
        /// that the failed task itself never refuses its own resubmission (it is why the row is sent again).
        /// </summary>
        public JournalReservation FindForResubmission(string failedTaskId, CreateTaskRequest asked)
        {
            JournalTaskSummary? again = Tasks.FirstOrDefault(task => task.Attempt?.RetryOf == failedTaskId); // newest first
            if (again is not null)
            {
                return new JournalReservation(again.IsOutcomeUnknown ? JournalReservationOutcome.PossibleDuplicate : JournalReservationOutcome.ExistingTask, again);
            }

            if (asked.Name is null)
            {
                return JournalReservation.NoMatch;
            }

            JournalReservation match = FindByName(asked.Name, asked);
            return match.Outcome == JournalReservationOutcome.FailedBefore && match.Task!.TaskId == failedTaskId ? JournalReservation.NoMatch : match;
        }

        /// <summary>The row's attempts before <paramref name="task"/>, oldest first (following each resubmission's link back).</summary>
        public IReadOnlyList<JournalTaskSummary> EarlierAttempts(JournalTaskSummary task)
        {
            List<JournalTaskSummary> earlier = new List<JournalTaskSummary>();
            JournalTaskSummary current = task;
            while (current.Attempt is JournalAttempt link && FindTask(link.RetryOf) is JournalTaskSummary before &&
                !earlier.Contains(before) && before != task)
            {
                earlier.Insert(0, before);
                current = before;
            }

            return earlier;
        }

        /// <summary>
        /// Rule: a row's failed task would fail again, and is not created again unless forced, when it failed for an
        /// input or moderation reason (<see cref="FailureClasses"/>) and the row asks for exactly what it was made from
        /// (<see cref="JournalRequests.SameVideo"/>). A transient or unknown failure, or a changed row, is created again.
        /// </summary>
        public static bool WouldFailAgain(JournalTaskSummary failed, CreateTaskRequest asked)
        {
            string failureClass = FailureClasses.Classify(failed.Error);
            return (failureClass == SeedanceFailureClass.Input || failureClass == SeedanceFailureClass.OutputModeration) &&
                failed.Request is CreateTaskRequest made && JournalRequests.SameVideo(made, asked);
        }

        /// <summary>The newest create without a Name of the same request since <paramref name="since"/>, made or uncertain; null when none.</summary>
        public JournalTaskSummary? FindSameUnnamed(CreateTaskRequest asked, DateTimeOffset since) =>
            Tasks.FirstOrDefault(task => // newest first
                task.Name is null && task.IsJournaledCreate && task.CreatedAt >= since && (task.TaskId is not null || task.IsOutcomeUnknown) &&
                task.Request is CreateTaskRequest made && JournalRequests.SameVideo(made, asked));

        /// <summary>
        /// The credits of the creates made through the journal at or after <paramref name="since"/> (the daily limit's
        /// window), outcome-unknown ones included since they may be billed (<see cref="JournalTaskSummary.ChargedCredits"/>).
        /// Tasks only looked up do not count: their creation was not reserved here.
        /// </summary>
        public decimal Spent(DateTimeOffset since) =>
            Tasks.Where(task => task.IsJournaledCreate && task.CreatedAt >= since).Sum(task => task.ChargedCredits); // each charge is bounded: no overflow

        /// <summary>Get-SeedanceUsage: one row per day (in <paramref name="zone"/>, local time when null) and model, oldest first.</summary>
        public IReadOnlyList<JournalUsageRow> Usage(DateTimeOffset? since = null, DateTimeOffset? until = null, TimeZoneInfo? zone = null, decimal? usdPerCredit = null) =>
            Tasks.Where(task => task.IsJournaledCreate && !(task.CreatedAt < since) && !(task.CreatedAt >= until))
                .GroupBy(task => (Day: TimeZoneInfo.ConvertTime(task.CreatedAt, zone ?? TimeZoneInfo.Local).Date, Model: task.Model ?? "(unknown)"))
                .OrderBy(day => day.Key.Day).ThenBy(day => day.Key.Model, StringComparer.Ordinal)
                .Select(day => new JournalUsageRow(day.Key.Day, day.Key.Model, day.ToList(), usdPerCredit ?? Pricing.PriceTable.DefaultUsdPerCredit))
                .ToList();

        /// <summary>The newest tasks with an id, for tab completion.</summary>
        public IReadOnlyList<JournalTaskSummary> RecentTasks(int max) => Tasks.Where(task => task.TaskId is not null).Take(max).ToList();

        /// <summary>
        /// The task whose video was last saved to <paramref name="fullPath"/> (the newest save to a path wins: that task's
        /// video is the one in the file), or null when the journal knows of none. Compared ignoring case (on Windows and
        /// macOS two spellings are one file; elsewhere a needless rename is the cost).
        /// </summary>
        public string? OwnerOfSavedFile(string fullPath) =>
            Tasks.Where(task => task.TaskId is not null)
                .SelectMany(task => task.SavedFiles.Where(saved => string.Equals(saved.Path, fullPath, StringComparison.OrdinalIgnoreCase)).Select(saved => (saved.SavedAt, task.TaskId)))
                .OrderBy(save => save.SavedAt)
                .Select(save => save.TaskId)
                .LastOrDefault();

        /// <summary>
        /// Folds one more record in: gives it to the summary of its create (by intent) or of its task (records arrive in
        /// file order, the order they were appended under the lock, so "latest" never depends on clocks).
        /// </summary>
        internal void Apply(JournalRecord record)
        {
            JournalTaskSummary? owner = record.Type switch
            {
                JournalRecord.Intent => _byIntent.ContainsKey(record.IntentId!) ? null : ForIntent(record), // a repeated intent changes nothing
                JournalRecord.SlotWait or JournalRecord.OutcomeUnknown => ForIntent(record),
                JournalRecord.Created => Created(record),
                JournalRecord.Refused => _byIntent.TryGetValue(record.IntentId!, out JournalTaskSummary? create) ? create : null, // of an intent compacted away: nothing
                JournalRecord.Status => ForTask(record.TaskId!, record.ServiceCreatedAt ?? record.Time), // a task only looked up is dated by the service
                JournalRecord.Saved => ForTask(record.TaskId!, record.Time),
                _ => null,
            };
            owner?.Add(record);
        }

        /// <summary>The summary a record belongs to now that the fold is done (after any merge): by its task, else by its intent.</summary>
        internal JournalTaskSummary? Owner(JournalRecord record) =>
            record.TaskId is string taskId && _byTask.TryGetValue(taskId, out JournalTaskSummary? task) ? task
            : record.IntentId is string intentId && _byIntent.TryGetValue(intentId, out JournalTaskSummary? create) ? create
            : null;

        private JournalTaskSummary Created(JournalRecord created)
        {
            string taskId = created.TaskId!;
            JournalTaskSummary summary = ForIntent(created);
            if (_byTask.TryGetValue(taskId, out JournalTaskSummary? seenFirst) && !ReferenceEquals(seenFirst, summary))
            {
                // The task was looked up before its creator's record arrived: one summary, with the create's records.
                seenFirst.Absorb(summary);
                _all.Remove(summary);
                _byIntent[created.IntentId!] = seenFirst;
                summary = seenFirst;
            }

            summary.TaskId = taskId;
            _byTask[taskId] = summary;
            return summary;
        }

        /// <summary>The summary of a create: its intent's, or a later record's when the intent is gone (a journal edited by hand), dated by it.</summary>
        private JournalTaskSummary ForIntent(JournalRecord record)
        {
            if (!_byIntent.TryGetValue(record.IntentId!, out JournalTaskSummary? summary))
            {
                summary = Add(record.Time);
                summary.IntentId = record.IntentId;
                _byIntent[record.IntentId!] = summary;
            }

            return summary;
        }

        private JournalTaskSummary ForTask(string taskId, DateTimeOffset firstSeen)
        {
            if (!_byTask.TryGetValue(taskId, out JournalTaskSummary? summary))
            {
                summary = Add(firstSeen);
                summary.TaskId = taskId;
                _byTask[taskId] = summary;
            }

            return summary;
        }

        private JournalTaskSummary Add(DateTimeOffset time)
        {
            JournalTaskSummary summary = new JournalTaskSummary(time, _clock);
            _all.Add(summary);
            return summary;
        }
    }
}
