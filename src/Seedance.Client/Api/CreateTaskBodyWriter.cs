using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using Seedance.Client.Http;
using Seedance.Client.Models;

namespace Seedance.Client.Json
{
    /// <summary>
    /// Writes the createTask body in a host's <see cref="RequestShape"/>: only keys that shape defines, plus what the
    /// user asked for by name with -AdditionalInput (after the validator refused collisions and warned about unknown names).
    /// </summary>
    public static class CreateTaskBodyWriter
    {
        public static string Write(CreateTaskRequest request) => Write(request, RequestShape.Seed);

        public static string Write(CreateTaskRequest request, RequestShape shape)
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
                    WriteArray(writer, shape.ImagesKey, request.ImageUrls);
                }

                if (request.VideoUrls.Count > 0)
                {
                    WriteArray(writer, shape.VideosKey, request.VideoUrls);
                }

                // The validator refuses audio for a shape without an audio key, so nothing is dropped here.
                if (request.AudioUrls.Count > 0 && shape.AudioKey is not null)
                {
                    WriteArray(writer, shape.AudioKey, request.AudioUrls);
                }

                if (request.Spec?.TakesRatio != false)
                {
                    writer.WriteString(shape.RatioKey, request.Ratio);
                }

                if (request.Spec?.TakesDuration != false)
                {
                    if (shape.DurationAsText)
                    {
                        writer.WriteString("duration", request.Duration.ToString(CultureInfo.InvariantCulture) + "s");
                    }
                    else
                    {
                        writer.WriteNumber("duration", request.Duration);
                    }
                }

                string? mode = request.EffectiveMode;
                if (mode is not null)
                {
                    writer.WriteString("mode", mode);
                }

                // Optional inputs (first-class parameters and -AdditionalInput), under the service's names, sorted.
                foreach (KeyValuePair<string, object?> input in request.SortedAdditionalInputs())
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

        private static void WriteArray(Utf8JsonWriter writer, string name, IReadOnlyList<string> values)
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
