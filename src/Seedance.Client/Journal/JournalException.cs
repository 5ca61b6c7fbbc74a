using System;

namespace Seedance.Client.Journal
{
    /// <summary>Why the journal could not be used; the ErrorId and the error map's category follow from it.</summary>
    public enum JournalFailureReason
    {
        /// <summary>The configured path is not usable as a journal path (relative, empty, a device).</summary>
        InvalidPath,

        /// <summary>The folder, the file or the lock file could not be created or opened.</summary>
        CannotOpen,

        /// <summary>A record could not be written and flushed.</summary>
        CannotWrite,

        /// <summary>The file exists but could not be read.</summary>
        CannotRead,

        /// <summary>Another process held the journal's lock for longer than the lock timeout.</summary>
        LockTimeout,

        /// <summary>The file system refuses advisory locks, so records from two processes could interleave.</summary>
        LockingUnsupported,

        /// <summary>
        /// The file, its lock or its folder is not safe to use: a link, a FIFO or device, another user's, or writable by
        /// others (records could have been planted or read). Never worked around: the cmdlets stop with JournalInsecure.
        /// </summary>
        Insecure,

        /// <summary>The journal is off but the operation needs it (a daily credit limit cannot be checked without it).</summary>
        Disabled,
    }

    /// <summary>
    /// The journal cannot be opened, locked, read or written. The message always names the path, so the cmdlets can
    /// turn it into a terminating error before any create: paying for a task without a record of it is what the
    /// journal exists to prevent.
    /// </summary>
    public sealed class JournalException : SeedanceException
    {
        public JournalException(JournalFailureReason reason, string? path, string message, Exception? innerException = null)
            : base(message, innerException)
        {
            Reason = reason;
            Path = path;
        }

        public JournalFailureReason Reason { get; }

        /// <summary>The journal file (or the folder or lock file that failed); null only for a disabled journal.</summary>
        public string? Path { get; }

        /// <summary>A file or folder that is not safe: its fix (the error map's table adds the advice of the ErrorId).</summary>
        public override string? Advice => (InnerException as Files.OwnedFileException)?.Fix;

        public override string ErrorId => Reason switch
        {
            JournalFailureReason.InvalidPath => "InvalidJournalPath",
            JournalFailureReason.Disabled => "DailyLimitNeedsJournal",
            JournalFailureReason.Insecure => "JournalInsecure",
            _ => "JournalUnavailable",
        };
    }
}
