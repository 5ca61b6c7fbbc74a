using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Json;

namespace Seedance.Client.Journal
{
    /// <summary>What a compaction did.</summary>
    public sealed class JournalCompactionResult
    {
        internal JournalCompactionResult(bool compacted, int removed, int kept, string? notDoneBecause)
        {
            Compacted = compacted;
            RemovedRecords = removed;
            KeptRecords = kept;
            NotDoneBecause = notDoneBecause;
        }

        public bool Compacted { get; }

        /// <summary>Records dropped: those of tasks whose last record is past retention, plus unreadable lines.</summary>
        public int RemovedRecords { get; }
        public int KeptRecords { get; }

        /// <summary>Why nothing was rewritten (not due, journal off, or the error that stopped it).</summary>
        public string? NotDoneBecause { get; }
    }

    /// <summary>
    /// Removes the records of tasks the service no longer keeps (older than the retention, 60 days). A task's records
    /// go together, judged by its newest record, so a kept task never loses its intent (request, name) to a cut through
    /// its history. Lines are copied byte for byte, so fields and record types of a newer version survive an older
    /// compactor. The new file (header first) is written beside the journal, flushed, and renamed over it: a crash at
    /// any point leaves either the old file or the new one, never a mix. The caller holds the journal's lock.
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
            byte[] head;
            using (FileStream stream = JournalFileSystem.OpenForRead(path))
            {
                head = new byte[(int)Math.Min(stream.Length, DueCheckBytes)];
                int filled = 0;
                int read;
                while (filled < head.Length && (read = stream.Read(head, filled, head.Length - filled)) > 0)
                {
                    filled += read;
                }
            }

            bool? due = null;
            bool firstLine = true;
            using MemoryStream memory = new MemoryStream(head);
            JournalLineScanner.Scan(memory, 0, (line, offset, tooLong) =>
            {
                if (due.HasValue || tooLong || !Inspect(line, out string? type, out DateTimeOffset? time, out _, out _) || time is null)
                {
                    firstLine = false;
                    return;
                }

                if (type == CompactionRecord.TypeName)
                {
                    if (firstLine && time > now - interval)
                    {
                        due = false;
                    }
                }
                else
                {
                    due = time < now - retention;
                }

                firstLine = false;
            }, out _);
            return due ?? false;
        }

        public static JournalCompactionResult Compact(string path, DateTimeOffset now, TimeSpan retention)
        {
            DateTimeOffset cutoff = now - retention;
            string folder = Path.GetDirectoryName(path)!;
            string temporary = path + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".compacting";
            try
            {
                int kept;
                int removed;
                using (FileStream source = JournalFileSystem.OpenForRead(path))
                {
                    bool[] keep = Decide(source, cutoff, out removed, out kept);
                    using FileStream target = JournalFileSystem.CreateNew(temporary);
                    byte[] header = JournalRecordWriter.ToLine(new CompactionRecord(now, Guid.NewGuid().ToString("N"), removed));
                    target.Write(header, 0, header.Length);
                    int index = 0;
                    JournalLineScanner.Scan(source, 0, (line, offset, tooLong) =>
                    {
                        // Lines beyond pass one's count cannot appear under the lock; kept, should a writer ignore it.
                        bool keepLine = index >= keep.Length || keep[index];
                        index++;
                        if (keepLine)
                        {
                            byte[] bytes = line.ToArray();
                            target.Write(bytes, 0, bytes.Length);
                            target.WriteByte((byte)'\n');
                        }
                    }, out _);
                    target.Flush(true);
                }

                JournalFileSystem.Replace(temporary, path);
                JournalFileSystem.SyncFolder(folder);
                return new JournalCompactionResult(true, removed, kept, null);
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }

        private enum LineRole
        {
            Record,
            OldHeader,
            Blank,
            Unreadable,
        }

        /// <summary>
        /// Pass one: which lines to keep. Removed are the records of expired tasks and unreadable lines (a torn line has
        /// no record in it to keep); the old header and blank lines simply go. A torn tail (no newline) is not a line.
        /// </summary>
        private static bool[] Decide(Stream source, DateTimeOffset cutoff, out int removed, out int kept)
        {
            List<(LineRole Role, string? Group, DateTimeOffset? Time)> lines = new List<(LineRole, string?, DateTimeOffset?)>();
            Dictionary<string, string> taskOfIntent = new Dictionary<string, string>(StringComparer.Ordinal);
            JournalLineScanner.Scan(source, 0, (line, offset, tooLong) =>
            {
                if (tooLong)
                {
                    lines.Add((LineRole.Unreadable, null, null));
                }
                else if (JournalLineScanner.IsBlank(line.Span))
                {
                    lines.Add((LineRole.Blank, null, null));
                }
                else if (!Inspect(line, out string? type, out DateTimeOffset? time, out string? intent, out string? task))
                {
                    lines.Add((LineRole.Unreadable, null, null));
                }
                else if (type == CompactionRecord.TypeName)
                {
                    lines.Add((LineRole.OldHeader, null, time));
                }
                else
                {
                    if (type == TaskCreatedRecord.TypeName && intent is not null && task is not null)
                    {
                        taskOfIntent[intent] = task;
                    }

                    lines.Add((LineRole.Record, task ?? (intent is null ? null : "intent:" + intent), time));
                }
            }, out _);

            // A task's group is its task id; an intent joins its task's group once a created record names both.
            Dictionary<string, DateTimeOffset> newest = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
            for (int i = 0; i < lines.Count; i++)
            {
                (LineRole role, string? group, DateTimeOffset? time) = lines[i];
                if (group is not null && group.StartsWith("intent:", StringComparison.Ordinal) && taskOfIntent.TryGetValue(group.Substring(7), out string? task))
                {
                    group = task;
                    lines[i] = (role, group, time);
                }

                if (group is not null && time is DateTimeOffset at && (!newest.TryGetValue(group, out DateTimeOffset seen) || at > seen))
                {
                    newest[group] = at;
                }
            }

            bool[] keep = new bool[lines.Count];
            removed = 0;
            kept = 0;
            for (int i = 0; i < lines.Count; i++)
            {
                (LineRole role, string? group, DateTimeOffset? time) = lines[i];
                if (role != LineRole.Record)
                {
                    removed += role == LineRole.Unreadable ? 1 : 0;
                    continue;
                }

                // A record without a group (an upload, an unknown type) is judged by its own time; without a usable
                // time it is kept rather than guessed at.
                DateTimeOffset? last = group is not null && newest.TryGetValue(group, out DateTimeOffset groupNewest) ? groupNewest : time;
                keep[i] = last is null || last >= cutoff;
                if (keep[i])
                {
                    kept++;
                }
                else
                {
                    removed++;
                }
            }

            return keep;
        }

        /// <summary>The fields compaction needs, for any record type, known or not.</summary>
        private static bool Inspect(ReadOnlyMemory<byte> line, out string? type, out DateTimeOffset? time, out string? intent, out string? task)
        {
            type = null;
            time = null;
            intent = null;
            task = null;
            try
            {
                using JsonDocument document = JsonDocument.Parse(line);
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }

                type = Text(root, "type");
                intent = Text(root, "intent");
                task = Text(root, "task");
                string? stamp = Text(root, "time");
                if (stamp is not null && DateTimeOffset.TryParse(stamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset parsed))
                {
                    time = parsed;
                }

                return type is not null;
            }
            catch (JsonException)
            {
                return false;
            }
        }

        private static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }
}
