using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Seedance.Client.Models;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// Reads one line back into a record. Lenient where a newer version may differ (unknown fields and unknown record
    /// types are ignored; an optional field of an unexpected kind reads as absent), strict only where a record would be
    /// meaningless (not JSON, no type, no time, no task or intent id): such a line is reported, never fatal.
    /// </summary>
    public static class JournalRecordReader
    {
        /// <summary>The outcome of reading one line.</summary>
        public enum LineKind
        {
            /// <summary>A record this version knows.</summary>
            Record,

            /// <summary>Valid JSON with a type this version does not know (written by a newer one): skipped silently.</summary>
            UnknownType,

            /// <summary>Not a record: a torn write, or damage. Reported to the caller.</summary>
            Unreadable,
        }

        /// <summary>Credits above this are no price of this service (a 15 s video is a few hundred): refused, so no sum can overflow.</summary>
        public const decimal MaxCredits = 1_000_000_000_000m;

        /// <summary>How far ahead of the reader's clock a record may be dated (clocks of machines sharing a journal differ a little).</summary>
        public static readonly TimeSpan MaxClockAhead = TimeSpan.FromDays(1);

        public static LineKind Read(ReadOnlyMemory<byte> line, out JournalRecord? record, out string? problem) => Read(line, null, out record, out problem);

        /// <summary>
        /// Reads one line. A record dated more than <see cref="MaxClockAhead"/> after <paramref name="now"/> is unreadable
        /// (it would hold a budget or a Name forever); a record whose credits are negative or beyond
        /// <see cref="MaxCredits"/> is read without them (ignored for budgets) and still reported in <paramref name="problem"/>.
        /// </summary>
        public static LineKind Read(ReadOnlyMemory<byte> line, DateTimeOffset? now, out JournalRecord? record, out string? problem)
        {
            record = null;
            problem = null;
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                problem = "not valid JSON (" + e.Message + ")";
                return LineKind.Unreadable;
            }

            using (document)
            {
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    problem = "not a JSON object";
                    return LineKind.Unreadable;
                }

                string? type = String(root, "type");
                if (type is null)
                {
                    problem = "no record type";
                    return LineKind.Unreadable;
                }

                if (!IsKnownType(type))
                {
                    return LineKind.UnknownType;
                }

                if (Time(root, "time") is not DateTimeOffset time)
                {
                    problem = $"a '{type}' record without a valid time";
                    return LineKind.Unreadable;
                }

                if (now is DateTimeOffset reader && time > reader + MaxClockAhead)
                {
                    problem = $"a '{type}' record dated {JournalRecordWriter.FormatTime(time)}, in the future";
                    return LineKind.Unreadable;
                }

                record = Build(type, time, root);
                if (record is not null && OutOfRangeCredits(root) is string credits)
                {
                    problem = $"a '{type}' record with credits {credits}, not a price (read without them, so not counted in budgets)";
                }

                if (record is null)
                {
                    problem = $"a '{type}' record without the ids or fields it needs";
                    return LineKind.Unreadable;
                }

                return LineKind.Record;
            }
        }

        /// <summary>The types this version folds ('uploaded', written by 0.1.0 and read by nothing, counts as unknown).</summary>
        internal static bool IsKnownType(string type) =>
            type == CreateIntentRecord.TypeName || type == TaskCreatedRecord.TypeName || type == CreateOutcomeUnknownRecord.TypeName ||
            type == StatusRecord.TypeName || type == SavedFileRecord.TypeName || type == FailureRecord.TypeName ||
            type == CreateRefusedRecord.TypeName || type == CompactionRecord.TypeName || type == CreateSlotWaitRecord.TypeName;

        private static JournalRecord? Build(string type, DateTimeOffset time, JsonElement root)
        {
            string? intent = String(root, "intent");
            string? task = String(root, "task");
            switch (type)
            {
                case CreateIntentRecord.TypeName:
                    CreateTaskRequest? request = Request(root, Text(root, "name"));
                    return intent is null || request is null ? null
                        : new CreateIntentRecord(time, intent, Text(root, "name"), request, Credits(root, "credits") ?? 0m, Int(root, "pid") ?? 0, Text(root, "host"),
                            root.TryGetProperty("settles", out JsonElement settles) && settles.ValueKind == JsonValueKind.True, Attempt(root));
                case CreateSlotWaitRecord.TypeName:
                    return intent is null ? null
                        : new CreateSlotWaitRecord(time, intent, root.TryGetProperty("waiting", out JsonElement waiting) && waiting.ValueKind == JsonValueKind.True);
                case TaskCreatedRecord.TypeName:
                    return intent is null || task is null ? null : new TaskCreatedRecord(time, intent, task, Text(root, "name"));
                case CreateOutcomeUnknownRecord.TypeName:
                    CreateTaskRequest? sent = Request(root, Text(root, "name"));
                    return intent is null || sent is null ? null
                        : new CreateOutcomeUnknownRecord(time, intent, Text(root, "name"), sent, Text(root, "reason") ?? string.Empty);
                case StatusRecord.TypeName:
                    return task is null ? null : Status(time, task, root);
                case SavedFileRecord.TypeName:
                    string? path = String(root, "path");
                    return task is null || path is null ? null : new SavedFileRecord(time, task, path, Long(root, "bytes") ?? 0);
                case CreateRefusedRecord.TypeName:
                    return intent is null ? null : new CreateRefusedRecord(time, intent, Text(root, "code"), Text(root, "message") ?? string.Empty);
                case FailureRecord.TypeName when task is null && intent is not null: // 0.1.0's refusal (CreateRefusedRecord.FormerTypeName)
                    return new CreateRefusedRecord(time, intent, Text(root, "code"), Text(root, "message") ?? string.Empty);
                case FailureRecord.TypeName:
                    return task is null ? null : new FailureRecord(time, task, Text(root, "code"), Text(root, "message") ?? string.Empty);
                case CompactionRecord.TypeName:
                    return new CompactionRecord(time, String(root, "id") ?? string.Empty, Int(root, "removed") ?? 0);
                default:
                    return null;
            }
        }

        private static StatusRecord Status(DateTimeOffset time, string task, JsonElement root)
        {
            string? word = String(root, "status");
            string status = Json.TaskJsonReader.ParseStatus(word);
            List<SeedanceVideo> outputs = new List<SeedanceVideo>();
            if (root.TryGetProperty("outputs", out JsonElement items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in items.EnumerateArray())
                {
                    string? url = item.ValueKind == JsonValueKind.Object ? String(item, "url") : null;
                    if (url is not null)
                    {
                        outputs.Add(new SeedanceVideo(url, Int(item, "width"), Int(item, "height"), Text(item, "mediaType"))
                        {
                            Seed = Long(item, "seed"),
                            LastFrameImage = String(item, "lastFrame"),
                        });
                    }
                }
            }

            SeedanceTaskError? error = null;
            if (root.TryGetProperty("error", out JsonElement e) && e.ValueKind == JsonValueKind.Object)
            {
                error = new SeedanceTaskError(Text(e, "code"), Text(e, "message") ?? string.Empty);
            }

            DateTimeOffset? created = Time(root, "createdAt");
            return new StatusRecord(time, task, status, Text(root, "statusText"), Credits(root, "credits"), outputs, error, Text(root, "model"),
                created > time + MaxClockAhead ? null : created, Time(root, "completedAt"),
                root.TryGetProperty("chargeFinal", out JsonElement final) && final.ValueKind == JsonValueKind.True);
        }

        /// <summary>The request of an intent or outcomeUnknown record, as the client sends it; its Name is the record's when the request has none.</summary>
        private static CreateTaskRequest? Request(JsonElement root, string? recordName)
        {
            if (!root.TryGetProperty("request", out JsonElement r) || r.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            string? callback = String(r, "callback");
            return new CreateTaskRequest
            {
                Model = Text(r, "model") ?? Pricing.PriceTable.Default.DefaultModel,
                Prompt = Text(r, "prompt") ?? string.Empty,
                ImageUrls = Strings(r, "images"),
                VideoUrls = Strings(r, "videos"),
                AudioUrls = Strings(r, "audio"),
                Ratio = Text(r, "ratio") ?? "16:9",
                Duration = Int(r, "duration") ?? 5,
                Mode = Text(r, "mode"),
                CallbackUri = callback is not null && Uri.TryCreate(callback, UriKind.Absolute, out Uri? uri) ? uri : null,
                Name = Text(r, "name") ?? recordName,
                Batch = String(r, "batch"),
                AdditionalInputs = Inputs(r),
            };
        }

        private static Dictionary<string, object?> Inputs(JsonElement request)
        {
            Dictionary<string, object?> inputs = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (request.TryGetProperty("inputs", out JsonElement value) && value.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty input in value.EnumerateObject())
                {
                    inputs[input.Name] = Json.PlainJson.ToPlain(input.Value);
                }
            }

            return inputs;
        }

        /// <summary>
        /// A text field (a prompt, a Name, the service's words): control characters removed as from any text from outside
        /// (ServiceText.Clean), so a journal line cannot put terminal escapes into a message or an object. Ids, paths and
        /// URLs are read exactly (<see cref="String"/>): they must match what they name.
        /// </summary>
        private static string? Text(JsonElement obj, string name) => String(obj, name) is string text ? ServiceText.Clean(text) : null;

        private static string? String(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static string[] Strings(JsonElement obj, string name)
        {
            if (!obj.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Array)
            {
                return Array.Empty<string>();
            }

            List<string> values = new List<string>();
            foreach (JsonElement item in value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    values.Add(item.GetString()!);
                }
            }

            return values.ToArray();
        }

        /// <summary>A resubmission's link ("retryOf", "attempt" 2 or more); absent, or anything else, reads as a first create.</summary>
        private static JournalAttempt? Attempt(JsonElement root) =>
            String(root, "retryOf") is string retryOf && retryOf.Length > 0 && Int(root, "attempt") is int number && number >= 2
                ? new JournalAttempt(retryOf, number)
                : null;

        private static int? Int(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) ? number : null;

        private static long? Long(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number) ? number : null;

        /// <summary>Credits: a number from 0 to <see cref="MaxCredits"/>; anything else reads as absent.</summary>
        private static decimal? Credits(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out decimal number) &&
            number >= 0m && number <= MaxCredits ? number : null;

        /// <summary>The record's credits as written, when they are there and no price (negative, too large, not a number).</summary>
        private static string? OutOfRangeCredits(JsonElement root) =>
            root.TryGetProperty("credits", out JsonElement value) && Credits(root, "credits") is null && value.ValueKind != JsonValueKind.Null
                ? value.GetRawText()
                : null;

        private static DateTimeOffset? Time(JsonElement obj, string name)
        {
            string? text = String(obj, name);
            return text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time)
                ? time
                : null;
        }
    }
}
