using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using Seedance.Client.Json;
using Seedance.Client.Models;
using Seedance.Client.Uploads;

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
    /// character inside strings, so a prompt with newlines still makes exactly one line). Reading is lenient where a
    /// newer version may differ (unknown fields and types are ignored; an optional field of an unexpected kind reads as
    /// absent), strict only where a record would be meaningless (not JSON, no type, no time, no task or intent id):
    /// such a line is reported, never fatal.
    /// </summary>
    internal static class JournalLine
    {
        /// <summary>Credits above this are no price of this service (a 15 s video is a few hundred): refused, so no sum can overflow.</summary>
        public const decimal MaxCredits = 1_000_000_000_000m;

        /// <summary>How far ahead of the reader's clock a record may be dated (clocks of machines sharing a journal differ a little).</summary>
        public static readonly TimeSpan MaxClockAhead = TimeSpan.FromDays(1);

        // Prompts in any language stay readable in the file; the relaxed encoder still escapes quotes, backslashes and
        // control characters, which is all JSON Lines needs (the file is never embedded in HTML).
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public static byte[] ToLine(JournalRecord record)
        {
            using MemoryStream stream = new MemoryStream(256);
            using (Utf8JsonWriter w = new Utf8JsonWriter(stream, WriterOptions))
            {
                w.WriteStartObject();
                w.WriteNumber("v", JournalRecord.FormatVersion);
                w.WriteString("type", record.Type);
                w.WriteString("time", FormatTime(record.Time));
                Optional(w, "intent", record.IntentId);
                Optional(w, "task", record.TaskId);
                Optional(w, "name", record.Name);
                Optional(w, "credits", record.Credits);
                Optional(w, "pid", record.ProcessId);
                Optional(w, "host", record.Host);
                Flag(w, "settles", record.Settles);
                Optional(w, "retryOf", record.RetryOf);
                Optional(w, "attempt", record.Attempt);
                if (record.Waiting is bool waiting)
                {
                    w.WriteBoolean("waiting", waiting);
                }

                Optional(w, "reason", record.Reason);
                Optional(w, "status", record.TaskStatus?.ToLowerInvariant());
                Optional(w, "statusText", record.StatusText);
                Flag(w, "chargeFinal", record.ChargeFinal);
                WriteOutputs(w, record.Outputs);
                if (record.Error is not null)
                {
                    w.WriteStartObject("error");
                    Optional(w, "code", record.Error.Code);
                    w.WriteString("message", record.Error.Message);
                    w.WriteEndObject();
                }

                Optional(w, "model", record.Model);
                Optional(w, "createdAt", record.ServiceCreatedAt is DateTimeOffset created ? FormatTime(created) : null);
                Optional(w, "completedAt", record.CompletedAt is DateTimeOffset completed ? FormatTime(completed) : null);
                Optional(w, "path", record.Path);
                Optional(w, "bytes", record.Bytes);
                Optional(w, "code", record.Code);
                Optional(w, "message", record.Message);
                Optional(w, "id", record.CompactionId);
                Optional(w, "removed", record.Removed);
                if (record.Request is not null)
                {
                    WriteRequest(w, record.Request);
                    WriteFiles(w, record.Request.LocalFiles);
                }

                w.WriteEndObject();
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
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                problem = "not valid JSON (" + e.Message + ")";
                return JournalLineKind.Unreadable;
            }

            using (document)
            {
                JsonElement root = document.RootElement;
                string? type = root.ValueKind == JsonValueKind.Object ? String(root, "type") : null;
                if (type is null)
                {
                    problem = root.ValueKind == JsonValueKind.Object ? "no record type" : "not a JSON object";
                    return JournalLineKind.Unreadable;
                }

                string? intent = String(root, "intent");
                string? task = String(root, "task");
                bool? hasIds = type switch // the fields without which a record of the type means nothing; null: a type this version does not know
                {
                    JournalRecord.Intent or JournalRecord.OutcomeUnknown => intent is not null && root.TryGetProperty("request", out JsonElement r) && r.ValueKind == JsonValueKind.Object,
                    JournalRecord.SlotWait or JournalRecord.Refused => intent is not null,
                    JournalRecord.Created => intent is not null && task is not null,
                    JournalRecord.Status => task is not null,
                    JournalRecord.Saved => task is not null && String(root, "path") is not null,
                    JournalRecord.Failure => task is null && intent is not null ? true : null, // 0.1.0's refusal; its failure of a task was read by nothing
                    JournalRecord.Compacted => true,
                    _ => null,
                };
                if (hasIds is null)
                {
                    return JournalLineKind.UnknownType; // 'uploaded' (0.1.0's, read by nothing) among them
                }

                if (Time(root, "time") is not DateTimeOffset time)
                {
                    problem = $"a '{type}' record without a valid time";
                    return JournalLineKind.Unreadable;
                }

                if (now is DateTimeOffset reader && time > reader + MaxClockAhead)
                {
                    problem = $"a '{type}' record dated {FormatTime(time)}, in the future";
                    return JournalLineKind.Unreadable;
                }

                if (hasIds == false)
                {
                    problem = $"a '{type}' record without the ids or fields it needs";
                    return JournalLineKind.Unreadable;
                }

                if (root.TryGetProperty("credits", out JsonElement credits) && Credits(root) is null && credits.ValueKind != JsonValueKind.Null)
                {
                    problem = $"a '{type}' record with credits {credits.GetRawText()}, not a price (read without them, so not counted in budgets)";
                }

                DateTimeOffset? serviceCreated = Time(root, "createdAt");
                string? name = Text(root, "name");
                record = new JournalRecord(type == JournalRecord.Failure && task is null ? JournalRecord.Refused : type, time) // 0.1.0's refusal
                {
                    IntentId = intent,
                    TaskId = task,
                    Name = name,
                    Request = Request(root, name),
                    Credits = Credits(root),
                    ProcessId = Int(root, "pid"),
                    Host = Text(root, "host"),
                    Settles = Flag(root, "settles"),

                    // A resubmission's link: both fields, attempt 2 or more; anything else reads as a first create.
                    RetryOf = String(root, "retryOf") is string retryOf && retryOf.Length > 0 && Int(root, "attempt") >= 2 ? retryOf : null,
                    Attempt = String(root, "retryOf") is string linked && linked.Length > 0 && Int(root, "attempt") is int number && number >= 2 ? number : null,
                    Waiting = type == JournalRecord.SlotWait ? Flag(root, "waiting") : null,
                    Reason = Text(root, "reason"),
                    TaskStatus = type == JournalRecord.Status ? ServiceAnswerReader.ParseStatus(String(root, "status")) : null,
                    StatusText = Text(root, "statusText"),
                    ChargeFinal = Flag(root, "chargeFinal"),
                    Outputs = Outputs(root),
                    Error = root.TryGetProperty("error", out JsonElement e) && e.ValueKind == JsonValueKind.Object ? new SeedanceTaskError(Text(e, "code"), Text(e, "message") ?? string.Empty) : null,
                    Model = Text(root, "model"),
                    ServiceCreatedAt = serviceCreated > time + MaxClockAhead ? null : serviceCreated,
                    CompletedAt = Time(root, "completedAt"),
                    Path = String(root, "path"),
                    Bytes = Long(root, "bytes"),
                    Code = Text(root, "code"),
                    Message = Text(root, "message"),
                    CompactionId = String(root, "id"),
                    Removed = Int(root, "removed"),
                };
                return JournalLineKind.Record;
            }
        }

        /// <summary>The request as the client sends it (the body's values; the Name, never sent, beside them), in 0.1.0's field names.</summary>
        private static void WriteRequest(Utf8JsonWriter w, CreateTaskRequest request)
        {
            w.WriteStartObject("request");
            w.WriteString("model", request.Model);
            w.WriteString("prompt", request.Prompt);
            WriteArray(w, "images", request.ImageUrls);
            WriteArray(w, "videos", request.VideoUrls);
            WriteArray(w, "audio", request.AudioUrls);
            w.WriteString("ratio", request.Ratio);
            w.WriteNumber("duration", request.Duration);
            Optional(w, "mode", request.Mode);
            Optional(w, "callback", request.CallbackUri?.AbsoluteUri);
            Optional(w, "name", request.Name);
            Optional(w, "batch", request.Batch);
            if (request.AdditionalInputs.Count > 0)
            {
                // Sorted as the create body writes them; the values as the user gave them (plain JSON values).
                w.WriteStartObject("inputs");
                foreach (KeyValuePair<string, object?> input in request.SortedAdditionalInputs())
                {
                    w.WritePropertyName(input.Key);
                    PlainJson.Write(w, input.Value);
                }

                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        private static void WriteOutputs(Utf8JsonWriter w, IReadOnlyList<SeedanceVideo> outputs)
        {
            if (outputs.Count == 0)
            {
                return;
            }

            w.WriteStartArray("outputs");
            foreach (SeedanceVideo video in outputs)
            {
                w.WriteStartObject();
                w.WriteString("url", video.Url);
                Optional(w, "width", video.Width);
                Optional(w, "height", video.Height);
                Optional(w, "mediaType", video.MediaType);
                Optional(w, "seed", video.Seed);
                Optional(w, "lastFrame", video.LastFrameImage);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        private static void WriteArray(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
        {
            if (values.Count > 0)
            {
                w.WriteStartArray(name);
                foreach (string value in values)
                {
                    w.WriteStringValue(value);
                }

                w.WriteEndArray();
            }
        }

        private static void Optional(Utf8JsonWriter w, string name, string? value)
        {
            if (value is not null)
            {
                w.WriteString(name, value);
            }
        }

        private static void Optional(Utf8JsonWriter w, string name, decimal? value)
        {
            if (value is decimal number)
            {
                w.WriteNumber(name, number);
            }
        }

        private static void Optional(Utf8JsonWriter w, string name, long? value)
        {
            if (value is long number)
            {
                w.WriteNumber(name, number);
            }
        }

        private static void Flag(Utf8JsonWriter w, string name, bool value)
        {
            if (value)
            {
                w.WriteBoolean(name, true);
            }
        }

        private static List<SeedanceVideo> Outputs(JsonElement root)
        {
            List<SeedanceVideo> outputs = new List<SeedanceVideo>();
            if (root.TryGetProperty("outputs", out JsonElement items) && items.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in items.EnumerateArray())
                {
                    if ((item.ValueKind == JsonValueKind.Object ? String(item, "url") : null) is string url)
                    {
                        outputs.Add(new SeedanceVideo(url, Int(item, "width"), Int(item, "height"), Text(item, "mediaType"))
                        {
                            Seed = Long(item, "seed"),
                            LastFrameImage = String(item, "lastFrame"),
                        });
                    }
                }
            }

            return outputs;
        }

        /// <summary>The request of an intent or outcomeUnknown record, as the client sends it; its Name is the record's when the request has none.</summary>
        private static CreateTaskRequest? Request(JsonElement root, string? recordName)
        {
            if (!root.TryGetProperty("request", out JsonElement r) || r.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            Dictionary<string, object?> inputs = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (r.TryGetProperty("inputs", out JsonElement given) && given.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty input in given.EnumerateObject())
                {
                    inputs[input.Name] = PlainJson.ToPlain(input.Value);
                }
            }

            string? callback = String(r, "callback");
            CreateTaskRequest request = new CreateTaskRequest
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
                AdditionalInputs = inputs,
            };
            request.LocalFiles = Files(root, request);
            return request;
        }

        /// <summary>
        /// Beside the request: each material that came from a local file, with its path and content hash (the request
        /// holds the URL it was uploaded to, new on every run). Absent when there are none, as in 0.1.0's journals.
        /// </summary>
        private static void WriteFiles(Utf8JsonWriter w, IReadOnlyList<MaterialFile> files)
        {
            if (files.Count == 0)
            {
                return;
            }

            w.WriteStartArray("files");
            foreach (MaterialFile file in files)
            {
                w.WriteStartObject();
                w.WriteString("kind", file.Kind.ToString().ToLowerInvariant());
                w.WriteNumber("index", file.Index);
                w.WriteString("path", file.Path);
                w.WriteString("sha256", file.Sha256);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        /// <summary>
        /// A request's local files. An entry that is not a file of one of the request's materials (a kind, a position in
        /// range, a path, 64 hex digits) is left out: its material then compares by its URL, so a row is created again
        /// rather than refused on a damaged record.
        /// </summary>
        private static MaterialFile[] Files(JsonElement root, CreateTaskRequest request)
        {
            List<MaterialFile> files = new List<MaterialFile>();
            if (!root.TryGetProperty("files", out JsonElement value) || value.ValueKind != JsonValueKind.Array)
            {
                return files.ToArray();
            }

            foreach (JsonElement item in value.EnumerateArray())
            {
                MaterialKind? kind = item.ValueKind != JsonValueKind.Object ? null
                    : String(item, "kind") switch { "image" => MaterialKind.Image, "video" => MaterialKind.Video, "audio" => MaterialKind.Audio, _ => (MaterialKind?)null };
                int count = kind == MaterialKind.Image ? request.ImageUrls.Count : kind == MaterialKind.Video ? request.VideoUrls.Count : request.AudioUrls.Count;
                if (kind is MaterialKind known && Int(item, "index") is int index && index >= 0 && index < count &&
                    String(item, "path") is string path && path.Length > 0 && String(item, "sha256") is string sha256 && MaterialFile.IsSha256(sha256))
                {
                    files.Add(new MaterialFile(known, index, path, sha256));
                }
            }

            return files.ToArray();
        }

        /// <summary>
        /// A text field (a prompt, a Name, the service's words): control characters removed as from any text from outside
        /// (ServiceText.Clean), so a journal line cannot put terminal escapes into a message or an object. Ids, paths and
        /// URLs are read exactly (<see cref="String"/>): they must match what they name.
        /// </summary>
        private static string? Text(JsonElement obj, string name) => String(obj, name) is string text ? ServiceText.Clean(text) : null;

        private static string? String(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        private static bool Flag(JsonElement obj, string name) => obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.True;

        private static string[] Strings(JsonElement obj, string name)
        {
            List<string> values = new List<string>();
            if (obj.TryGetProperty(name, out JsonElement array) && array.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement item in array.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.String)
                    {
                        values.Add(item.GetString()!);
                    }
                }
            }

            return values.ToArray();
        }

        private static int? Int(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int number) ? number : null;

        private static long? Long(JsonElement obj, string name) =>
            obj.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number) ? number : null;

        /// <summary>Credits: a number from 0 to <see cref="MaxCredits"/>; anything else reads as absent.</summary>
        private static decimal? Credits(JsonElement obj) =>
            obj.TryGetProperty("credits", out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out decimal number) &&
            number >= 0m && number <= MaxCredits ? number : null;

        private static DateTimeOffset? Time(JsonElement obj, string name) =>
            String(obj, name) is string text &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time)
                ? time
                : null;
    }
}
