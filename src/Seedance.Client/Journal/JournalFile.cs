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
    /// over the file while another process reads. Lines are split from an offset, in chunks, so a large journal is never
    /// read whole: a line longer than <see cref="MaxLineBytes"/> is no record this module writes, so it is passed on as
    /// too long and its bytes are skipped, never collected, and memory stays bounded (a chunk and the cap) whatever the file.
    /// </summary>
    internal static class JournalFile
    {
        /// <summary>The longest line read as a record (a record with a long prompt and many URLs is a few KB).</summary>
        public const int MaxLineBytes = 1024 * 1024;

        private const int ChunkSize = 64 * 1024;

        /// <summary>
        /// A complete line (without its newline) and where it starts; <paramref name="tooLong"/> lines come with no
        /// bytes. The memory is reused after the call returns.
        /// </summary>
        public delegate void LineHandler(ReadOnlyMemory<byte> line, long offset, bool tooLong);

        /// <summary>
        /// Calls <paramref name="onLine"/> for every complete line from <paramref name="start"/> to the end of the stream
        /// (or of the chunk that reaches <paramref name="maxBytes"/>). Returns the offset just after the last newline; <paramref name="tailLength"/> gets the number of bytes after it
        /// that are not blank (a line still being written, or one a crash cut off), which the caller does not count as read.
        /// </summary>
        public static long Scan(Stream stream, long start, LineHandler onLine, out long tailLength, long maxBytes = long.MaxValue)
        {
            stream.Seek(start, SeekOrigin.Begin);
            byte[] chunk = new byte[ChunkSize];
            MemoryStream line = new MemoryStream();
            long lineStart = start;
            long position = start;
            bool tooLong = false;
            int read;
            while (position - start < maxBytes && (read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                for (int from = 0; from < read;)
                {
                    int newline = Array.IndexOf(chunk, (byte)'\n', from, read - from);
                    int end = newline < 0 ? read : newline;
                    tooLong |= line.Length + (end - from) > MaxLineBytes;
                    if (!tooLong)
                    {
                        line.Write(chunk, from, end - from);
                    }

                    position += end - from;
                    if (newline < 0)
                    {
                        break;
                    }

                    onLine(tooLong ? ReadOnlyMemory<byte>.Empty : new ReadOnlyMemory<byte>(line.GetBuffer(), 0, (int)line.Length), lineStart, tooLong);
                    line.SetLength(0);
                    tooLong = false;
                    lineStart = ++position;
                    from = newline + 1;
                }
            }

            tailLength = tooLong ? position - lineStart : IsBlank(new ReadOnlySpan<byte>(line.GetBuffer(), 0, (int)line.Length)) ? 0 : line.Length;
            return lineStart;
        }

        /// <summary>True for a line with nothing but spaces, tabs and carriage returns (skipped silently).</summary>
        public static bool IsBlank(ReadOnlySpan<byte> line)
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

        /// <summary>
        /// A line <see cref="Fold"/> read that is not blank: a record, or (null) a line of a type this version does not
        /// know, or an <paramref name="unreadable"/> one (no record in it).
        /// </summary>
        public delegate void FoldedLine(ReadOnlyMemory<byte> line, JournalRecord? record, bool unreadable);

        /// <summary>
        /// Folds the whole file, line by line in file order (the one fold of reads and compaction): lines that are no
        /// record are reported, never fatal.
        /// </summary>
        /// <exception cref="JournalException">The file cannot be read (CannotRead), or is not safe (Insecure).</exception>
        public static JournalSnapshot Fold(string path, Func<DateTimeOffset> clock, FoldedLine? eachLine = null)
        {
            JournalSnapshot snapshot = new JournalSnapshot(path, clock);
            List<string> problems = new List<string>();
            long lines = 0;
            DateTimeOffset now = clock();
            try
            {
                using FileStream stream = OpenForRead(path);
                long end = Scan(stream, 0, (line, offset, tooLong) =>
                {
                    lines++;
                    string? problem = tooLong ? $"longer than {MaxLineBytes / (1024 * 1024)} MiB, so no record (skipped unread)" : null;
                    if (tooLong || !IsBlank(line.Span))
                    {
                        JournalRecord? record = tooLong ? null : JournalRecord.Read(line, now, out problem);
                        if (record is not null)
                        {
                            snapshot.Apply(record);
                        }

                        eachLine?.Invoke(line, record, unreadable: record is null && problem is not null);
                    }

                    if (problem is not null)
                    {
                        problems.Add($"line {lines}: {problem}");
                    }
                }, out long tail);
                if (tail > 0)
                {
                    problems.Add($"line {lines + 1}: an incomplete last record ({tail} bytes without a newline), probably cut off by a crash");
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

        private const OwnedFilePrivacy Privacy = OwnedFilePrivacy.NotWritableByOthers;

        public static bool IsWindows => OwnedFiles.IsWindows;

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

        public static void SyncFolder(string folder) => OwnedFiles.SyncFolder(folder);

        public static void Replace(string source, string destination) => OwnedFiles.Replace(source, destination);

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
