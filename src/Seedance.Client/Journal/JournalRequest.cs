using System;
using System.Collections.Generic;
using Seedance.Client.Models;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// What a create asked for, as the journal keeps it: enough to show the user what an unknown-outcome create was
    /// and to send it again on purpose. It deliberately has no place for the key or any header: the journal is a
    /// user file, readable by anything that runs as the user.
    /// </summary>
    public sealed class JournalRequest
    {
        public JournalRequest(
            string model, string prompt, IReadOnlyList<string> imageUrls, IReadOnlyList<string> videoUrls,
            string ratio, int duration, string? mode, string? callbackUrl,
            string? name = null, IReadOnlyDictionary<string, object?>? additionalInputs = null, IReadOnlyList<string>? audioUrls = null, string? batch = null)
        {
            Batch = batch;
            AudioUrls = audioUrls ?? Array.Empty<string>();
            Model = model;
            Prompt = prompt;
            ImageUrls = imageUrls;
            VideoUrls = videoUrls;
            Ratio = ratio;
            Duration = duration;
            Mode = mode;
            CallbackUrl = callbackUrl;
            Name = name;
            AdditionalInputs = additionalInputs ?? new Dictionary<string, object?>(StringComparer.Ordinal);
        }

        public string Model { get; }
        public string Prompt { get; }
        public IReadOnlyList<string> ImageUrls { get; }
        public IReadOnlyList<string> VideoUrls { get; }
        public IReadOnlyList<string> AudioUrls { get; }
        public string Ratio { get; }
        public int Duration { get; }
        public string? Mode { get; }
        public string? CallbackUrl { get; }

        /// <summary>The row key (New-SeedanceTask -Name); never sent to the service.</summary>
        public string? Name { get; }

        /// <summary>The batch the Name is a key in (New-SeedanceTask -Batch); null in an intent of 0.1.0, which matches any batch.</summary>
        public string? Batch { get; }

        /// <summary>
        /// -AdditionalInput, as plain values (text, numbers, true/false, lists, dictionaries): part of what was asked
        /// for, so a create sent again from the journal is the same create.
        /// </summary>
        public IReadOnlyDictionary<string, object?> AdditionalInputs { get; }

        public static JournalRequest From(CreateTaskRequest request) => new JournalRequest(
            request.Model, request.Prompt, Copy(request.ImageUrls), Copy(request.VideoUrls), request.Ratio,
            request.Duration, request.Mode, request.CallbackUri?.AbsoluteUri, request.Name, Copy(request.AdditionalInputs), Copy(request.AudioUrls), request.Batch);

        /// <summary>The request as the client sends it (a callback that no longer parses is left out).</summary>
        public CreateTaskRequest ToCreateTaskRequest() => new CreateTaskRequest
        {
            Model = Model,
            Prompt = Prompt,
            ImageUrls = Copy(ImageUrls),
            VideoUrls = Copy(VideoUrls),
            AudioUrls = Copy(AudioUrls),
            Ratio = Ratio,
            Duration = Duration,
            Mode = Mode,
            CallbackUri = CallbackUrl is not null && Uri.TryCreate(CallbackUrl, UriKind.Absolute, out Uri? uri) ? uri : null,
            Name = Name,
            Batch = Batch,
            AdditionalInputs = Copy(AdditionalInputs),
        };

        /// <summary>
        /// Whether another request asks the service for the same video: model, prompt, materials, ratio, duration, mode
        /// and extra inputs (the callback and the Name are not part of what is generated). An extra input whose value is
        /// not plain text or a number counts as different: a row is then created, never refused on a guess.
        /// </summary>
        public bool SameAs(JournalRequest other) =>
            Model == other.Model && Prompt == other.Prompt && Ratio == other.Ratio && Duration == other.Duration && Mode == other.Mode &&
            SameList(ImageUrls, other.ImageUrls) && SameList(VideoUrls, other.VideoUrls) && SameInputs(AdditionalInputs, other.AdditionalInputs);

        private static bool SameList(IReadOnlyList<string> a, IReadOnlyList<string> b)
        {
            if (a.Count != b.Count)
            {
                return false;
            }

            for (int i = 0; i < a.Count; i++)
            {
                if (!string.Equals(a[i], b[i], StringComparison.Ordinal))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool SameInputs(IReadOnlyDictionary<string, object?> a, IReadOnlyDictionary<string, object?> b)
        {
            if (a.Count != b.Count)
            {
                return false;
            }

            foreach (KeyValuePair<string, object?> input in a)
            {
                if (!b.TryGetValue(input.Key, out object? other) || Scalar(input.Value) is not string mine || mine != Scalar(other))
                {
                    return false;
                }
            }

            return true;
        }

        private static string? Scalar(object? value) => value switch
        {
            null => "null",
            string text => "s:" + text,
            bool flag => flag ? "true" : "false",
            IConvertible number when !(value is char) => "n:" + number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            _ => null,
        };

        public string PromptExcerpt(int maxLength) =>
            Prompt.Length <= maxLength ? Prompt : Prompt.Substring(0, maxLength - 3) + "...";

        private static string[] Copy(IReadOnlyList<string> values)
        {
            string[] copy = new string[values.Count];
            for (int i = 0; i < copy.Length; i++)
            {
                copy[i] = values[i];
            }

            return copy;
        }

        private static Dictionary<string, object?> Copy(IReadOnlyDictionary<string, object?> values)
        {
            Dictionary<string, object?> copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, object?> value in values)
            {
                copy[value.Key] = value.Value;
            }

            return copy;
        }
    }
}
