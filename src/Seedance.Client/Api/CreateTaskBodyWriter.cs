using System.IO;
using System.Text;
using System.Text.Json;
using Seedance.Client.Models;

namespace Seedance.Client.Json
{
    /// <summary>Writes the createTask body in the primary documented shape (urls, videoUrls, ratio, duration "Ns").</summary>
    public static class CreateTaskBodyWriter
    {
        public static string Write(CreateTaskRequest request)
        {
            using MemoryStream stream = new MemoryStream();
            using (Utf8JsonWriter writer = new Utf8JsonWriter(stream))
            {
                writer.WriteStartObject();
                writer.WriteString("model", request.Model);
                writer.WriteStartObject("inputs");
                writer.WriteString("prompt", request.Prompt);
                if (request.ImageUrls.Count > 0)
                {
                    WriteArray(writer, "urls", request.ImageUrls);
                }

                if (request.VideoUrls.Count > 0)
                {
                    WriteArray(writer, "videoUrls", request.VideoUrls);
                }

                writer.WriteString("ratio", request.Ratio);
                writer.WriteString("duration", request.Duration.ToString(System.Globalization.CultureInfo.InvariantCulture) + "s");
                string? mode = request.EffectiveMode;
                if (mode is not null)
                {
                    writer.WriteString("mode", mode);
                }

                // Only what the user asked for by name (-AdditionalInput), after the validator refused collisions.
                foreach (System.Collections.Generic.KeyValuePair<string, object?> input in request.SortedAdditionalInputs())
                {
                    writer.WritePropertyName(input.Key);
                    PlainJson.Write(writer, input.Value);
                }

                writer.WriteEndObject();
                if (request.CallbackUri is not null)
                {
                    writer.WriteString("callBackUrl", request.CallbackUri.AbsoluteUri);
                }

                writer.WriteEndObject();
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }

        private static void WriteArray(Utf8JsonWriter writer, string name, System.Collections.Generic.IReadOnlyList<string> values)
        {
            writer.WriteStartArray(name);
            foreach (string value in values)
            {
                writer.WriteStringValue(value);
            }

            writer.WriteEndArray();
        }
    }
}
