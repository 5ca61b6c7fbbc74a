using System;

namespace Seedance.Client.Journal
{
    /// <summary>Settings of one <see cref="TaskJournal"/>. The defaults are what the module uses; tests inject the clock.</summary>
    public sealed class JournalOptions
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

        public static JournalOptions Default { get; } = new JournalOptions();

        /// <summary>The time stamped on records and used for the 24 h budget window and compaction.</summary>
        public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

        /// <summary>
        /// How long to wait for another process's lock. Locks are held for one append (well under a millisecond) or one
        /// compaction (a full rewrite, at most once a day), so reaching this means a stuck process or a broken file system.
        /// </summary>
        public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>
        /// Whether the journal compacts by itself when due: on open, then from Read at most once per interval in a long
        /// session. Off, only <see cref="TaskJournal.Compact"/> compacts.
        /// </summary>
        public bool AutoCompact { get; set; } = true;
    }
}
