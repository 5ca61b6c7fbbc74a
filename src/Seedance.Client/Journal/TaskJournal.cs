using System;
using System.Collections.Generic;
using System.IO;
using Seedance.Client.Models;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// The local task journal: an append-only JSON Lines file shared by every process of the user, in which each cmdlet
    /// records what it learns about a task, so no paid task is lost when a process dies, a re-run does not pay twice,
    /// and a daily budget holds across processes.
    /// </summary>
    /// <remarks>
    /// Every record is one write of one whole line to the end of the file, flushed to the disk (Flush(true)) before the
    /// call returns, under a cross-process lock (<see cref="JournalLock"/>): so the caller can act on it (a create's
    /// intent is on disk before the POST), and records of concurrent processes never interleave or overwrite each
    /// other. The file is opened for each append rather than kept open, so a compaction by another process (which
    /// renames a new file over this one) can never leave a writer appending to the old, unlinked file.
    /// Reading takes no lock: lines are complete when their newline is written, and an unterminated end is checked
    /// again under the lock before it is reported as torn. Thread-safe; one instance per path is enough (<see cref="Shared"/>).
    /// </remarks>
    public sealed partial class TaskJournal
    {
        private static readonly TimeSpan TailCheckLockTimeout = TimeSpan.FromSeconds(2);
        private static readonly Dictionary<string, TaskJournal> SharedJournals =
            new Dictionary<string, TaskJournal>(JournalFileSystem.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

        private readonly JournalOptions _options;
        private readonly string? _path;
        private readonly string? _lockPath;
        private readonly string? _folder;
        private readonly JournalRecordCache? _cache;
        private readonly object _cacheGate = new object();
        private JournalSnapshot? _snapshot;
        private long _snapshotVersion;
        private long _nextCompactionCheckTicks;

        private TaskJournal(string? path, JournalOptions options)
        {
            _options = options;
            _path = path;
            if (path is not null)
            {
                _lockPath = path + ".lock";
                _folder = System.IO.Path.GetDirectoryName(path);
                _cache = new JournalRecordCache(path, options.Clock);
            }
        }

        /// <summary>A journal that records nothing and reads empty (the configured value was 'off').</summary>
        public static TaskJournal Disabled { get; } = new TaskJournal(null, JournalOptions.Default);

        /// <summary>False when the journal is off: every Record call is then a no-op and every read is empty.</summary>
        public bool IsEnabled => _path is not null;

        /// <summary>The journal file (null when off).</summary>
        public string? Path => _path;

        /// <summary>What the last compaction check did (null before the first). A failed compaction is reported here, never thrown.</summary>
        public JournalCompactionResult? LastCompaction { get; private set; }

        /// <summary>
        /// Opens (creating the folder and file owner-only when missing) and checks that the journal can be locked and
        /// written, so a journal that cannot be used is a <see cref="JournalException"/> here, before any create.
        /// Compacts when due (<see cref="JournalOptions.AutoCompact"/>).
        /// </summary>
        public static TaskJournal Open(string path, JournalOptions? options = null)
        {
            TaskJournal journal = new TaskJournal(path, options ?? JournalOptions.Default);
            journal.Prepare();
            if (journal._options.AutoCompact)
            {
                journal.CompactIfDue();
            }

            return journal;
        }

        public static TaskJournal Open(JournalLocation location, JournalOptions? options = null) =>
            location.IsDisabled ? Disabled : Open(location.Path!, options);

        /// <summary>
        /// The process-wide journal for a location, opened on first use with the default options: the cmdlets of every
        /// runspace (ForEach-Object -Parallel included) share one instance, its read cache and its status de-duplication.
        /// A failed open is not remembered, so fixing the folder and running again works.
        /// </summary>
        public static TaskJournal Shared(JournalLocation location)
        {
            if (location.IsDisabled)
            {
                return Disabled;
            }

            lock (SharedJournals)
            {
                if (!SharedJournals.TryGetValue(location.Path!, out TaskJournal? journal))
                {
                    journal = Open(location.Path!);
                    SharedJournals[location.Path!] = journal;
                }

                return journal;
            }
        }

        /// <summary>Every task's latest known state and the lines that could not be read. Reads only what was appended since the last call.</summary>
        public JournalSnapshot Read()
        {
            if (!IsEnabled)
            {
                return JournalSnapshot.Empty;
            }

            CompactIfCheckIsDue();
            lock (_cacheGate)
            {
                Refresh();
                if (_cache!.Tail is null)
                {
                    return Snapshot();
                }
            }

            // The end has no newline: a crash cut it, or a writer is in the middle of it. Under the lock no write is
            // under way, so what is still unterminated then is torn. (Lock first, then the cache: the order Reserve uses.)
            JournalLock held;
            try
            {
                held = Lock(TailCheckLockTimeout);
            }
            catch (Exception e) when (e is JournalException || e is IOException || e is UnauthorizedAccessException)
            {
                // Reading needs no lock: without it, report the end as torn rather than fail the read.
                lock (_cacheGate)
                {
                    return Snapshot();
                }
            }

            using (held)
            {
                return RefreshedSnapshot();
            }
        }

        /// <summary>Credits spent in the last 24 h by creates made through the journal, against an optional limit (-WhatIf shows this).</summary>
        public JournalBudget GetBudget(decimal? dailyCreditLimit)
        {
            DateTimeOffset now = _options.Clock();
            return Read().Budget(now - _options.BudgetWindow, now, dailyCreditLimit);
        }

        /// <summary>
        /// What a create would meet, without the lock and without writing (New-SeedanceTask asks before ShouldProcess, and
        /// -WhatIf shows it): the Name's match and the budget. Answered from the live fold, so it costs no snapshot copy
        /// however large the journal; <see cref="ReserveCreate"/> asks again, atomically, before the create is sent.
        /// </summary>
        public JournalCreateCheck CheckCreate(string? name, decimal? dailyCreditLimit, CreateTaskRequest? request = null)
        {
            if (!IsEnabled)
            {
                return new JournalCreateCheck(JournalNameMatch.NoMatch, null);
            }

            CompactIfCheckIsDue();
            DateTimeOffset now = _options.Clock();
            return WithRefreshedFold(tasks =>
            {
                JournalNameMatch match = name is null ? JournalNameMatch.NoMatch
                    : JournalTaskQueries.FindByName(tasks, name, request is null ? null : JournalRequest.From(request));
                if (match.Task is not null)
                {
                    match = new JournalNameMatch(match.Kind, match.Task.Copy()); // the live fold changes on
                }

                JournalBudget? budget = dailyCreditLimit is decimal limit ? JournalTaskQueries.Budget(tasks, now - _options.BudgetWindow, now, limit) : null;
                JournalTaskSummary? sameUnnamed = name is null && request is not null
                    ? JournalTaskQueries.FindSameUnnamed(tasks, JournalRequest.From(request), now - _options.BudgetWindow)?.Copy()
                    : null;
                return new JournalCreateCheck(match, budget, sameUnnamed, now);
            });
        }

        /// <summary>The newest task ids with their prompt excerpts, for -TaskId completion (cheap after the first call).</summary>
        public IReadOnlyList<JournalRecentTask> RecentTasks(int max = 50) => Read().RecentTasks(max);

        /// <summary>Compacts when the file has records past retention and was not compacted within the interval.</summary>
        public JournalCompactionResult CompactIfDue() => RunCompaction(force: false);

        /// <summary>Compacts now, whatever the interval (still under the lock and atomic).</summary>
        public JournalCompactionResult Compact() => RunCompaction(force: true);

        private void CompactIfCheckIsDue()
        {
            if (_options.AutoCompact && _options.Clock().UtcTicks >= System.Threading.Volatile.Read(ref _nextCompactionCheckTicks))
            {
                CompactIfDue();
            }
        }

        private JournalCompactionResult RunCompaction(bool force)
        {
            if (!IsEnabled)
            {
                return LastCompaction = new JournalCompactionResult(false, 0, 0, "the journal is off");
            }

            DateTimeOffset now = _options.Clock();
            System.Threading.Volatile.Write(ref _nextCompactionCheckTicks, (now + _options.CompactionInterval).UtcTicks);
            try
            {
                if (!force && !JournalCompactor.IsDue(_path!, now, _options.Retention, _options.CompactionInterval))
                {
                    return LastCompaction = new JournalCompactionResult(false, 0, 0, "not due");
                }

                using (Lock(_options.LockTimeout))
                {
                    // Another process may have compacted while this one waited for the lock.
                    if (!force && !JournalCompactor.IsDue(_path!, now, _options.Retention, _options.CompactionInterval))
                    {
                        return LastCompaction = new JournalCompactionResult(false, 0, 0, "not due");
                    }

                    return LastCompaction = JournalCompactor.Compact(_path!, _options.Clock(), _options.Retention);
                }
            }
            catch (Exception e) when (e is JournalException || e is IOException || e is UnauthorizedAccessException)
            {
                // Not fatal: the journal is only larger than it needs to be; the next check tries again.
                return LastCompaction = new JournalCompactionResult(false, 0, 0, $"compaction of '{_path}' failed: {e.Message}");
            }
        }

        private void Prepare()
        {
            try
            {
                // The file says first what is wrong with it (a FIFO, /dev/null, a link), before its folder is judged.
                if (Files.UnixFileStatus.OfLink(_path!) is not null)
                {
                    using (JournalFileSystem.OpenForRead(_path!))
                    {
                    }
                }

                JournalFileSystem.EnsureFolder(_folder!);
                using (Lock(_options.LockTimeout))
                using (OpenForAppendCreatingIfMissing())
                {
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                throw new JournalException(JournalFailureReason.CannotOpen, _path,
                    $"The task journal '{_path}' cannot be opened for writing: {e.Message} Fix the folder's permissions, " +
                    "choose another path (SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath), or turn it off with 'off'.", e);
            }
        }

        private JournalLock Lock(TimeSpan timeout)
        {
            if (!Directory.Exists(_folder))
            {
                JournalFileSystem.EnsureFolder(_folder!); // deleted while in use: recreate rather than fail every write
            }

            return JournalLock.Acquire(_lockPath!, timeout);
        }

        /// <summary>Refresh and snapshot (after Read found an unterminated end and took the lock).</summary>
        private JournalSnapshot RefreshedSnapshot()
        {
            lock (_cacheGate)
            {
                Refresh();
                return Snapshot();
            }
        }

        /// <summary>Refreshes and answers from the live fold, for callers that hold the journal lock (no snapshot copied).</summary>
        private T WithRefreshedFold<T>(Func<IEnumerable<JournalTaskSummary>, T> answer)
        {
            lock (_cacheGate)
            {
                Refresh();
                return answer(_cache!.Fold.LiveTasks());
            }
        }

        private void Refresh()
        {
            try
            {
                _cache!.Refresh();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new JournalException(JournalFailureReason.CannotRead, _path, $"The task journal '{_path}' cannot be read: {e.Message}", e);
            }
        }

        /// <summary>The cache as a snapshot; the same one again while nothing changed (snapshots are immutable).</summary>
        private JournalSnapshot Snapshot()
        {
            if (_snapshot is not null && _snapshotVersion == _cache!.Version)
            {
                return _snapshot;
            }

            List<JournalLineProblem> problems = new List<JournalLineProblem>(_cache!.Problems);
            if (_cache.Tail is not null)
            {
                problems.Add(_cache.Tail);
            }

            _snapshot = new JournalSnapshot(_path, _cache.RecordCount, _cache.Fold, problems);
            _snapshotVersion = _cache.Version;
            return _snapshot;
        }
    }
}
