using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http.Headers;
using System.Text.Json;
using Seedance.Client.Files;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Uploads;

namespace Seedance.Client.Json
{
    /// <summary>
    /// The one gate for everything the service sends: status (recordInfo), create, upload (POST /uploads) and webhook
    /// answers all pass here before any of it reaches an object, a message, the journal or another request. It holds
    /// each answer to a size cap, removes terminal control characters from every string, masks the key in all text,
    /// and checks every URL field as it arrives (see <see cref="CheckUrl"/>): a URL the module would later fetch,
    /// PUT to, pass on to a create or hand to a script must be an absolute http(s) URL, without user info, and without
    /// the key. A URL field that is not is an UnsafeServiceUrl <see cref="SeedanceException"/> for that item (the task, the
    /// upload), naming the field: nothing is sent to it and nothing of it is journaled.
    /// </summary>
    public sealed class ServiceAnswerReader
    {
        /// <summary>The largest answer read, in characters (the API client also caps the bytes on the wire at the same number).</summary>
        public const long DefaultMaxChars = 4L * 1024 * 1024;

        private const int ShownUrlLength = 200;

        private readonly ApiKey? _key;
        private readonly long _maxChars;

        /// <param name="key">The key to mask and to refuse in URLs; null where none is configured (a webhook handler without a key).</param>
        /// <param name="maxChars">The size cap, in characters.</param>
        public ServiceAnswerReader(ApiKey? key, long maxChars = DefaultMaxChars)
        {
            _key = key;
            _maxChars = maxChars;
        }

        /// <summary>A task (recordInfo answer or webhook body; flat or in an envelope), its URL fields checked.</summary>
        /// <param name="answer">Which answer this is, for messages: "recordInfo", "webhook".</param>
        public SeedanceTask ReadTask(string body, string answer)
        {
            string clean = Clean(body, answer);
            SeedanceTask task = ParseTask(clean);
            for (int i = 0; i < task.Videos.Count; i++)
            {
                SeedanceVideo video = task.Videos[i];
                CheckUrl(video.Url, $"output[{i}].url", answer);
                if (!string.IsNullOrEmpty(video.LastFrameImage))
                {
                    CheckUrl(video.LastFrameImage, $"output[{i}].lastFrameImage", answer);
                }
            }

            // Read again only when the key is somewhere in the answer (then in text, never in a URL: refused above).
            return HasKey(clean) ? ParseTask(Mask(clean)) : task;
        }

        /// <summary>
        /// A task a webhook body describes. Anyone may POST one, so its id passes the gate of a create's answer
        /// (<see cref="CheckedId"/>) before it is shown, journaled or asked about: unlike a read, no request names it.
        /// </summary>
        public SeedanceTask ReadWebhookTask(string body)
        {
            SeedanceTask task = ReadTask(body, "webhook");
            CheckedId(task.TaskId, "webhook body");
            return task;
        }

        /// <summary>The task id of a createTask answer.</summary>
        public string ReadCreatedTaskId(string body)
        {
            using JsonDocument document = ParseDocument(Mask(Clean(body, "createTask")));
            return CheckedId(new JsonFields(Unwrapped(document.RootElement)).Scalar("taskId"), "createTask answer");
        }

        /// <summary>
        /// The upload slot of a POST /uploads answer: both URLs checked like a task's (the bytes are PUT to one, the
        /// other goes into the create body and the journal), the Content-Type a valid media type.
        /// </summary>
        public UploadSlot ReadUploadSlot(string body)
        {
            const string answer = "uploads";
            string clean = Clean(body, answer);
            using JsonDocument document = ParseDocument(clean, "The upload endpoint");
            JsonFields slot = new JsonFields(document.RootElement);
            if (!slot.IsObject)
            {
                throw Problems.InvalidResponse("The upload endpoint answered with JSON that is not an object.");
            }

            Uri uploadUrl = CheckUrl(slot.Scalar("uploadUrl"), "uploadUrl", answer);
            Uri url = CheckUrl(slot.Scalar("url"), "url", answer);
            string? contentType = slot.Scalar("contentType");
            if (string.IsNullOrWhiteSpace(contentType))
            {
                contentType = null;
            }
            else if (!MediaTypeHeaderValue.TryParse(contentType, out _))
            {
                throw Problems.InvalidResponse($"The upload endpoint gave a contentType that is not a media type: '{Excerpt(Mask(contentType!))}'.");
            }

            return new UploadSlot(uploadUrl, url, contentType);
        }

