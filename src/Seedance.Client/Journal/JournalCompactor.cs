using System;
using System.Collections.Generic;
using System.IO;

namespace Seedance.Client.Journal
{
    /// <summary>What a compaction did.</summary>
    public sealed class JournalCompactionResult
    {
        internal JournalCompactionResult(bool compacted, int removed, string? notDoneBecause)
        {
            Compacted = compacted;
            RemovedRecords = removed;
            NotDoneBecause = notDoneBecause;
        }

        public bool Compacted { get; }

        /// <summary>Records dropped: those of tasks whose last record is past retention, plus unreadable lines.</summary>
        public int RemovedRecords { get; }

        /// <summary>Why nothing was rewritten (not due, journal off, or the error that stopped it).</summary>
        public string? NotDoneBecause { get; }
    }

    /// <summary>
    /// Removes the records of tasks the service no longer keeps (older than the retention, 60 days). A task's records
    /// go together, judged by its newest record (the snapshot's fold: an intent, its outcome and every later status of
    /// its task are one summary), so a kept task never loses its intent (request, name) to a cut through its history.
    /// Lines are copied byte for byte, and lines of a type this version does not know are kept, so a newer version's
    /// records survive an older compactor. The new file (header first) is written beside the journal, flushed, and
    /// renamed over it: a crash at any point leaves either the old file or the new one, never a mix. The caller holds
    /// the journal's lock.
    /// </summary>
    internal static class JournalCompactor
    {
        private const int DueCheckBytes = 64 * 1024;

        /// <summary>
        /// Cheap (reads the first 64 KB): due when the file was not compacted within <paramref name="interval"/> (its
        /// header says when) and its first record, the oldest since appends are in time order, is past retention.
        /// </summary>
        public static bool IsDue(string path, DateTimeOffset now, TimeSpan retention, TimeSpan interval)
        {
            byte[] head = new byte[DueCheckBytes];
            int filled = 0;
            using (FileStream stream = JournalFile.OpenForRead(path))
            {
                int read;
                while (filled < head.Length && (read = stream.Read(head, filled, head.Length - filled)) > 0)
                {
                    filled += read;
                }
            }

            bool? due = null;
            using MemoryStream memory = new MemoryStream(head, 0, filled);
            JournalFile.Scan(memory, 0, (line, offset, tooLong) =>
            {
                if (due.HasValue || tooLong || !(JournalRecord.Read(line, null, out _) is JournalRecord record))
                {
                    return;
                }

                // A header first says when compaction last ran; otherwise the first record says how old the file is.
                due = record.Type == JournalRecord.Compacted ? (offset == 0 && record.Time > now - interval ? false : (bool?)null) : record.Time < now - retention;
            }, out _);
            return due ?? false;
        }

        public static JournalCompactionResult Compact(string path, DateTimeOffset now, TimeSpan retention)
        {
            string temporary = path + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".compacting";
            try
            {
                // One pass of the fold a read makes: each line beside the task it put it in. Unreadable lines are dropped
                // (a torn line has no record in it to keep); the old header and blank lines simply go, and a torn tail (no
                // newline) is not a line. A line of a type this version does not know (a newer one's) is not ours to judge: kept.
                List<(byte[] Line, JournalTaskSummary? Task, DateTimeOffset? Time)> lines = new List<(byte[], JournalTaskSummary?, DateTimeOffset?)>();
                int unreadable = 0;
                JournalFile.Fold(path, () => now, (line, record, task, isUnreadable) =>
                {
                    if (isUnreadable)
                    {
                        unreadable++;
                    }
                    else if (record?.Type != JournalRecord.Compacted)
                    {
                        lines.Add((line.ToArray(), task, record?.Time));
                    }
                });

                // A task's records go together, judged by its newest (the summary it was merged into, if it was); a
                // record of no task (a refusal of an intent compacted away) is judged by its own time.
                List<byte[]> kept = lines.FindAll(line => (Final(line.Task)?.UpdatedAt ?? line.Time) is not DateTimeOffset last || last >= now - retention)
                    .ConvertAll(line => line.Line);
                int removed = lines.Count - kept.Count + unreadable;
                using (FileStream target = JournalFile.CreateNew(temporary))
                {
                    byte[] header = new JournalRecord(JournalRecord.Compacted, now) { CompactionId = Guid.NewGuid().ToString("N"), Removed = removed }.ToLine();
                    target.Write(header, 0, header.Length);
                    foreach (byte[] line in kept)
                    {
                        target.Write(line, 0, line.Length);
                        target.WriteByte((byte)'\n');
                    }

                    target.Flush(true);
                }

                JournalFile.Replace(temporary, path);
                JournalFile.SyncFolder(Path.GetDirectoryName(path)!);
                return new JournalCompactionResult(true, removed, null);
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }

        private static JournalTaskSummary? Final(JournalTaskSummary? task)
        {
            while (task?.MergedInto is not null)
            {
                task = task.MergedInto;
            }

            return task;
        }
    }
}
