using System;
using System.Collections.Generic;
using System.IO;
using Seedance.Client.Files;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// The journal's files (the journal, its lock, a compaction's new file) and its lines. Files are opened through
    /// <see cref="OwnedFiles"/>, the module's one facility for the files it owns: regular files only, never through a
    /// link, the user's own and not writable by others, in a folder that is the same; anything else is
    /// <see cref="JournalFailureReason.Insecure"/>. Every open shares read, write and delete, so a compaction can rename
    /// over the file while another process reads.
    /// </summary>
    internal static class JournalFile
    {
        /// <summary>The longest line read as a record (a record with a long prompt and many URLs is a few KB).</summary>
        public const int MaxLineBytes = 1024 * 1024;

        private const int ChunkSize = 64 * 1024;

        /// <summary>
        /// A line <see cref="Fold"/> read that is not blank: a record, or (null) a line of a type this version does not
        /// know, or an <paramref name="unreadable"/> one (no record in it). The memory is reused after the call returns.
        /// </summary>
        public delegate void FoldedLine(ReadOnlyMemory<byte> line, JournalRecord? record, bool unreadable);

        /// <summary>
        /// Folds the whole file, line by line in file order (the one reader of the file, for reads, compaction and the
        /// check for a lost journal): lines that are no record are reported, never fatal. The file is read in chunks, and
        /// a line longer than <see cref="MaxLineBytes"/> (no record this module writes) has its bytes skipped, never
        /// collected, so memory stays bounded whatever the file. The bytes after the last newline (a line a crash cut
        /// off) are no line: reported when not blank.
        /// </summary>
        /// <exception cref="JournalException">The file cannot be read (CannotRead), or is not safe (Insecure).</exception>
        public static JournalSnapshot Fold(string path, Func<DateTimeOffset> clock, FoldedLine? eachLine = null)
        {
            JournalSnapshot snapshot = new JournalSnapshot(path, clock);
            List<string> problems = new List<string>();
            DateTimeOffset now = clock();
            try
            {
                using FileStream stream = OpenForRead(path);
                byte[] chunk = new byte[ChunkSize];
                MemoryStream line = new MemoryStream();
                long length = 0; // of the line so far, kept or not
                long lines = 0;
                int read;
                while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
                {
                    for (int from = 0; from < read;)
                    {
                        int newline = Array.IndexOf(chunk, (byte)'\n', from, read - from);
                        int end = newline < 0 ? read : newline;
                        length += end - from;
                        bool tooLong = length > MaxLineBytes;
                        if (!tooLong)
                        {
                            line.Write(chunk, from, end - from);
                        }

                        if (newline < 0)
                        {
                            break;
                        }

                        lines++;
                        ReadOnlyMemory<byte> bytes = tooLong ? ReadOnlyMemory<byte>.Empty : new ReadOnlyMemory<byte>(line.GetBuffer(), 0, (int)line.Length);
                        string? problem = tooLong ? $"longer than {MaxLineBytes / (1024 * 1024)} MiB, so no record (skipped unread)" : null;
                        if (tooLong || !IsBlank(bytes.Span))
                        {
                            JournalRecord? record = tooLong ? null : JournalRecord.Read(bytes, now, out problem);
                            if (record is not null)
                            {
                                snapshot.Apply(record);
                            }

                            eachLine?.Invoke(bytes, record, unreadable: record is null && problem is not null);
                        }

                        if (problem is not null)
                        {
                            problems.Add($"line {lines}: {problem}");
                        }

                        line.SetLength(0);
                        length = 0;
                        from = newline + 1;
                    }
                }

                if (length > MaxLineBytes || !IsBlank(new ReadOnlySpan<byte>(line.GetBuffer(), 0, (int)line.Length)))
                {
                    problems.Add($"line {lines + 1}: an incomplete last record ({length} bytes without a newline), probably cut off by a crash");
                }
            }
            catch (FileNotFoundException)
            {
                // Not there (yet): nothing journaled.
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new JournalException(JournalFailureReason.CannotRead, path, $"The task journal '{path}' cannot be read: {e.Message}", e);
            }

            return snapshot.Seal(problems);
        }

        /// <summary>True for a line with nothing but spaces, tabs and carriage returns (skipped silently).</summary>
        private static bool IsBlank(ReadOnlySpan<byte> line)
        {
            foreach (byte b in line)
            {
                if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r')
                {
                    return false;
                }
            }

            return true;
        }

        private const OwnedFilePrivacy Privacy = OwnedFilePrivacy.NotWritableByOthers;

        /// <summary>Creates the folder and every missing parent (0700 on Unix), and checks it is the user's own.</summary>
        public static void EnsureFolder(string folder) => Owned(() =>
        {
            OwnedFiles.EnsureFolder(folder, Privacy);
            return true;
        });

        /// <summary>Creates a new file exclusively, owner-only from its first moment (IOException when anything is there).</summary>
        public static FileStream CreateNew(string path) => Owned(() => OwnedFiles.CreateNew(path, FileAccess.ReadWrite));

        /// <summary>Opens the existing journal for writing (and reading: an append looks at the last byte).</summary>
        public static FileStream OpenForAppend(string path) => Owned(() => OwnedFiles.Open(path, FileAccess.ReadWrite, Privacy));

        /// <summary>Opens the journal for reading, without blocking writers or a compaction's rename.</summary>
        public static FileStream OpenForRead(string path) => Owned(() => OwnedFiles.Open(path, FileAccess.Read, Privacy));

        /// <summary>The journal's terminating error for a file or folder that is not safe: the path, what is wrong and the fix.</summary>
        public static JournalException Insecure(OwnedFileException e) =>
            new JournalException(JournalFailureReason.Insecure, e.Path,
                $"The task journal cannot be trusted: '{e.Path}' is not safe to use: {e.Reason}. {e.Fix} " +
                "Or choose another path (SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath).", e);

        private static T Owned<T>(Func<T> open)
        {
            try
            {
                return open();
            }
            catch (OwnedFileException e)
            {
                throw Insecure(e);
            }
        }
    }
}
