using System;
using System.Collections.Generic;
using System.Globalization;
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
            // The body as plain values, written by the one JSON writer of plain values; keys in the order they are added.
            Dictionary<string, object?> inputs = new Dictionary<string, object?>(StringComparer.Ordinal) { ["prompt"] = request.Prompt };
            AddList(inputs, shape.ImagesKey, request.ImageUrls);
            AddList(inputs, shape.VideosKey, request.VideoUrls);

            // The validator refuses audio for a shape without an audio key, so nothing is dropped here.
            AddList(inputs, shape.AudioKey, request.AudioUrls);
            if (request.Spec?.TakesRatio != false)
            {
                inputs[shape.RatioKey] = request.Ratio;
            }

            if (request.Spec?.TakesDuration != false)
            {
                inputs["duration"] = shape.DurationAsText ? request.Duration.ToString(CultureInfo.InvariantCulture) + "s" : (object)request.Duration;
            }

            if (request.EffectiveMode is string mode)
            {
                inputs["mode"] = mode;
            }

            // Optional inputs (first-class parameters and -AdditionalInput), under the service's names, sorted.
            foreach (KeyValuePair<string, object?> input in request.SortedAdditionalInputs())
            {
                inputs[input.Key] = input.Value;
            }

            Dictionary<string, object?> body = new Dictionary<string, object?>(StringComparer.Ordinal) { ["model"] = request.Model, ["inputs"] = inputs };
            if (request.CallbackUri is not null)
            {
                body["callBackUrl"] = request.CallbackUri.AbsoluteUri;
            }

            return PlainJson.ToJson(body);
        }

        private static void AddList(Dictionary<string, object?> inputs, string? name, IReadOnlyList<string> values)
        {
            if (name is not null && values.Count > 0)
            {
                inputs[name] = values;
            }
        }
    }
}
