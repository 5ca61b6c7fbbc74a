using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
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
    /// call returns, under a cross-process lock (<see cref="Files.FileLock"/>): so the caller can act on it (a create's
    /// intent is on disk before the POST), and records of concurrent processes never interleave or overwrite each
    /// other. The file is opened for each append rather than kept open, so a compaction by another process (which
    /// renames a new file over this one) can never leave a writer appending to the old, unlinked file.
    /// Every read folds the whole file (10,000 records in about 30 ms), under the lock when it can be had, so an
    /// unterminated end is a torn line, never a write in progress; without the lock (a read-only journal) it reads all
    /// the same. Thread-safe; one instance per path is enough (<see cref="Shared"/>).
    /// </remarks>
    public sealed partial class TaskJournal
    {
        /// <summary>
        /// Records of tasks whose last record is older than this are removed by compaction: the service keeps tasks 60
        /// days, so older records describe tasks that can no longer be read or saved.
        /// </summary>
        public static readonly TimeSpan Retention = TimeSpan.FromDays(60);

        /// <summary>A compaction runs at most this often (the compacted file's first line says when it ran).</summary>
        public static readonly TimeSpan CompactionInterval = TimeSpan.FromDays(1);

        /// <summary>The credits window of the daily limit.</summary>
        public static readonly TimeSpan BudgetWindow = TimeSpan.FromHours(24);

        /// <summary>
        /// How long to wait for another process's lock. Locks are held for one append (well under a millisecond) or one
        /// compaction (a full rewrite, at most once a day), so reaching this means a stuck process or a broken file system.
        /// </summary>
        private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(30);

        private static readonly TimeSpan ReadLockTimeout = TimeSpan.FromSeconds(2);
        private static readonly Dictionary<string, TaskJournal> SharedJournals =
            new Dictionary<string, TaskJournal>(Files.OwnedFiles.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

        private readonly Func<DateTimeOffset> _clock;
        private readonly TimeSpan _lockTimeout;
        private readonly bool _autoCompact;
        private readonly string? _path;
        private readonly string? _lockPath;
        private readonly string? _folder;
        private readonly JournalContinuity _continuity = new JournalContinuity();
        private readonly ConcurrentQueue<string> _notices = new ConcurrentQueue<string>();
        private long _nextCompactionCheckTicks;

        /// <summary>Why the journal can only be read (null when it can be written).</summary>
        private string? _readOnlyBecause;

        private TaskJournal(string? path, Func<DateTimeOffset>? clock = null, bool autoCompact = true, TimeSpan? lockTimeout = null)
        {
            _clock = clock ?? (() => DateTimeOffset.UtcNow);
            _autoCompact = autoCompact;
            _lockTimeout = lockTimeout ?? LockTimeout;
            _path = path;
            if (path is not null)
            {
                _lockPath = path + ".lock";
                _folder = System.IO.Path.GetDirectoryName(path);
            }
        }

        /// <summary>A journal that records nothing and reads empty (the configured value was 'off').</summary>
        public static TaskJournal Disabled { get; } = new TaskJournal(null);

        /// <summary>False when the journal is off: every Record call is then a no-op and every read is empty.</summary>
        public bool IsEnabled => _path is not null;

        /// <summary>The journal file (null when off).</summary>
        public string? Path => _path;

        /// <summary>
        /// True when the journal exists and can be read but not written (a read-only file, folder or file system):
        /// reads work as ever, and every write fails at once with a <see cref="JournalException"/> that says so.
        /// </summary>
        public bool IsReadOnly => _readOnlyBecause is not null;

        /// <summary>
        /// The next thing the journal has to tell the user that is no error (the journal was deleted or replaced under
        /// this process, and what was done about it), or null. Each is handed out once, to whichever command asks first.
        /// </summary>
        public string? TakeNotice() => _notices.TryDequeue(out string? notice) ? notice : null;

        /// <summary>Throws the read-only journal's error: a create needs its intent on disk before anything is sent.</summary>
        /// <exception cref="JournalException">The journal is read-only.</exception>
        public void ThrowIfReadOnly()
        {
            if (IsReadOnly)
            {
                throw ReadOnlyError();
            }
        }

        /// <summary>What the last compaction check did (null before the first). A failed compaction is reported here, never thrown.</summary>
        public JournalCompactionResult? LastCompaction { get; private set; }

        /// <summary>
        /// Opens (creating the folder and file owner-only when missing) and checks that the journal can be locked and
        /// written, so a journal that cannot be used is a <see cref="JournalException"/> here, before any create.
        /// </summary>
        /// <param name="clock">The time stamped on records and used for the 24 h budget window and compaction (tests inject theirs).</param>
        /// <param name="autoCompact">Compacts by itself when due: here, then from Read at most once per interval in a long session. Off, only <see cref="Compact"/> compacts.</param>
        /// <param name="lockTimeout">How long to wait for another process's lock (30 s).</param>
        public static TaskJournal Open(string path, Func<DateTimeOffset>? clock = null, bool autoCompact = true, TimeSpan? lockTimeout = null)
        {
            TaskJournal journal = new TaskJournal(path, clock, autoCompact, lockTimeout);
            journal.Prepare();
            if (journal._autoCompact && !journal.IsReadOnly)
            {
                journal.Compact();
            }

            return journal;
        }

        /// <summary>
        /// The process-wide journal for a location, opened on first use with the default options: the cmdlets of every
        /// runspace (ForEach-Object -Parallel included) share one instance and its status de-duplication.
        /// A failed or read-only open is not remembered, so fixing the folder and running again works.
        /// </summary>
        public static TaskJournal Shared(JournalLocation location)
        {
            if (location.IsDisabled)
            {
                return Disabled;
            }

            lock (SharedJournals)
            {
                if (!SharedJournals.TryGetValue(location.Path!, out TaskJournal? journal) || journal.IsReadOnly)
                {
                    journal = Open(location.Path!);
                    SharedJournals[location.Path!] = journal;
                }

                return journal;
            }
        }

        /// <summary>Every task's latest known state and the lines that could not be read.</summary>
        public JournalSnapshot Read()
        {
            if (!IsEnabled)
            {
                return JournalSnapshot.Empty;
            }

            CompactIfCheckIsDue();
            Files.FileLock? held = null;
            try
            {
                held = Lock(ReadLockTimeout);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || (e is JournalException j && j.Reason != JournalFailureReason.Insecure))
            {
                // Reading needs no lock (a read-only journal is still read); an unterminated end is then reported as torn.
            }

            using (held)
            {
                return ReadFile();
            }
        }

        /// <summary>
        /// What a create would meet, without writing (New-SeedanceTask asks before ShouldProcess, and -WhatIf shows it):
        /// the decision <see cref="ReserveCreate"/> makes again, atomically, before the create is sent. A Reserved answer
        /// here reserves nothing (it has no Intent).
        /// </summary>
        public JournalReservation CheckCreate(
            string? name, decimal? dailyCreditLimit, CreateTaskRequest? request = null, JournalAttempt? attempt = null, decimal credits = 0m, bool force = false) =>
            Decide(Read(), request, name, credits, dailyCreditLimit, force, attempt, _clock());

        /// <summary>
        /// Rule: a daily credit limit cannot hold with the journal off, because what was spent cannot be known; nothing
        /// is created then. Null when the limit can hold (or there is none).
        /// </summary>
        /// <param name="source">Where the limit came from, named in the message (null: not named).</param>
        public static JournalException? DailyLimitNeedsTheJournal(decimal? dailyLimit, bool journalOn, string? source) =>
            dailyLimit is decimal limit && !journalOn
                ? new JournalException(JournalFailureReason.Disabled, null,
                    $"A daily credit limit ({limit.ToString("0.##", CultureInfo.InvariantCulture)} credits{(source is null ? string.Empty : ", from " + source)}) is set, but the task journal is off, so the " +
                    "credits already spent cannot be known and nothing was created. Turn the journal on, or remove the limit.")
                : null;

        private void CompactIfCheckIsDue()
        {
            if (_autoCompact && !IsReadOnly && _clock().UtcTicks >= System.Threading.Volatile.Read(ref _nextCompactionCheckTicks))
            {
                Compact();
            }
        }

        /// <summary>
        /// Compacts when the file has records past retention and was not compacted within the interval; with
        /// <paramref name="force"/>, now, whatever the interval (still under the lock and atomic).
        /// </summary>
        public JournalCompactionResult Compact(bool force = false)
        {
            if (!IsEnabled)
            {
                return LastCompaction = new JournalCompactionResult(false, 0, "the journal is off");
            }

            DateTimeOffset now = _clock();
            System.Threading.Volatile.Write(ref _nextCompactionCheckTicks, (now + CompactionInterval).UtcTicks);
            try
            {
                using (Lock(_lockTimeout))
                {
                    // Dated under the lock: other processes tell a compaction from a loss by its header's time (JournalContinuity).
                    LastCompaction = JournalCompactor.Compact(_path!, _clock(), Retention, force ? null : CompactionInterval);
                    if (LastCompaction.Compacted)
                    {
                        using FileStream compacted = OpenForAppendCreatingIfMissing();
                        _continuity.Seen(compacted, _clock()); // this process's own compaction is no loss
                    }

                    return LastCompaction;
                }
            }
            catch (Exception e) when (e is JournalException || e is IOException || e is UnauthorizedAccessException)
            {
                // Not fatal: the journal is only larger than it needs to be; the next check tries again.
                return LastCompaction = new JournalCompactionResult(false, 0, $"compaction of '{_path}' failed: {e.Message}");
            }
        }

        private void Prepare()
        {
            try
            {
                // The file says first what is wrong with it (a FIFO, /dev/null, a link), before its folder is judged.
                if (Files.UnixFileStatus.OfLink(_path!) is not null)
                {
                    using (JournalFile.OpenForRead(_path!))
                    {
                    }
                }

                JournalFile.EnsureFolder(_folder!);
                using (Lock(_lockTimeout))
                using (FileStream file = OpenForAppendCreatingIfMissing())
                {
                    _continuity.Seen(file, _clock());
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                if (CanBeRead())
                {
                    // It is there and readable: reads (-Pending) go on, and every write says at once why it cannot be.
                    _readOnlyBecause = e.Message;
                    return;
                }

                throw new JournalException(JournalFailureReason.CannotOpen, _path,
                    $"The task journal '{_path}' cannot be opened for writing: {e.Message} Fix the folder's permissions, " +
                    "choose another path (SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath), or turn it off with 'off'.", e);
            }
        }

        private Files.FileLock Lock(TimeSpan timeout)
        {
            if (!Directory.Exists(_folder))
            {
                JournalFile.EnsureFolder(_folder!); // deleted while in use: recreated, and the next write says so (JournalContinuity)
            }

            try
            {
                return Files.FileLock.Acquire(_lockPath!, timeout);
            }
            catch (Files.OwnedFileException e)
            {
                throw JournalFile.Insecure(e);
            }
            catch (TimeoutException e)
            {
                throw new JournalException(JournalFailureReason.LockTimeout, _lockPath, e.Message, e);
            }
            catch (NotSupportedException e)
            {
                throw new JournalException(JournalFailureReason.LockingUnsupported, _lockPath,
                    e.Message + " Processes sharing the journal could lose records: put it on a local disk (SEEDANCE_JOURNAL_PATH) or turn it off ('off').", e);
            }
        }

        /// <summary>Whether the journal file exists and can be opened for reading (an unsafe one still throws Insecure).</summary>
        private bool CanBeRead()
        {
            try
            {
                using (JournalFile.OpenForRead(_path!))
                {
                    return true;
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return false;
            }
        }

        private JournalException ReadOnlyError() =>
            new JournalException(JournalFailureReason.CannotWrite, _path,
                $"The task journal '{_path}' is read-only ({_readOnlyBecause}): nothing can be recorded in it. Get-SeedanceTask -Pending " +
                "still reads it, and Get, Wait and Save go on without recording; New-SeedanceTask creates nothing until it can be written. " +
                "Make it writable again, or choose another path (SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath).");

        /// <summary>
        /// The lock before a write. A read-only journal is said at once; a lock someone holds is waited for; one that
        /// cannot be had at all is said at once.
        /// </summary>
        private Files.FileLock LockForWriting()
        {
            ThrowIfReadOnly();
            try
            {
                return Lock(_lockTimeout);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new JournalException(JournalFailureReason.CannotWrite, _path,
                    $"Nothing can be recorded in the task journal '{_path}': its lock '{_lockPath}' cannot be opened for writing ({e.Message}). " +
                    "The journal's folder or file system is read-only or not yours; the journal can still be read (Get-SeedanceTask -Pending).", e);
            }
        }

        /// <summary>Folds the whole file, line by line in file order; lines that are no record are reported, never fatal.</summary>
        private JournalSnapshot ReadFile() => JournalFile.Fold(_path!, _clock);
    }
}
