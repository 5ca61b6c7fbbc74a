using System;
using System.Collections.Generic;
using System.IO;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// The records of one journal file, read incrementally: each refresh parses only the bytes appended since the last
    /// one, so a tab completion or a budget check in a long session costs almost nothing. A compaction replaces the
    /// file with one whose first line is a new header, so a changed first line (or a shorter file) means start over.
    /// Not thread-safe; <see cref="TaskJournal"/> serializes access.
    /// </summary>
    internal sealed class JournalRecordCache
    {
        private const int FirstLineBytesCompared = 4096;

        private readonly string _path;
        private readonly Func<DateTimeOffset> _clock;
        private readonly List<JournalLineProblem> _problems = new List<JournalLineProblem>();
        private JournalFold _fold = new JournalFold();
        private byte[]? _firstLine;
        private long _consumed;
        private long _lines;

        public JournalRecordCache(string path, Func<DateTimeOffset> clock)
        {
            _path = path;
            _clock = clock;
        }

        /// <summary>The records read so far, folded in file order. Mutated by <see cref="Refresh"/>: snapshots copy out of it.</summary>
        public JournalFold Fold => _fold;

        /// <summary>Records read so far.</summary>
        public long RecordCount { get; private set; }

        /// <summary>Changes whenever anything read changes (records, problems, the tail), so an unchanged journal reuses its snapshot.</summary>
        public long Version { get; private set; }

        /// <summary>Complete lines that were not records.</summary>
        public IReadOnlyList<JournalLineProblem> Problems => _problems;

        /// <summary>The unterminated end of the file at the last refresh, if any.</summary>
        public JournalLineProblem? Tail { get; private set; }

        /// <summary>Lines read, blank ones included.</summary>
        public long LineCount => _lines;

        public void Refresh()
        {
            FileStream stream;
            try
            {
                stream = JournalFileSystem.OpenForRead(_path);
            }
            catch (FileNotFoundException)
            {
                Reset();
                return;
            }

            using (stream)
            {
                if (_firstLine is not null && (stream.Length < _consumed || !StartsWith(stream, _firstLine)))
                {
                    Reset();
                }

                long consumed = JournalLineScanner.Scan(stream, _consumed, OnLine, out long tail);
                JournalLineProblem? newTail = tail == 0
                    ? null
                    : new JournalLineProblem(JournalLineProblemKind.TornLastLine, _lines + 1, consumed,
                        $"an incomplete last record ({tail} bytes without a newline), probably cut off by a crash");
                if (consumed != _consumed || newTail?.Offset != Tail?.Offset || newTail?.Detail != Tail?.Detail)
                {
                    Version++;
                }

                _consumed = consumed;
                Tail = newTail;
            }
        }

        private void OnLine(ReadOnlyMemory<byte> line, long offset, bool tooLong)
        {
            _lines++;
            if (_lines == 1)
            {
                _firstLine = line.Slice(0, Math.Min(line.Length, FirstLineBytesCompared)).ToArray();
            }

            if (tooLong)
            {
                _problems.Add(new JournalLineProblem(JournalLineProblemKind.UnreadableLine, _lines, offset,
                    $"longer than {JournalLineScanner.MaxLineBytes / (1024 * 1024)} MiB, so no record (skipped unread)"));
                return;
            }

            if (JournalLineScanner.IsBlank(line.Span))
            {
                return;
            }

            switch (JournalRecordReader.Read(line, _clock(), out JournalRecord? record, out string? problem))
            {
                case JournalRecordReader.LineKind.Record:
                    _fold.Apply(record!);
                    RecordCount++;
                    if (problem is not null)
                    {
                        _problems.Add(new JournalLineProblem(JournalLineProblemKind.UnreadableLine, _lines, offset, problem));
                    }

                    break;
                case JournalRecordReader.LineKind.Unreadable:
                    _problems.Add(new JournalLineProblem(JournalLineProblemKind.UnreadableLine, _lines, offset, problem!));
                    break;
            }
        }

        private void Reset()
        {
            _fold = new JournalFold();
            RecordCount = 0;
            Version++;
            _problems.Clear();
            _firstLine = null;
            _consumed = 0;
            _lines = 0;
            Tail = null;
        }

        private static bool StartsWith(Stream stream, byte[] expected)
        {
            if (stream.Length < expected.Length)
            {
                return false;
            }

            byte[] actual = new byte[expected.Length];
            stream.Seek(0, SeekOrigin.Begin);
            int filled = 0;
            int read;
            while (filled < actual.Length && (read = stream.Read(actual, filled, actual.Length - filled)) > 0)
            {
                filled += read;
            }

            for (int i = 0; i < expected.Length; i++)
            {
                if (actual[i] != expected[i])
                {
                    return false;
                }
            }

            return filled == expected.Length;
        }
    }
}
