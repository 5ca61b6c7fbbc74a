using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using Seedance.Client.Json;

namespace Seedance.Client.Journal
{
    /// <summary>The outcome of reading one line.</summary>
    internal enum JournalLineKind
    {
        /// <summary>A record this version knows.</summary>
        Record,

        /// <summary>Valid JSON with a type this version does not know (written by a newer one): skipped silently.</summary>
        UnknownType,

        /// <summary>Not a record: a torn write, or damage. Reported to the caller.</summary>
        Unreadable,
    }

    /// <summary>
    /// A record as a line and back: compact UTF-8 JSON and a final newline (the JSON writer escapes every control
    /// character inside strings, so a prompt with newlines still makes exactly one line). The fields are the record's
    /// (<see cref="JournalRecord"/>: each declared once); this checks only what makes a line a record at all (JSON, a
    /// type, a time, the ids or fields its type needs): a line without them is reported, never fatal.
    /// </summary>
    internal static class JournalLine
    {
        /// <summary>Credits above this are no price of this service (a 15 s video is a few hundred): refused, so no sum can overflow.</summary>
        public const decimal MaxCredits = 1_000_000_000_000m;

        /// <summary>
        /// Whether <paramref name="credits"/> can be a charge: 0 to <see cref="MaxCredits"/>. The one rule for a charge the
        /// service reports (ServiceAnswerReader) and one read back from the journal, so the journal never writes what it
        /// would refuse to read.
        /// </summary>
        public static bool IsCharge(decimal credits) => credits >= 0m && credits <= MaxCredits;

        /// <summary>How far ahead of the reader's clock a record may be dated (clocks of machines sharing a journal differ a little).</summary>
        public static readonly TimeSpan MaxClockAhead = TimeSpan.FromDays(1);

        // Prompts in any language stay readable in the file; the relaxed encoder still escapes quotes, backslashes and
        // control characters, which is all JSON Lines needs (the file is never embedded in HTML).
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        private static readonly HashSet<string> KnownTypes = new HashSet<string>(StringComparer.Ordinal)
        {
            JournalRecord.Intent, JournalRecord.SlotWait, JournalRecord.Created, JournalRecord.OutcomeUnknown, JournalRecord.Status,
            JournalRecord.Saved, JournalRecord.Refused, JournalRecord.Compacted,
        };

        public static byte[] ToLine(JournalRecord record)
        {
            using MemoryStream stream = new MemoryStream(256);
            using (Utf8JsonWriter writer = new Utf8JsonWriter(stream, WriterOptions))
            {
                PlainJson.Write(writer, record.Fields);
            }

            stream.WriteByte((byte)'\n');
            return stream.ToArray();
        }

        internal static string FormatTime(DateTimeOffset time) =>
            time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

        public static JournalLineKind Read(ReadOnlyMemory<byte> line, out JournalRecord? record, out string? problem) => Read(line, null, out record, out problem);

        /// <summary>
        /// Reads one line. A record dated more than <see cref="MaxClockAhead"/> after <paramref name="now"/> is unreadable
        /// (it would hold a budget or a Name forever); a record whose credits are negative or beyond
        /// <see cref="MaxCredits"/> is read without them (ignored for budgets) and still reported in <paramref name="problem"/>.
        /// </summary>
        public static JournalLineKind Read(ReadOnlyMemory<byte> line, DateTimeOffset? now, out JournalRecord? record, out string? problem)
        {
            record = null;
            problem = null;
            object? plain;
            try
            {
                using JsonDocument document = PlainJson.Parse(line);
                plain = PlainJson.ToPlain(document.RootElement);
            }
            catch (JsonException e)
            {
                problem = "not valid JSON (" + e.Message + ")";
                return JournalLineKind.Unreadable;
            }

            if (!(plain is Dictionary<string, object?> fields) || !(fields.TryGetValue("type", out object? typed) && typed is string type))
            {
                problem = plain is Dictionary<string, object?> ? "no record type" : "not a JSON object";
                return JournalLineKind.Unreadable;
            }

            if (type == JournalRecord.Failure && !(fields.TryGetValue("task", out object? task) && task is string) && fields.TryGetValue("intent", out object? intent) && intent is string)
            {
                type = JournalRecord.Refused; // 0.1.0's refusal; its failure of a task was read by nothing
            }

            if (!KnownTypes.Contains(type))
            {
                return JournalLineKind.UnknownType; // 'uploaded' and the failure of a task (0.1.0's, read by nothing) among them
            }

            if (JournalRecord.TimeOf(fields, "time") is not DateTimeOffset time)
            {
                problem = $"a '{type}' record without a valid time";
                return JournalLineKind.Unreadable;
            }

            JournalRecord read = new JournalRecord(fields, type, time);
            if (now is DateTimeOffset reader && time > reader + MaxClockAhead)
            {
                problem = $"a '{type}' record dated {FormatTime(time)}, in the future";
                return JournalLineKind.Unreadable;
            }

            // The fields without which a record of its type means nothing.
            bool hasIds = type switch
            {
                JournalRecord.Intent or JournalRecord.OutcomeUnknown => read.IntentId is not null && read.HasObject("request"),
                JournalRecord.SlotWait or JournalRecord.Refused => read.IntentId is not null,
                JournalRecord.Created => read.IntentId is not null && read.TaskId is not null,
                JournalRecord.Status => read.TaskId is not null,
                JournalRecord.Saved => read.TaskId is not null && read.Path is not null,
                _ => true,
            };
            if (!hasIds)
            {
                problem = $"a '{type}' record without the ids or fields it needs";
                return JournalLineKind.Unreadable;
            }

            if (read.Credits is null && read.RawValue("credits") is string credits)
            {
                problem = $"a '{type}' record with credits {credits}, not a price (read without them, so not counted in budgets)";
            }

            record = read;
            return JournalLineKind.Record;
        }
    }
}
