using System;
using System.Collections.Generic;
using System.Linq;
using Seedance.Client.Models;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// The journal as read at one moment, from its first line to its last: every task's latest known state, the lines
    /// that could not be read, and the answers a create needs (the Name's match, the budget). Each read makes a new one.
    /// </summary>
    public sealed class JournalSnapshot
    {
        private const int WarningProblemsNamed = 3;

        private readonly Dictionary<string, JournalTaskSummary> _byTaskId;

        /// <summary>Saved file path → the task whose video was saved there last; built on first use.</summary>
        private Dictionary<string, string>? _savedFileOwners;

        internal JournalSnapshot(string? path, long recordCount, JournalFold fold, IReadOnlyList<JournalLineProblem> problems)
        {
            Path = path;
            RecordCount = recordCount;
            Problems = problems;
            Tasks = fold.Tasks();
            LastCompactedAt = fold.LastCompactedAt;
            _byTaskId = new Dictionary<string, JournalTaskSummary>(StringComparer.Ordinal);
            foreach (JournalTaskSummary task in Tasks)
            {
                if (task.TaskId is not null)
                {
                    _byTaskId[task.TaskId] = task;
                }
            }
        }

        internal static JournalSnapshot Empty { get; } = new JournalSnapshot(null, 0, new JournalFold(), Array.Empty<JournalLineProblem>());

        public string? Path { get; }

        /// <summary>Every task and unknown-outcome create, newest first (refused creates, which made nothing, are left out).</summary>
        public IReadOnlyList<JournalTaskSummary> Tasks { get; }

        /// <summary>Lines skipped as unreadable (a torn last line, or one left in the middle by later appends).</summary>
        public IReadOnlyList<JournalLineProblem> Problems { get; }

        /// <summary>One sentence for the user about <see cref="Problems"/>; null when every line was read.</summary>
        public string? Warning
        {
            get
            {
                if (Problems.Count == 0)
                {
                    return null;
                }

                string named = string.Join("; ", Problems.Take(WarningProblemsNamed).Select(problem => problem.ToString()));
                string more = Problems.Count > WarningProblemsNamed ? $"; and {Problems.Count - WarningProblemsNamed} more" : string.Empty;
                return $"The task journal '{Path}' has {Problems.Count} unreadable line(s), skipped ({named}{more}). " +
                    "A crash during a write leaves one; every other record was read.";
            }
        }

        /// <summary>Records read (known types; unknown types and unreadable lines are not counted).</summary>
        public long RecordCount { get; }
        public DateTimeOffset? LastCompactedAt { get; }

        public JournalTaskSummary? FindTask(string taskId) =>
            _byTaskId.TryGetValue(taskId, out JournalTaskSummary? task) ? task : null;

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
        /// <see cref="JournalNameMatchKind.FailedUnchanged"/>. Without it, a Name matches in any batch.</param>
        /// <param name="batch">The batch when no request is given (a lookup by Name); null: any batch.</param>
        public JournalNameMatch FindByName(string name, CreateTaskRequest? asked = null, string? batch = null)
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

            return existing is not null ? new JournalNameMatch(JournalNameMatchKind.ExistingTask, existing)
                : unknown is not null ? new JournalNameMatch(JournalNameMatchKind.OutcomeUnknown, unknown)
                : failed is not null && asked is not null && WouldFailAgain(failed, asked) ? new JournalNameMatch(JournalNameMatchKind.FailedUnchanged, failed)
                // Created anew; the failed task rides along so that -WhatIf and -Verbose can say why.
                : failed is not null || inOtherBatch is not null ? new JournalNameMatch(JournalNameMatchKind.None, failed, inOtherBatch)
                : JournalNameMatch.NoMatch;
        }

        /// <summary>
        /// Rule: what the journal holds against resubmitting failed task <paramref name="failedTaskId"/> for its row. A
        /// resubmission of it already made (another run, another process) is the row's task: used, not sent again
        /// (OutcomeUnknown when that one's outcome is unknown). Otherwise the row's Name decides as for any create, except
        /// that the failed task itself never refuses its own resubmission (it is why the row is sent again).
        /// </summary>
        public JournalNameMatch FindForResubmission(string failedTaskId, CreateTaskRequest asked)
        {
            JournalTaskSummary? again = Tasks.FirstOrDefault(task => task.Attempt?.RetryOf == failedTaskId); // newest first
            if (again is not null)
            {
                return new JournalNameMatch(again.IsOutcomeUnknown ? JournalNameMatchKind.OutcomeUnknown : JournalNameMatchKind.ExistingTask, again);
            }

            if (asked.Name is null)
            {
                return JournalNameMatch.NoMatch;
            }

            JournalNameMatch match = FindByName(asked.Name, asked);
            return match.Kind == JournalNameMatchKind.FailedUnchanged && match.Task!.TaskId == failedTaskId ? JournalNameMatch.NoMatch : match;
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

        /// <summary>Credits of the journaled creates made at or after <paramref name="windowStart"/>.</summary>
        public JournalBudget Budget(DateTimeOffset windowStart, DateTimeOffset windowEnd, decimal? limit)
        {
            decimal spent = 0m;
            int count = 0;
            foreach (JournalTaskSummary task in Tasks)
            {
                if (task.IsJournaledCreate && task.CreatedAt >= windowStart)
                {
                    spent += task.ChargedCredits; // each at most JournalLine.MaxCredits: no overflow
                    count++;
                }
            }

            return new JournalBudget(windowStart, windowEnd, spent, count, limit);
        }

        /// <summary>Get-SeedanceUsage: one row per day (in <paramref name="zone"/>, local time when null) and model, oldest first.</summary>
        public IReadOnlyList<JournalUsageRow> Usage(DateTimeOffset? since = null, DateTimeOffset? until = null, TimeZoneInfo? zone = null, decimal? usdPerCredit = null) =>
            JournalUsage.Aggregate(Tasks, since, until, zone ?? TimeZoneInfo.Local, usdPerCredit ?? JournalUsage.DefaultUsdPerCredit);

        /// <summary>The newest tasks with an id, for tab completion.</summary>
        public IReadOnlyList<JournalTaskSummary> RecentTasks(int max) => Tasks.Where(task => task.TaskId is not null).Take(max).ToList();

        /// <summary>
        /// The task whose video was last saved to <paramref name="fullPath"/>, or null when the journal knows of none.
        /// Compared ignoring case (on Windows and macOS two spellings are one file; elsewhere a needless rename is the cost).
        /// </summary>
        public string? OwnerOfSavedFile(string fullPath)
        {
            Dictionary<string, string> owners = _savedFileOwners ??= SavedFileOwners(Tasks);
            return owners.TryGetValue(fullPath, out string? owner) ? owner : null;
        }

        /// <summary>Which task each saved file holds: the newest save to a path wins (that task's video is the one in the file).</summary>
        internal static Dictionary<string, string> SavedFileOwners(IEnumerable<JournalTaskSummary> tasks)
        {
            Dictionary<string, string> owners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var saves = tasks.Where(task => task.TaskId is not null)
                .SelectMany(task => task.SavedFiles.Select(saved => (saved.Path, saved.SavedAt, TaskId: task.TaskId!)))
                .OrderBy(save => save.SavedAt);
            foreach (var save in saves)
            {
                owners[save.Path] = save.TaskId;
            }

            return owners;
        }
    }
}
