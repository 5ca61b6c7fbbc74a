using System;
using System.Collections.Generic;
using System.Globalization;
using Seedance.Client.Models;

namespace Seedance.Client.Journal
{
    /// <summary>Comparing a journaled request with a row's, for the rules that depend on the row being unchanged.</summary>
    public static class JournalRequests
    {
        /// <summary>
        /// Whether two requests ask the service for the same video: model, prompt, materials, ratio, duration, mode and
        /// extra inputs (the callback and the Name are not part of what is generated). An extra input whose value is not
        /// plain text or a number counts as different: a row is then created, never refused on a guess.
        /// </summary>
        public static bool SameVideo(CreateTaskRequest a, CreateTaskRequest b) =>
            a.Model == b.Model && a.Prompt == b.Prompt && a.Ratio == b.Ratio && a.Duration == b.Duration && a.Mode == b.Mode &&
            SameList(a.ImageUrls, b.ImageUrls) && SameList(a.VideoUrls, b.VideoUrls) && SameList(a.AudioUrls, b.AudioUrls) &&
            SameInputs(a.AdditionalInputs, b.AdditionalInputs);

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
            IConvertible number when !(value is char) => "n:" + number.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
    }
}
