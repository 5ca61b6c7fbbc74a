using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using Seedance.Client.Models;

namespace Seedance.Client.Json
{
    /// <summary>
    /// Reads a task object leniently. The sources disagree on shapes (status vs state, error as string or object,
    /// numbers as strings, a webhook envelope), so nothing here throws for a field that is odd or missing:
    /// only a body that is not a JSON object, or has no task id, is rejected.
    /// </summary>
    public static class TaskJsonReader
    {
        private static readonly HashSet<string> KnownFields = new HashSet<string>(StringComparer.Ordinal)
        {
            "taskId", "model", "status", "state", "creditsUsed", "output", "error",
            "createTime", "completeTime", "updateTime",
        };

        private static readonly string[] KnownVideoFields = { "url", "width", "height", "mediaType", "seed", "lastFrameImage" };

        public static SeedanceTask Parse(string json)
        {
            using JsonDocument document = ParseDocument(json);
            return Parse(document.RootElement);
        }

        /// <summary>Reads a flat task, or the task inside a {code, message, data} envelope (webhook shape).</summary>
        public static SeedanceTask Parse(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new SeedanceProtocolException($"Expected a JSON object for a task, got {root.ValueKind}.");
            }

            if (!root.TryGetProperty("taskId", out _) &&
                root.TryGetProperty("data", out JsonElement data) && data.ValueKind == JsonValueKind.Object)
            {
                root = data;
            }

            string? taskId = ReadString(root, "taskId");
            if (string.IsNullOrEmpty(taskId))
            {
                throw new SeedanceProtocolException("The task object has no taskId.");
            }

            string? statusText = ReadString(root, "status") ?? ReadString(root, "state");
            return new SeedanceTask(taskId!)
            {
                StatusText = statusText,
                Status = ParseStatus(statusText),
                Model = ReadString(root, "model"),
                CreditsUsed = ReadDecimal(root, "creditsUsed"),
                Videos = ReadVideos(root),
                Error = ReadError(root),
                CreatedAt = ReadEpochMilliseconds(root, "createTime"),
                CompletedAt = ReadEpochMilliseconds(root, "completeTime"),
                UpdatedAt = ReadEpochMilliseconds(root, "updateTime"),
                AdditionalFields = ReadAdditionalFields(root),
            };
        }

        /// <summary>Reads the task id from a createTask answer ({"taskId": "..."}, possibly inside "data").</summary>
        public static string ParseCreatedTaskId(string json)
        {
            using JsonDocument document = ParseDocument(json);
            JsonElement root = document.RootElement;
            string? taskId = root.ValueKind == JsonValueKind.Object ? ReadString(root, "taskId") : null;
            if (taskId is null && root.ValueKind == JsonValueKind.Object &&
                root.TryGetProperty("data", out JsonElement data) && data.ValueKind == JsonValueKind.Object)
            {
                taskId = ReadString(data, "taskId");
            }

            if (string.IsNullOrEmpty(taskId))
            {
                throw new SeedanceProtocolException("The createTask answer has no taskId.");
            }

            return taskId!;
        }

        public static string ParseStatus(string? text)
        {
            switch (text?.Trim().ToLowerInvariant())
            {
                case "waiting":
                case "queued":
                case "pending":
                    return SeedanceTaskStatus.Waiting;
                case "generating":
                case "processing":
                case "running":
                    return SeedanceTaskStatus.Generating;
                case "success":
                case "succeeded":
                case "completed":
                    return SeedanceTaskStatus.Success;
                case "fail":
                case "failed":
                case "error":
                    return SeedanceTaskStatus.Fail;
                default:
                    return SeedanceTaskStatus.Unknown;
            }
        }

        private static JsonDocument ParseDocument(string json)
        {
            try
            {
                return JsonDocument.Parse(json);
            }
            catch (JsonException e)
            {
                throw new SeedanceProtocolException("The service answered with text that is not valid JSON.", e);
            }
        }