        /// <summary>
        /// A URL field of an answer, as it arrived (before masking: a URL that held the key must be refused, not
        /// rewritten): an absolute http(s) URL with a host, no user info, not containing the key in any encoding.
        /// Otherwise an UnsafeServiceUrl <see cref="SeedanceException"/> naming <paramref name="field"/>; its message shows the
        /// value only when it holds no key, without user info, cleaned and cut short.
        /// </summary>
        public Uri CheckUrl(string? value, string field, string answer)
        {
            if (string.IsNullOrEmpty(value))
            {
                throw Problems.UnsafeServiceUrl(answer, field, "is missing", null);
            }

            if (HasKey(value))
            {
                throw Problems.UnsafeServiceUrl(answer, field, "contains the API key (the key goes to the API host only; nothing was sent there)", null);
            }

            string shown = Excerpt(Validation.UrlChecks.Displayable(ServiceText.Clean(value)));
            if (!Validation.UrlChecks.IsWebUrl(value, out Uri? uri))
            {
                throw Problems.UnsafeServiceUrl(answer, field, "is not an absolute http(s) URL (a value from the service is never read as a local file)", shown);
            }

            if (Validation.UrlChecks.HasCredentials(uri!))
            {
                throw Problems.UnsafeServiceUrl(answer, field, "carries user info (user@ or user:password@)", shown);
            }

            return uri!;
        }

        /// <summary>Capped, then every string stripped of control characters (JSON structure and numbers kept).</summary>
        private string Clean(string body, string answer)
        {
            if (body.Length > _maxChars)
            {
                throw Problems.ResponseTooLarge(answer, _maxChars, $"{body.Length:N0} characters");
            }

            return ServiceText.CleanJson(body);
        }

        private bool HasKey(string? text) => _key is not null && _key.IsIn(text);

        private string Mask(string text) => _key is null ? text : _key.Redact(text);

        private static string Excerpt(string value) => value.Length <= ShownUrlLength ? value : value.Substring(0, ShownUrlLength) + "…";

        private static readonly HashSet<string> KnownFields = new HashSet<string>(StringComparer.Ordinal)
        {
            "taskId", "model", "status", "state", "creditsUsed", "output", "error",
            "createTime", "completeTime", "updateTime",
        };

        private static readonly HashSet<string> KnownVideoFields = new HashSet<string>(StringComparer.Ordinal) { "url", "width", "height", "mediaType", "seed", "lastFrameImage" };

        private static readonly HashSet<string> KnownVideoFieldsButSeed = new HashSet<string>(KnownVideoFields.Where(field => field != "seed"), StringComparer.Ordinal);

        /// <summary>
        /// Reads a task leniently. The sources disagree on shapes (status vs state, error as string or object, numbers
        /// as strings, a webhook envelope), so nothing here throws for a field that is odd or missing: only a body that is
        /// not a JSON object, or has no task id, is rejected.
        /// </summary>
        private static SeedanceTask ParseTask(string json)
        {
            using JsonDocument document = ParseDocument(json);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Problems.InvalidResponse($"Expected a JSON object for a task, got {root.ValueKind}.");
            }

            root = Unwrapped(root);
            JsonFields task = new JsonFields(root);
            // Not CheckedId: a read's id must be the one asked (TaskIdMismatch), which may be the user's own odd id;
            // Save refuses those that cannot be file names (InvalidTaskId).
            string? taskId = task.Scalar("taskId");
            if (string.IsNullOrEmpty(taskId))
            {
                throw Problems.InvalidResponse("The task object has no taskId.");
            }

            string? statusText = task.Scalar("status") ?? task.Scalar("state");
            return new SeedanceTask(taskId!)
            {
                StatusText = statusText,
                Status = ParseStatus(statusText),
                Model = task.Scalar("model"),
                // A negative or absurd charge is no charge we know (and the journal would refuse to read it back).
                CreditsUsed = task.LooseNumber("creditsUsed") is decimal credits && JournalRecord.IsCharge(credits) ? credits : null,
                Videos = ReadVideos(root),
                Error = ReadError(root),
                CreatedAt = ReadEpochMilliseconds(task, "createTime"),
                CompletedAt = ReadEpochMilliseconds(task, "completeTime"),
                UpdatedAt = ReadEpochMilliseconds(task, "updateTime"),
                AdditionalFields = ReadAdditionalFields(root, KnownFields),
            };
        }

