using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using Seedance.Client.Files;
using Seedance.Client.Json;

namespace Seedance.Client.Gallery
{
    /// <summary>
    /// The rows a page shows, kept beside it as JSON so a later export (of part of the batch, or after a re-run) updates
    /// the page instead of forgetting rows. It is a file on disk, so it is read as untrusted: bounded in size, every
    /// field type-checked and capped, and a file reference that is not a plain relative path is dropped.
    /// </summary>
    public static class GalleryDataFile
    {
        public const string FormatName = "seedance-gallery";
        public const int FormatVersion = 1;

        /// <summary>
        /// The largest data file read, and so the largest written (<see cref="Serialize"/>): far above any real batch
        /// (about 1 KB a row, so some 30,000 rows), far below what could hurt to read.
        /// </summary>
        internal const long MaxBytes = 32L * 1024 * 1024;

        private const int MaxPromptLength = 20000;
        private const int MaxTextLength = 4000;

        /// <summary>Far above any batch's credits; a row claiming more is not believed.</summary>
        private const decimal MaxCredits = 999_999_999m;

        /// <summary>The title and rows in <paramref name="path"/>; none when the file does not exist.</summary>
        /// <exception cref="SeedanceException">GalleryDataUnreadable: The file exists and is not a gallery data file this version can read.</exception>
        public static (string? Title, IReadOnlyList<GalleryRow> Rows) Read(string path, long maxBytes = MaxBytes)
        {
            string? json = OwnedFiles.ReadText(path, maxBytes, (why, e) =>
                Problems.GalleryDataUnreadable(path, e is OwnedFileException ? why + " (a page's rows are about 1 KB each)" : why, e));
            if (json is null)
            {
                return (null, Array.Empty<GalleryRow>());
            }

            try
            {
                using JsonDocument document = PlainJson.Parse(json, new JsonDocumentOptions { MaxDepth = 8 });
                JsonFields root = new JsonFields(document.RootElement);
                if (root.Text("format", 64) != FormatName)
                {
                    throw Problems.GalleryDataUnreadable(path, $"it is not a {FormatName} file");
                }

                if (root.Whole("version", FormatVersion, FormatVersion) is null)
                {
                    throw Problems.GalleryDataUnreadable(path, $"it is not version {FormatVersion} of the format");
                }

                List<GalleryRow> rows = new List<GalleryRow>();
                if (root.TryGet("rows", out JsonElement items) && items.ValueKind == JsonValueKind.Array)
                {
                    foreach (JsonElement item in items.EnumerateArray())
                    {
                        GalleryRow? row = ReadRow(new JsonFields(item));
                        if (row is not null)
                        {
                            rows.Add(row);
                        }
                    }
                }

                return (root.Text("title", 512), rows);
            }
            catch (JsonException e)
            {
                throw Problems.GalleryDataUnreadable(path, "it is not valid JSON of the expected shape (" + e.Message + ")", e);
            }
        }

        /// <summary>A row's properties by their camelCase names (the names <see cref="ReadRow"/> reads), a null one left out.</summary>
        private static readonly JsonSerializerOptions RowFormat = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        };

        /// <summary>The data file's content for <paramref name="rows"/>.</summary>
        /// <exception cref="IOException">
        /// It would be larger than <paramref name="maxBytes"/>, the most <see cref="Read"/> takes: a file the next export
        /// refuses would lock the page's rows away, so nothing is written and the page stays as it was.
        /// </exception>
        public static byte[] Serialize(string title, IEnumerable<GalleryRow> rows, long maxBytes = MaxBytes)
        {
            using MemoryStream buffer = new MemoryStream();
            using (Utf8JsonWriter json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteString("format", FormatName);
                json.WriteNumber("version", FormatVersion);
                json.WriteString("title", title);
                json.WriteStartArray("rows");
                foreach (GalleryRow row in rows)
                {
                    JsonSerializer.Serialize(json, row, RowFormat);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            if (buffer.Length > maxBytes)
            {
                throw new IOException($"its data file would be {buffer.Length:N0} bytes, more than the {maxBytes:N0} bytes " +
                    "a gallery data file may be (a larger one is not read back), so nothing was written and the page stays as it was. " +
                    "Export the rest of the batch into another folder (-OutputPath).");
            }

            return buffer.ToArray();
        }

        /// <summary>
        /// Whether <paramref name="relative"/> is a path the page may point at: relative, '/' between plain segments (".."
        /// allowed, for a video saved in a sibling folder), no drive, scheme, backslash or control character.
        /// </summary>
        public static bool IsPlainRelativePath(string? relative)
        {
            if (string.IsNullOrEmpty(relative) || relative!.Length > 1024 || relative.StartsWith("/", StringComparison.Ordinal))
            {
                return false;
            }

            foreach (char c in relative)
            {
                if (c == '\\' || c == ':' || char.IsControl(c))
                {
                    return false;
                }
            }

            foreach (string segment in relative.Split('/'))
            {
                if (segment.Length == 0 || segment == ".")
                {
                    return false;
                }
            }

            return true;
        }

        private static GalleryRow? ReadRow(JsonFields item)
        {
            string? taskId = item.Text("taskId", 256);
            if (string.IsNullOrWhiteSpace(taskId))
            {
                return null;
            }

            return new GalleryRow(taskId!)
            {
                Name = item.Text("name", 512),
                Status = item.Text("status", 32) ?? Models.SeedanceTaskStatus.Unknown,
                Prompt = item.Text("prompt", MaxPromptLength),
                Model = item.Text("model", 128),
                DurationSeconds = (int?)item.Whole("durationSeconds", 0, 86400),
                Width = (int?)item.Whole("width", 1, 100000),
                Height = (int?)item.Whole("height", 1, 100000),
                Seed = item.Whole("seed", long.MinValue, long.MaxValue),
                Credits = item.Number("credits", 0, MaxCredits),
                CreatedAt = item.Time("createdAt"),
                CompletedAt = item.Time("completedAt"),
                ErrorCode = item.Text("errorCode", 128),
                ErrorMessage = item.Text("errorMessage", MaxTextLength),
                VideoFile = FileReference(item, "videoFile"),
                PosterFile = FileReference(item, "posterFile"),
                FirstCreatedAt = item.Time("firstCreatedAt"),
                Sequence = item.Whole("sequence", 0, long.MaxValue) ?? 0,
            };
        }

        private static string? FileReference(JsonFields item, string name)
        {
            string? relative = item.Text(name, 1024);
            return IsPlainRelativePath(relative) ? relative : null;
        }

        internal static Encoding Utf8 { get; } = new UTF8Encoding(false);
    }
}