        private static IReadOnlyList<SeedanceVideo> ReadVideos(JsonElement root)
        {
            if (!root.TryGetProperty("output", out JsonElement output) || output.ValueKind != JsonValueKind.Array)
            {
                return Array.Empty<SeedanceVideo>();
            }

            List<SeedanceVideo> videos = new List<SeedanceVideo>();
            foreach (JsonElement item in output.EnumerateArray())
            {
                // Some sources give a bare URL string per item rather than an object.
                string? url = item.ValueKind == JsonValueKind.String ? item.GetString()
                    : item.ValueKind == JsonValueKind.Object ? ReadString(item, "url") : null;
                if (string.IsNullOrEmpty(url))
                {
                    continue;
                }

                videos.Add(item.ValueKind == JsonValueKind.Object ? ReadVideo(item, url!) : new SeedanceVideo(url!, null, null, null));
            }

            return videos;
        }

        /// <summary>An output item: url, size, media type, seed, last frame, and whatever else it carries.</summary>
        private static SeedanceVideo ReadVideo(JsonElement item, string url)
        {
            SeedanceVideo video = new SeedanceVideo(url, ReadInt(item, "width"), ReadInt(item, "height"), ReadString(item, "mediaType"))
            {
                LastFrameImage = ReadString(item, "lastFrameImage"),
            };

            // A seed is a whole number; one that is not (or is too large) stays, as sent, among the extra fields.
            HashSet<string> known = new HashSet<string>(KnownVideoFields, StringComparer.Ordinal);
            if (long.TryParse(ReadString(item, "seed"), NumberStyles.Integer, CultureInfo.InvariantCulture, out long seed))
            {
                video.Seed = seed;
            }
            else
            {
                known.Remove("seed");
            }

            Dictionary<string, object?> extra = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (JsonProperty property in item.EnumerateObject())
            {
                if (!known.Contains(property.Name))
                {
                    extra[property.Name] = PlainJson.ToPlain(property.Value);
                }
            }

            video.AdditionalFields = extra.Count == 0 ? null : new AdditionalFieldCollection(extra);
            return video;
        }

        private static SeedanceTaskError? ReadError(JsonElement root)
        {
            if (!root.TryGetProperty("error", out JsonElement error))
            {
                return null;
            }

            switch (error.ValueKind)
            {
                case JsonValueKind.String:
                    string text = error.GetString() ?? string.Empty;
                    return text.Length == 0 ? null : new SeedanceTaskError(null, text);
                case JsonValueKind.Object:
                    string? code = ReadString(error, "code");
                    string message = ReadString(error, "message") ?? ReadString(error, "msg") ?? error.GetRawText();
                    return new SeedanceTaskError(code, message);
                case JsonValueKind.Null:
                case JsonValueKind.Undefined:
                    return null;
                default:
                    return new SeedanceTaskError(null, error.GetRawText());
            }
        }

        /// <summary>Unknown fields as plain values (text, numbers, lists...), not JSON text.</summary>
        private static AdditionalFieldCollection ReadAdditionalFields(JsonElement root)
        {
            Dictionary<string, object?> extra = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (JsonProperty property in root.EnumerateObject())
            {
                if (!KnownFields.Contains(property.Name))
                {
                    extra[property.Name] = PlainJson.ToPlain(property.Value);
                }
            }

            return new AdditionalFieldCollection(extra);
        }

        /// <summary>A string field; numbers and booleans are given as their JSON text (codes like 2038 come both ways).</summary>
        internal static string? ReadString(JsonElement obj, string name)
        {
            if (!obj.TryGetProperty(name, out JsonElement value))
            {
                return null;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    return value.GetString();
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                    return value.GetRawText();
                default:
                    return null;
            }
        }

        private static decimal? ReadDecimal(JsonElement obj, string name)
        {
            string? text = ReadString(obj, name);
            return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out decimal result)
                ? result
                : (decimal?)null;
        }

        /// <summary>A pixel size: a whole number from 0 to int.MaxValue, else null (a width of 1e11 is no width, and no crash).</summary>
        private static int? ReadInt(JsonElement obj, string name)
        {
            decimal? value = ReadDecimal(obj, name);
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
        private static DateTimeOffset? ReadEpochMilliseconds(JsonElement obj, string name)
        {
            decimal? value = ReadDecimal(obj, name);
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
