using System;
using System.Collections.Generic;
using System.Linq;

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

        /// <summary>For each Name, when its newest create that made a task (and did not fail) was journaled.</summary>
        private readonly Dictionary<string, DateTimeOffset> _newestTaskByName = new Dictionary<string, DateTimeOffset>(StringComparer.OrdinalIgnoreCase);

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
                    if (task.Name is not null && task.State != JournalTaskState.Fail &&
                        (!_newestTaskByName.TryGetValue(task.Name, out DateTimeOffset newest) || task.CreatedAt > newest))
                    {
                        _newestTaskByName[task.Name] = task.CreatedAt;
                    }
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
                    (states is null || states.Contains(task.State)) &&
                    (query.Since is not DateTimeOffset since || task.CreatedAt >= since) &&
                    (query.NameMatches is null || query.NameMatches(task.Name)) &&
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
            _newestTaskByName.TryGetValue(task.Name, out DateTimeOffset newest) && newest > task.CreatedAt;

        /// <summary>
        /// For -Name idempotency: the newest task with this name (exact, ignoring case) that did not fail; failing that,
        /// the newest create with this name whose outcome is unknown. A failed task or a refused create frees the name.
        /// </summary>
        public JournalNameMatch FindByName(string name)
        {
            JournalTaskSummary? existing = null;
            JournalTaskSummary? unknown = null;
            foreach (JournalTaskSummary task in Tasks) // newest first: the first of each kind wins
            {
                if (string.Equals(task.Name, name, StringComparison.OrdinalIgnoreCase) && task.State != JournalTaskState.Fail)
                {
                    if (task.IsOutcomeUnknown)
                    {
                        unknown ??= task;
                    }
                    else
                    {
                        existing ??= task;
                    }
                }
            }

            return existing is not null ? new JournalNameMatch(JournalNameMatchKind.ExistingTask, existing)
                : unknown is not null ? new JournalNameMatch(JournalNameMatchKind.OutcomeUnknown, unknown)
                : JournalNameMatch.NoMatch;
        }

        /// <summary>Credits of the journaled creates made at or after <paramref name="windowStart"/>.</summary>
        public JournalBudget Budget(DateTimeOffset windowStart, DateTimeOffset windowEnd, decimal? limit)
        {
            decimal spent = 0m;
            int count = 0;
            foreach (JournalTaskSummary task in Tasks)
            {
                if (task.IsJournaledCreate && task.CreatedAt >= windowStart)
                {
                    spent += task.ChargedCredits; // each at most JournalRecordReader.MaxCredits: no overflow
                    count++;
                }
            }

            return new JournalBudget(windowStart, windowEnd, spent, count, limit);
        }

        /// <summary>Get-SeedanceUsage: one row per day (in <paramref name="zone"/>, local time when null) and model, oldest first.</summary>
        public IReadOnlyList<JournalUsageRow> Usage(DateTimeOffset? since = null, DateTimeOffset? until = null, TimeZoneInfo? zone = null, decimal? usdPerCredit = null) =>
            JournalUsage.Aggregate(Tasks, since, until, zone ?? TimeZoneInfo.Local, usdPerCredit ?? JournalUsage.DefaultUsdPerCredit);

        /// <summary>The newest task ids, for tab completion.</summary>
        public IReadOnlyList<JournalRecentTask> RecentTasks(int max) =>
            Tasks.Where(task => task.TaskId is not null)
                .Take(max)
                .Select(task => new JournalRecentTask(task.TaskId!, task.Name, task.PromptExcerpt(60), task.State, task.CreatedAt))
                .ToList();
    }
}