        /// <summary>
        /// The id of a task the service has just created, before it is journaled, shown or used: not blank, no longer
        /// than a file name, no control or invisible characters (which would reach the terminal and make one id look
        /// like another). Other characters are the service's own id space: Save refuses those that cannot be a file
        /// name (InvalidTaskId).
        /// </summary>
        private static string CheckedId(string? taskId, string where)
        {
            if (string.IsNullOrEmpty(taskId))
            {
                throw Problems.InvalidResponse($"The {where} has no taskId.");
            }

            string? problem = TaskFileName.IdProblem(taskId);
            if (problem is not null)
            {
                throw Problems.InvalidResponse($"The {where} has a taskId that is no id: {problem}.");
            }

            return taskId!;
        }

        /// <summary>The object itself, or the one inside a {code, message, data} envelope (webhook and some create answers).</summary>
        private static JsonElement Unwrapped(JsonElement root)
        {
            JsonFields fields = new JsonFields(root);
            return !fields.Has("taskId") && fields.TryGet("data", out JsonElement data) && data.ValueKind == JsonValueKind.Object ? data : root;
        }

        /// <summary>The words sources use for each status (lower case); any other is <see cref="SeedanceTaskStatus.Unknown"/>.</summary>
        private static readonly Dictionary<string, string> StatusWords = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["waiting"] = SeedanceTaskStatus.Waiting, ["queued"] = SeedanceTaskStatus.Waiting, ["pending"] = SeedanceTaskStatus.Waiting,
            ["generating"] = SeedanceTaskStatus.Generating, ["processing"] = SeedanceTaskStatus.Generating, ["running"] = SeedanceTaskStatus.Generating,
            ["success"] = SeedanceTaskStatus.Success, ["succeeded"] = SeedanceTaskStatus.Success, ["completed"] = SeedanceTaskStatus.Success,
            ["fail"] = SeedanceTaskStatus.Fail, ["failed"] = SeedanceTaskStatus.Fail, ["error"] = SeedanceTaskStatus.Fail,
        };

        public static string ParseStatus(string? text) =>
            text is not null && StatusWords.TryGetValue(text.Trim().ToLowerInvariant(), out string? status) ? status : SeedanceTaskStatus.Unknown;

        /// <summary>The deepest nesting read (System.Text.Json's default); no answer of the service comes near it.</summary>
        public const int MaxDepth = 64;

        /// <summary>What text nested past <see cref="MaxDepth"/> is called: JSON, but not one that is read.</summary>
        internal static readonly string TooDeep = $"JSON nested more than {MaxDepth} levels deep, deeper than any answer is read";

        /// <summary>The one parse of an answer's text (reads, creates, uploads, webhooks), which names what is wrong with it.</summary>
        internal static JsonDocument ParseDocument(string json, string who = "The service")
        {
            try
            {
                return PlainJson.Parse(json);
            }
            catch (JsonException e)
            {
                throw Problems.InvalidResponse($"{who} answered with {(IsTooDeep(json) ? TooDeep : "text that is not valid JSON")}.", e);
            }
        }

        /// <summary>
        /// Whether text that did not pass <see cref="PlainJson.Parse(string, JsonDocumentOptions)"/> is JSON after all, only
        /// nested past <see cref="MaxDepth"/> (not refused for what its strings hold: that fails at any depth).
        /// </summary>
        internal static bool IsTooDeep(string json) => !Parses(json, default) && Parses(json, new JsonDocumentOptions { MaxDepth = int.MaxValue });

        /// <summary>Whether <paramref name="json"/> passes <see cref="PlainJson.Parse(string, JsonDocumentOptions)"/>.</summary>
        internal static bool Parses(string json, JsonDocumentOptions options = default)
        {
            try
            {
                // Parsing is iterative: a deeper limit costs memory in proportion to the (capped) text, never stack.
                using (PlainJson.Parse(json, options))
                {
                    return true;
                }
            }
            catch (JsonException)
            {
                return false;
            }
        }

        /// <summary>
        /// The output items: url, size, media type, seed, last frame, and whatever else each carries. Some sources give a
        /// bare URL string per item rather than an object; an item without a URL is no video.
        /// </summary>
        private static IReadOnlyList<SeedanceVideo> ReadVideos(JsonElement root)
        {
            List<SeedanceVideo> videos = new List<SeedanceVideo>();
            if (!root.TryGetProperty("output", out JsonElement output) || output.ValueKind != JsonValueKind.Array)
            {
                return videos;
            }

            foreach (JsonElement item in output.EnumerateArray())
            {
                JsonFields fields = new JsonFields(item);
                string? url = item.ValueKind == JsonValueKind.String ? item.GetString() : fields.Scalar("url");
                if (string.IsNullOrEmpty(url))
                {
                    continue;
                }

                // A seed is a whole number; one that is not (or is too large) stays, as sent, among the extra fields.
                bool hasSeed = long.TryParse(fields.Scalar("seed"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long seed);
                AdditionalFieldCollection extra = ReadAdditionalFields(item, hasSeed ? KnownVideoFields : KnownVideoFieldsButSeed);
                videos.Add(new SeedanceVideo(url!, PixelSize(fields, "width"), PixelSize(fields, "height"), fields.Scalar("mediaType"))
                {
                    LastFrameImage = fields.Scalar("lastFrameImage"),
                    Seed = hasSeed ? seed : null,
                    AdditionalFields = extra.Count == 0 ? null : extra,
                });
            }

            return videos;
        }

        /// <summary>The error as a bare string, or an object {code, message (or msg)}; any other value as its JSON text.</summary>
        private static SeedanceTaskError? ReadError(JsonElement root)
        {
            if (!root.TryGetProperty("error", out JsonElement error) || error.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (error.ValueKind == JsonValueKind.String)
            {
                string text = error.GetString() ?? string.Empty;
                return text.Length == 0 ? null : new SeedanceTaskError(null, text);
            }

            JsonFields fields = new JsonFields(error);
            return new SeedanceTaskError(fields.Scalar("code"), fields.Scalar("message") ?? fields.Scalar("msg") ?? error.GetRawText());
        }

        /// <summary>The fields not in <paramref name="known"/>, as plain values (text, numbers, lists...), not JSON text.</summary>
        private static AdditionalFieldCollection ReadAdditionalFields(JsonElement obj, HashSet<string> known)
        {
            Dictionary<string, object?> extra = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (obj.ValueKind != JsonValueKind.Object)
            {
                return new AdditionalFieldCollection(extra);
            }

            foreach (JsonProperty property in obj.EnumerateObject())
            {
                if (!known.Contains(property.Name))
                {
                    extra[property.Name] = PlainJson.ToPlain(property.Value);
                }
            }

            return new AdditionalFieldCollection(extra);
        }

        /// <summary>A pixel size: a whole number from 0 to int.MaxValue, else null (a width of 1e11 is no width, and no crash).</summary>
        private static int? PixelSize(JsonFields item, string name)
        {
            decimal? value = item.LooseNumber(name);
            if (value is null)
            {
                return null;
            }

            decimal rounded = Math.Round(value.Value);
            return rounded >= 0 && rounded <= int.MaxValue ? (int?)rounded : null;
        }

        /// <summary>The latest instant DateTimeOffset can hold (9999-12-31), in Unix milliseconds.</summary>
        private const long MaxUnixMilliseconds = 253_402_300_799_999L;

        /// <summary>
        /// Epoch milliseconds (or seconds, below 1e10) as a time; null when missing, not positive, or past year 9999
        /// (9e18 ms or 1e300 from a broken server is no time, and must not throw in the middle of a batch).
        /// </summary>
        private static DateTimeOffset? ReadEpochMilliseconds(JsonFields task, string name)
        {
            decimal? value = task.LooseNumber(name);
            if (value is null || value <= 0 || value > MaxUnixMilliseconds)
            {
                return null;
            }

            // The service writes milliseconds; a value that small can only be seconds (before 1970-04 in ms).
            long number = (long)value.Value;
            return number < 10_000_000_000L
                ? DateTimeOffset.FromUnixTimeSeconds(number)
                : DateTimeOffset.FromUnixTimeMilliseconds(number);
        }
    }
}
