using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using Seedance.Client.Json;
using Seedance.Client.Models;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// Turns a record into its line: compact UTF-8 JSON and a final newline. The JSON writer escapes every control
    /// character inside strings, so a prompt with newlines still makes exactly one line.
    /// </summary>
    public static class JournalRecordWriter
    {
        // Prompts in any language stay readable in the file; the relaxed encoder still escapes quotes, backslashes and
        // control characters, which is all JSON Lines needs (the file is never embedded in HTML).
        private static readonly JsonWriterOptions WriterOptions = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public static byte[] ToLine(JournalRecord record)
        {
            using MemoryStream stream = new MemoryStream(256);
            using (Utf8JsonWriter writer = new Utf8JsonWriter(stream, WriterOptions))
            {
                writer.WriteStartObject();
                writer.WriteNumber("v", JournalRecord.FormatVersion);
                writer.WriteString("type", record.Type);
                writer.WriteString("time", FormatTime(record.Time));
                WriteFields(writer, record);
                writer.WriteEndObject();
            }

            stream.WriteByte((byte)'\n');
            return stream.ToArray();
        }

        internal static string FormatTime(DateTimeOffset time) =>
            time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

        internal static string StatusWord(string status) => status.ToLowerInvariant();

        private static void WriteFields(Utf8JsonWriter writer, JournalRecord record)
        {
            switch (record)
            {
                case CreateIntentRecord intent:
                    writer.WriteString("intent", intent.IntentId);
                    WriteOptional(writer, "name", intent.Name);
                    writer.WriteNumber("credits", intent.Credits);
                    writer.WriteNumber("pid", intent.ProcessId);
                    WriteOptional(writer, "host", intent.Host);
                    if (intent.SettlesAfterSuccess)
                    {
                        writer.WriteBoolean("settles", true);
                    }

                    if (intent.Attempt is JournalAttempt attempt)
                    {
                        writer.WriteString("retryOf", attempt.RetryOf);
                        writer.WriteNumber("attempt", attempt.Number);
                    }

                    WriteRequest(writer, intent.Request);
                    break;
                case CreateSlotWaitRecord slotWait:
                    writer.WriteString("intent", slotWait.IntentId);
                    writer.WriteBoolean("waiting", slotWait.Waiting);
                    break;
                case TaskCreatedRecord created:
                    writer.WriteString("intent", created.IntentId);
                    writer.WriteString("task", created.TaskId);
                    WriteOptional(writer, "name", created.Name);
                    break;
                case CreateOutcomeUnknownRecord unknown:
                    writer.WriteString("intent", unknown.IntentId);
                    WriteOptional(writer, "name", unknown.Name);
                    writer.WriteString("reason", unknown.Reason);
                    WriteRequest(writer, unknown.Request);
                    break;
                case StatusRecord status:
                    WriteStatus(writer, status);
                    break;
                case SavedFileRecord saved:
                    writer.WriteString("task", saved.TaskId);
                    writer.WriteString("path", saved.Path);
                    writer.WriteNumber("bytes", saved.Bytes);
                    break;
                case CreateRefusedRecord refused:
                    writer.WriteString("intent", refused.IntentId);
                    WriteOptional(writer, "code", refused.Code);
                    writer.WriteString("message", refused.Message);
                    break;
                case FailureRecord failure:
                    writer.WriteString("task", failure.TaskId);
                    WriteOptional(writer, "code", failure.Code);
                    writer.WriteString("message", failure.Message);
                    break;
                case CompactionRecord compaction:
                    writer.WriteString("id", compaction.CompactionId);
                    writer.WriteNumber("removed", compaction.RemovedRecords);
                    break;
                default:
                    throw new ArgumentException($"No journal format for record type {record.GetType().Name}.", nameof(record));
            }
        }

        private static void WriteStatus(Utf8JsonWriter writer, StatusRecord status)
        {
            writer.WriteString("task", status.TaskId);
            writer.WriteString("status", StatusWord(status.Status));
            WriteOptional(writer, "statusText", status.StatusText);
            if (status.CreditsUsed is decimal credits)
            {
                writer.WriteNumber("credits", credits);
            }

            if (status.ChargeFinal)
            {
                writer.WriteBoolean("chargeFinal", true);
            }

            if (status.Outputs.Count > 0)
            {
                writer.WriteStartArray("outputs");
                foreach (SeedanceVideo video in status.Outputs)
                {
                    writer.WriteStartObject();
                    writer.WriteString("url", video.Url);
                    WriteOptional(writer, "width", video.Width);
                    WriteOptional(writer, "height", video.Height);
                    WriteOptional(writer, "mediaType", video.MediaType);
                    if (video.Seed is long seed)
                    {
                        writer.WriteNumber("seed", seed);
                    }

                    WriteOptional(writer, "lastFrame", video.LastFrameImage);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            if (status.Error is not null)
            {
                writer.WriteStartObject("error");
                WriteOptional(writer, "code", status.Error.Code);
                writer.WriteString("message", status.Error.Message);
                writer.WriteEndObject();
            }

            WriteOptional(writer, "model", status.Model);
            if (status.ServiceCreatedAt is DateTimeOffset created)
            {
                writer.WriteString("createdAt", FormatTime(created));
            }

            if (status.CompletedAt is DateTimeOffset completed)
            {
                writer.WriteString("completedAt", FormatTime(completed));
            }
        }

        /// <summary>The request as the client sends it (the body's values; the Name, never sent, beside them), in 0.1.0's field names.</summary>
        private static void WriteRequest(Utf8JsonWriter writer, CreateTaskRequest request)
        {
            writer.WriteStartObject("request");
            writer.WriteString("model", request.Model);
            writer.WriteString("prompt", request.Prompt);
            WriteArray(writer, "images", request.ImageUrls);
            WriteArray(writer, "videos", request.VideoUrls);
            if (request.AudioUrls.Count > 0)
            {
                WriteArray(writer, "audio", request.AudioUrls);
            }

            writer.WriteString("ratio", request.Ratio);
            writer.WriteNumber("duration", request.Duration);
            WriteOptional(writer, "mode", request.Mode);
            WriteOptional(writer, "callback", request.CallbackUri?.AbsoluteUri);
            WriteOptional(writer, "name", request.Name);
            WriteOptional(writer, "batch", request.Batch);
            if (request.AdditionalInputs.Count > 0)
            {
                // Sorted as the create body writes them; the values as the user gave them (plain JSON values).
                writer.WriteStartObject("inputs");
                foreach (KeyValuePair<string, object?> input in request.SortedAdditionalInputs())
                {
                    writer.WritePropertyName(input.Key);
                    PlainJson.Write(writer, input.Value);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        private static void WriteArray(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
        {
            if (values.Count == 0)
            {
                return;
            }

            writer.WriteStartArray(name);
            foreach (string value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }

        private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
        {
            if (value is not null)
            {
                writer.WriteString(name, value);
            }
        }

        private static void WriteOptional(Utf8JsonWriter writer, string name, int? value)
        {
            if (value is int number)
            {
                writer.WriteNumber(name, number);
            }
        }
    }
}
