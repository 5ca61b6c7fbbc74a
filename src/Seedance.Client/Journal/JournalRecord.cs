using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using Seedance.Client.Json;
using Seedance.Client.Models;
using Seedance.Client.Uploads;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// One line of the journal: one event about one task (or one create attempt), and the line's own reader and writer.
    /// Records are never changed once written; the latest known state of a task is the fold of its records in file
    /// order (<see cref="JournalSnapshot"/>).
    /// </summary>
    /// <remarks>
    /// One shape for every type: each type sets the fields the table in README.md gives it, and a field means the same
    /// in every type that has it (<c>credits</c> is what a create reserved in an intent and what the service said it
    /// charged in a status, the one number the budget reads). Format version 1 (<c>"v":1</c>).
    /// The record holds the line's JSON values themselves (plain values, <see cref="PlainJson"/>), and each property
    /// below is one field, declared once under its name on disk: its setter writes it, its getter reads it back. So a
    /// line holds only declared fields (there is none for the API key), and reading is lenient where a newer version may
    /// differ: a field this version does not know is never read, and an optional field of an unexpected kind reads as
    /// absent. A change of meaning needs a new type name, never a reinterpreted field. Text fields (a prompt, a Name, the
    /// service's words) read back without control characters (ServiceText.Clean), so a journal line cannot put terminal
    /// escapes into a message; ids, paths and URLs read back exactly, since they must match what they name.
    /// A line is compact UTF-8 JSON and a final newline (the JSON writer escapes every control character inside strings,
    /// so a prompt with newlines still makes exactly one line). <see cref="Read"/> checks only what makes a line a record
    /// at all (JSON, a type, a time, the ids or fields its type needs): a line without them is reported, never fatal.
    /// 0.1.0 also wrote 'uploaded' records and 'failure' records of a task (read by nothing, now skipped like unknown
    /// types), and refusals as 'failure' with an intent id (read as <see cref="Refused"/>).
    /// </remarks>
    internal sealed class JournalRecord
    {
        public const int FormatVersion = 1;

        /// <summary>Credits above this are no price of this service (a 15 s video is a few hundred): refused, so no sum can overflow.</summary>
        public const decimal MaxCredits = 1_000_000_000_000m;

        /// <summary>How far ahead of the reader's clock a record may be dated (clocks of machines sharing a journal differ a little).</summary>
        public static readonly TimeSpan MaxClockAhead = TimeSpan.FromDays(1);

        // Prompts in any language stay readable in the file; the relaxed encoder still escapes quotes, backslashes and
        // control characters, which is all JSON Lines needs (the file is never embedded in HTML).
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        /// <summary>Before a create is sent, so a process killed during the request still leaves it on disk: intent, name, credits (reserved), pid, host, settles, request.</summary>
        public const string Intent = "intent";

        /// <summary>A create's slot wait: waiting true on a 429 (not taken, nothing billed), false just before it is sent again.</summary>
        public const string SlotWait = "slotWait";

        /// <summary>The service answered a create with a task id (or the user tied one to it: Register-SeedanceTask).</summary>
        public const string Created = "created";

        /// <summary>A create was sent and no answer came: it may exist and be billed. Repeats the request, so it stands alone.</summary>
        public const string OutcomeUnknown = "outcomeUnknown";

        /// <summary>A state of a task as the service reported it (Get or Wait).</summary>
        public const string Status = "status";

        /// <summary>A video of a task was saved complete under its final name.</summary>
        public const string Saved = "saved";

        /// <summary>The service certainly did not create the task (a 4xx, or no connection made): the reservation and the Name are released.</summary>
        public const string Refused = "refused";

        /// <summary>Never written: 0.1.0's refusals had this type with an intent and no task (read as <see cref="Refused"/>).</summary>
        public const string Failure = "failure";

        /// <summary>The first line of a compacted file: when compaction ran (so it runs at most once a day) and what it removed.</summary>
        public const string Compacted = "compacted";

        /// <summary>Each type this version reads, with the fields without which a record of it means nothing (ids and paths are text; a request is an object).</summary>
        private static readonly Dictionary<string, string[]> RequiredFields = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            [Intent] = new[] { "intent", "request" }, [OutcomeUnknown] = new[] { "intent", "request" }, [SlotWait] = new[] { "intent" },
            [Refused] = new[] { "intent" }, [Created] = new[] { "intent", "task" }, [Status] = new[] { "task" }, [Saved] = new[] { "task", "path" },
            [Compacted] = new string[0],
        };

        /// <summary>The line's fields by name, as plain JSON values, in the order written.</summary>
        private readonly Dictionary<string, object?> _fields;

        public JournalRecord(string type, DateTimeOffset time)
            : this(new Dictionary<string, object?>(StringComparer.Ordinal) { ["v"] = FormatVersion, ["type"] = type, ["time"] = FormatTime(time) }, type, time)
        {
        }

        private JournalRecord(Dictionary<string, object?> fields, string type, DateTimeOffset time)
        {
            _fields = fields;
            Type = type;
            Time = time;
        }

        public string Type { get; }

        /// <summary>When the event was recorded (UTC on disk, millisecond precision).</summary>
        public DateTimeOffset Time { get; }

        /// <summary>Ties a create's records together.</summary>
        public string? IntentId { get => Exact(_fields, "intent"); init => Set("intent", value); }

        /// <summary>The service's task id.</summary>
        public string? TaskId { get => Exact(_fields, "task"); init => Set("task", value); }

        public string? Name { get => Text(_fields, "name"); init => Set("name", value); }

        /// <summary>
        /// An intent's reservation against the daily limit, or the charge a status reported: a number from 0 to
        /// <see cref="MaxCredits"/>; anything else reads as absent (and the line is reported).
        /// </summary>
        public decimal? Credits
        {
            get => _fields.TryGetValue("credits", out object? value) && (value is long || value is decimal) && Convert.ToDecimal(value, CultureInfo.InvariantCulture) is decimal credits &&
                IsCharge(credits) ? credits : null;
            init => Set("credits", value);
        }

        /// <summary>The process ("pid") and machine that journaled an intent.</summary>
        public int? ProcessId { get => Int(_fields, "pid"); init => Set("pid", value); }
        public string? Host { get => Text(_fields, "host"); init => Set("host", value); }

        /// <summary>The model's charge changes after success: an intent's credits are then the documented maximum, counted until a status is <see cref="ChargeFinal"/>.</summary>
        public bool Settles { get => Flag(_fields, "settles"); init => Set("settles", value ? (object)true : null); }

        /// <summary>
        /// A resubmission's intent (Wait-SeedanceTask -RetryFailed): the failed task it sends again ("retryOf") and the
        /// row's attempt number it is ("attempt", 2 or more). Both, or neither: anything else reads as a first create,
        /// as every intent 0.1.0 wrote.
        /// </summary>
        public string? RetryOf { get => Attempt is null ? null : Exact(_fields, "retryOf"); init => Set("retryOf", value); }
        public int? Attempt { get => Exact(_fields, "retryOf") is { Length: > 0 } && Int(_fields, "attempt") is int number && number >= 2 ? number : null; init => Set("attempt", value); }

        /// <summary>A slot wait's word: true when the service answered 429.</summary>
        public bool? Waiting { get => Type == SlotWait ? Flag(_fields, "waiting") : null; init => Set("waiting", value); }

        /// <summary>Why an outcome is unknown.</summary>
        public string? Reason { get => Text(_fields, "reason"); init => Set("reason", value); }

        /// <summary>A status record's <see cref="SeedanceTaskStatus"/> value (lower case on disk), and the service's own word for it.</summary>
        public string? TaskStatus { get => Type == Status ? ServiceAnswerReader.ParseStatus(Exact(_fields, "status")) : null; init => Set("status", value?.ToLowerInvariant()); }
        public string? StatusText { get => Text(_fields, "statusText"); init => Set("statusText", value); }

        /// <summary>Wait read creditsUsed after success until it changed: <see cref="Credits"/> is the final charge.</summary>
        public bool ChargeFinal { get => Flag(_fields, "chargeFinal"); init => Set("chargeFinal", value ? (object)true : null); }

        public IReadOnlyList<SeedanceVideo> Outputs
        {
            get => Objects(_fields, "outputs").Where(output => Exact(output, "url") is not null)
                .Select(output => new SeedanceVideo(Exact(output, "url")!, Int(output, "width"), Int(output, "height"), Text(output, "mediaType"))
                {
                    Seed = Long(output, "seed"),
                    LastFrameImage = Exact(output, "lastFrame"),
                }).ToList();
            init => Set("outputs", value.Count == 0 ? null : value.Select(video => Plain(
                ("url", video.Url), ("width", video.Width), ("height", video.Height), ("mediaType", video.MediaType), ("seed", video.Seed), ("lastFrame", video.LastFrameImage))).ToArray());
        }

        public SeedanceTaskError? Error
        {
            get => _fields.TryGetValue("error", out object? value) && value is Dictionary<string, object?> error ? new SeedanceTaskError(Text(error, "code"), Text(error, "message") ?? string.Empty) : null;
            init => Set("error", value is null ? null : Plain(("code", value.Code), ("message", value.Message)));
        }

        public string? Model { get => Text(_fields, "model"); init => Set("model", value); }

        /// <summary>The service's createTime of a status (one dated past the record's own time, beyond clock skew, is ignored).</summary>
        public DateTimeOffset? ServiceCreatedAt
        {
            get => TimeOf(_fields, "createdAt") is DateTimeOffset created && created <= Time + MaxClockAhead ? created : null;
            init => Set("createdAt", value is DateTimeOffset created ? FormatTime(created) : null);
        }

        /// <summary>The service's completeTime of a status.</summary>
        public DateTimeOffset? CompletedAt { get => TimeOf(_fields, "completedAt"); init => Set("completedAt", value is DateTimeOffset completed ? FormatTime(completed) : null); }

        /// <summary>A saved file's full path and size.</summary>
        public string? Path { get => Exact(_fields, "path"); init => Set("path", value); }
        public long? Bytes { get => Long(_fields, "bytes"); init => Set("bytes", value); }

        /// <summary>A refusal's code (an ErrorId, or the service's code) and message (already masked).</summary>
        public string? Code { get => Text(_fields, "code"); init => Set("code", value); }
        public string? Message { get => Text(_fields, "message"); init => Set("message", value); }

        /// <summary>A compaction's unique id ("id") and how many records it removed.</summary>
        public string? CompactionId { get => Exact(_fields, "id"); init => Set("id", value); }
        public int? Removed { get => Int(_fields, "removed"); init => Set("removed", value); }

        /// <summary>
        /// The request of an intent or outcomeUnknown record as the client sends it (the body's values; the Name and
        /// batch, never sent, beside them), in 0.1.0's field names; its Name is the record's when the request has none.
        /// Beside it, "files": each material that came from a local file, with its path and content hash (the request
        /// holds the URL it was uploaded to, new on every run); absent when there are none, as in 0.1.0's journals.
        /// </summary>
        public CreateTaskRequest? Request
        {
            get
            {
                if (!_fields.TryGetValue("request", out object? value) || !(value is Dictionary<string, object?> r))
                {
                    return null;
                }

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
                    CallbackUri = Exact(r, "callback") is string callback && Uri.TryCreate(callback, UriKind.Absolute, out Uri? uri) ? uri : null,
                    Name = Text(r, "name") ?? Name,
                    Batch = Exact(r, "batch"),
                    AdditionalInputs = r.TryGetValue("inputs", out object? inputs) && inputs is Dictionary<string, object?> given
                        ? new Dictionary<string, object?>(given, StringComparer.Ordinal)
                        : new Dictionary<string, object?>(StringComparer.Ordinal),
                };
                request.LocalFiles = Files(request);
                return request;
            }

            init
            {
                Set("request", value is null ? null : Plain(
                    ("model", value.Model), ("prompt", value.Prompt), ("images", List(value.ImageUrls)), ("videos", List(value.VideoUrls)), ("audio", List(value.AudioUrls)),
                    ("ratio", value.Ratio), ("duration", value.Duration), ("mode", value.Mode), ("callback", value.CallbackUri?.AbsoluteUri), ("name", value.Name), ("batch", value.Batch),
                    // Sorted as the create body writes them; the values as the user gave them (plain JSON values).
                    ("inputs", value.AdditionalInputs.Count == 0 ? null : value.SortedAdditionalInputs().ToDictionary(input => input.Key, input => input.Value, StringComparer.Ordinal))));
                Set("files", value is null || value.LocalFiles.Count == 0 ? null : value.LocalFiles.Select(file => Plain(
                    ("kind", file.Kind.ToString().ToLowerInvariant()), ("index", file.Index), ("path", file.Path), ("sha256", file.Sha256))).ToArray());
            }
        }

        /// <summary>
        /// Whether <paramref name="credits"/> can be a charge: 0 to <see cref="MaxCredits"/>. The one rule for a charge the
        /// service reports (ServiceAnswerReader) and one read back from the journal, so the journal never writes what it
        /// would refuse to read.
        /// </summary>
        public static bool IsCharge(decimal credits) => credits >= 0m && credits <= MaxCredits;

        internal static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

        /// <summary>The record as one line: compact JSON and its newline.</summary>
        public byte[] ToLine()
        {
            using MemoryStream stream = new MemoryStream(256);
            using (Utf8JsonWriter writer = new Utf8JsonWriter(stream, WriterOptions))
            {
                PlainJson.Write(writer, _fields);
            }

            stream.WriteByte((byte)'\n');
            return stream.ToArray();
        }

        /// <summary>
        /// Reads one line: the record, or null. Null with a <paramref name="problem"/> is a line that is no record (a torn
        /// write, damage), reported to the caller; null without one is a valid line of a type this version does not know
        /// (a newer version's, or 0.1.0's 'uploaded'), skipped silently. A record dated more than
        /// <see cref="MaxClockAhead"/> after <paramref name="now"/> is no record (it would hold a budget or a Name
        /// forever); one whose credits are no price is read without them (ignored for budgets) and still reported.
        /// </summary>
        public static JournalRecord? Read(ReadOnlyMemory<byte> line, DateTimeOffset? now, out string? problem)
        {
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
                return null;
            }

            if (!(plain is Dictionary<string, object?> fields) || !(Exact(fields, "type") is string type))
            {
                problem = plain is Dictionary<string, object?> ? "no record type" : "not a JSON object";
                return null;
            }

            if (type == Failure && Exact(fields, "task") is null && Exact(fields, "intent") is not null)
            {
                type = Refused; // 0.1.0's refusal; its failure of a task was read by nothing
            }

            if (!RequiredFields.TryGetValue(type, out string[]? required))
            {
                return null; // 'uploaded' and the failure of a task (0.1.0's, read by nothing) among them
            }

            if (TimeOf(fields, "time") is not DateTimeOffset time)
            {
                problem = $"a '{type}' record without a valid time";
                return null;
            }

            if (now is DateTimeOffset reader && time > reader + MaxClockAhead)
            {
                problem = $"a '{type}' record dated {FormatTime(time)}, in the future";
                return null;
            }

            if (!required.All(name => fields.TryGetValue(name, out object? value) && (name == "request" ? value is Dictionary<string, object?> : value is string)))
            {
                problem = $"a '{type}' record without the ids or fields it needs";
                return null;
            }

            JournalRecord read = new JournalRecord(fields, type, time);
            if (read.Credits is null && fields.TryGetValue("credits", out object? credits) && credits is not null)
            {
                problem = $"a '{type}' record with credits {PlainJson.ToText(credits)}, not a price (read without them, so not counted in budgets)";
            }

            return read;
        }

        /// <summary>
        /// A request's local files. An entry that is not a file of one of the request's materials (a kind, a position in
        /// range, a path, 64 hex digits) is left out: its material then compares by its URL, so a row is created again
        /// rather than refused on a damaged record.
        /// </summary>
        private MaterialFile[] Files(CreateTaskRequest request)
        {
            List<MaterialFile> files = new List<MaterialFile>();
            foreach (Dictionary<string, object?> item in Objects(_fields, "files"))
            {
                MaterialKind? kind = Exact(item, "kind") switch { "image" => MaterialKind.Image, "video" => MaterialKind.Video, "audio" => MaterialKind.Audio, _ => (MaterialKind?)null };
                int count = kind == MaterialKind.Image ? request.ImageUrls.Count : kind == MaterialKind.Video ? request.VideoUrls.Count : request.AudioUrls.Count;
                if (kind is MaterialKind known && Int(item, "index") is int index && index >= 0 && index < count &&
                    Exact(item, "path") is { Length: > 0 } path && Exact(item, "sha256") is string sha256 && MaterialFile.IsSha256(sha256))
                {
                    files.Add(new MaterialFile(known, index, path, sha256));
                }
            }

            return files.ToArray();
        }

        private void Set(string name, object? value)
        {
            if (value is null)
            {
                _fields.Remove(name);
            }
            else
            {
                _fields[name] = value;
            }
        }

        /// <summary>An object of the fields that have a value, in the order given.</summary>
        private static Dictionary<string, object?> Plain(params (string Name, object? Value)[] fields)
        {
            Dictionary<string, object?> plain = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach ((string name, object? value) in fields)
            {
                if (value is not null)
                {
                    plain[name] = value;
                }
            }

            return plain;
        }

        private static object[]? List(IReadOnlyList<string> values) => values.Count == 0 ? null : values.ToArray<object>();

        private static string? Exact(IReadOnlyDictionary<string, object?> fields, string name) =>
            fields.TryGetValue(name, out object? value) ? value as string : null;

        private static string? Text(IReadOnlyDictionary<string, object?> fields, string name) =>
            Exact(fields, name) is string text ? ServiceText.Clean(text) : null;

        private static bool Flag(IReadOnlyDictionary<string, object?> fields, string name) => fields.TryGetValue(name, out object? value) && value is true;

        private static long? Long(IReadOnlyDictionary<string, object?> fields, string name) => fields.TryGetValue(name, out object? value) && value is long number ? number : null;

        private static int? Int(IReadOnlyDictionary<string, object?> fields, string name) =>
            Long(fields, name) is long number && number >= int.MinValue && number <= int.MaxValue ? (int)number : null;

        private static DateTimeOffset? TimeOf(IReadOnlyDictionary<string, object?> fields, string name) =>
            Exact(fields, name) is string text &&
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset time)
                ? time
                : null;

        private static string[] Strings(IReadOnlyDictionary<string, object?> fields, string name) =>
            fields.TryGetValue(name, out object? value) && value is object?[] items ? items.OfType<string>().ToArray() : Array.Empty<string>();

        private static IEnumerable<Dictionary<string, object?>> Objects(IReadOnlyDictionary<string, object?> fields, string name) =>
            fields.TryGetValue(name, out object? value) && value is object?[] items ? items.OfType<Dictionary<string, object?>>() : Enumerable.Empty<Dictionary<string, object?>>();
    }
}
