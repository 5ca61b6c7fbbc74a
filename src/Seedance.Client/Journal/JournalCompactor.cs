using System;
using System.Collections.Generic;
using System.IO;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// What a compaction did: whether it rewrote the file, the records it dropped (those of tasks whose last record is
    /// past retention, plus unreadable lines), and why nothing was rewritten (not due, journal off, or the error that stopped it).
    /// </summary>
    public sealed record JournalCompactionResult(bool Compacted, int RemovedRecords, string? NotDoneBecause);

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
        /// <summary>
        /// Rewrites the file when due (<paramref name="interval"/> null: now): when it was not compacted within
        /// <paramref name="interval"/> (its header says when) and its first record, the oldest since appends are in time
        /// order, is past retention. Decided from the same fold that collects the lines to keep.
        /// </summary>
        public static JournalCompactionResult Compact(string path, DateTimeOffset now, TimeSpan retention, TimeSpan? interval)
        {
            string temporary = path + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".compacting";
            try
            {
                // One pass of the fold a read makes, keeping each line with its record. Unreadable lines are dropped (a
                // torn line has no record in it to keep); the old header and blank lines simply go, and a torn tail (no
                // newline) is not a line. A line of a type this version does not know (a newer one's) is not ours to judge: kept.
                List<(byte[] Line, JournalRecord? Record)> lines = new List<(byte[], JournalRecord?)>();
                int unreadable = 0;
                bool first = true;
                DateTimeOffset? compactedAt = null;
                DateTimeOffset? oldest = null;
                JournalSnapshot folded = JournalFile.Fold(path, () => now, (line, record, isUnreadable) =>
                {
                    // A header first says when compaction last ran; the first record after it is the oldest.
                    bool header = record?.Type == JournalRecord.Compacted;
                    compactedAt ??= header && first ? record!.Time : null;
                    oldest ??= header ? null : record?.Time;
                    first = false;
                    if (isUnreadable)
                    {
                        unreadable++;
                    }
                    else if (!header)
                    {
                        lines.Add((line.ToArray(), record));
                    }
                });

                if (interval is TimeSpan every && (compactedAt > now - every || !(oldest < now - retention)))
                {
                    return new JournalCompactionResult(false, 0, "not due");
                }

                // A task's records go together, judged by its newest (the summary the fold ended with for it); a record of
                // no task (a refusal of an intent compacted away) is judged by its own time.
                List<byte[]> kept = lines.FindAll(line => line.Record is not JournalRecord record || (folded.Owner(record)?.UpdatedAt ?? record.Time) >= now - retention)
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

                Files.OwnedFiles.Replace(temporary, path);
                Files.OwnedFiles.SyncFolder(Path.GetDirectoryName(path)!);
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
    }
}
