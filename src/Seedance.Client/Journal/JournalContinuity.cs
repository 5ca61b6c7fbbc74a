using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// Whether the journal is still the file this process has been appending to, and the lines it appended, so that a
    /// journal deleted or replaced under a running command is noticed and gets this process's own records back (issue
    /// 16: a batch whose journal was deleted mid-run started a new file without its first rows, and a re-run paid for
    /// them again). The file only grows, so while the bytes this process last saw at its end are still there at the
    /// same offset it is the same file. When they are not, another process's compaction (a new file whose header is
    /// dated after that moment, with every recent line copied byte for byte) is told apart from a loss by looking for
    /// this process's lines. Used under the journal's lock.
    /// </summary>
    internal sealed class JournalContinuity
    {
        private const int TailBytes = 64;

        /// <summary>A bound on what is kept for a long session (about 30 MB at most); older lines are the first to go.</summary>
        private const int MaxOwnLines = 100_000;

        private readonly List<(DateTimeOffset Time, string Line)> _own = new List<(DateTimeOffset, string)>();
        private long _end = -1; // -1: never seen
        private byte[] _tail = Array.Empty<byte>();
        private DateTimeOffset _seenAt = DateTimeOffset.MinValue;

        /// <summary>Whether the file still holds, at the same offset, the bytes this process last saw at its end.</summary>
        public bool IsSameFile(FileStream file) =>
            _end < 0 || (file.Length >= _end && ReadAt(file, _end - _tail.Length, _tail.Length).SequenceEqual(_tail));

        /// <summary>Remembers where the file ends now (after opening it, after each append, after a check).</summary>
        public void Seen(FileStream file, DateTimeOffset at)
        {
            _end = file.Length;
            int count = (int)Math.Min(TailBytes, _end);
            _tail = ReadAt(file, _end - count, count);
            _seenAt = at;
        }

        /// <summary>A line this process appended (with or without its newline).</summary>
        public void Appended(DateTimeOffset time, byte[] line)
        {
            _own.Add((time, Encoding.UTF8.GetString(line).TrimEnd('\n')));
            if (_own.Count > MaxOwnLines)
            {
                _own.RemoveRange(0, _own.Count - MaxOwnLines);
            }
        }

        /// <summary>
        /// After <see cref="IsSameFile"/> said no: the lines this process wrote at or after <paramref name="keptSince"/>
        /// (older ones a compaction may drop) that the file lacks, in the order written, and whether the file is a
        /// compaction of the one seen: its header dated after it was last seen, and none of this process's lines missing.
        /// </summary>
        public List<string> Missing(string path, Func<DateTimeOffset> clock, DateTimeOffset keptSince, out bool compacted)
        {
            HashSet<string> present = new HashSet<string>(StringComparer.Ordinal);
            DateTimeOffset? compactedAt = null;
            JournalFile.Fold(path, clock, (line, record, unreadable) =>
            {
                if (present.Count == 0 && record?.Type == JournalRecord.Compacted)
                {
                    compactedAt = record.Time;
                }

                present.Add(Encoding.UTF8.GetString(line.ToArray()));
            });

            _own.RemoveAll(own => own.Time < keptSince);
            List<string> missing = _own.Where(own => !present.Contains(own.Line)).Select(own => own.Line).ToList();
            compacted = missing.Count == 0 && compactedAt >= _seenAt.AddSeconds(-1); // the header keeps milliseconds only
            return missing;
        }

        private static byte[] ReadAt(FileStream file, long offset, int count)
        {
            byte[] bytes = new byte[count];
            file.Seek(offset, SeekOrigin.Begin);
            int filled = 0;
            int read;
            while (filled < count && (read = file.Read(bytes, filled, count - filled)) > 0)
            {
                filled += read;
            }

            return filled == count ? bytes : bytes.Take(filled).ToArray();
        }
    }
}
