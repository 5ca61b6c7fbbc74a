using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Seedance.Client.Models;
using Seedance.Client.Uploads;

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
            SameMaterials(a, b) && SameInputs(a.AdditionalInputs, b.AdditionalInputs);

        /// <summary>
        /// Rule: two requests have the same materials when each position holds the same thing: the same local file (its
        /// full path and the SHA-256 of its content) or, for a material given as a URL, the same URL. A local file is never
        /// compared by the URL it was uploaded to, which is new on every run (issue 16); a changed file is a changed request.
        /// A request journaled by 0.1.0 has no file records, so its uploaded URLs match no local file: that row is created.
        /// </summary>
        public static bool SameMaterials(CreateTaskRequest a, CreateTaskRequest b) =>
            SameList(Identities(a, MaterialKind.Image), Identities(b, MaterialKind.Image)) &&
            SameList(Identities(a, MaterialKind.Video), Identities(b, MaterialKind.Video)) &&
            SameList(Identities(a, MaterialKind.Audio), Identities(b, MaterialKind.Audio));

        /// <summary>Each material of <paramref name="kind"/>: its URL, or (for a local file) "file", path and hash, which no URL can equal.</summary>
        private static IReadOnlyList<string> Identities(CreateTaskRequest request, MaterialKind kind)
        {
            IReadOnlyList<string> urls = kind == MaterialKind.Image ? request.ImageUrls : kind == MaterialKind.Video ? request.VideoUrls : request.AudioUrls;
            string[] identities = urls.ToArray();
            foreach (MaterialFile file in request.LocalFiles)
            {
                if (file.Kind == kind && file.Index >= 0 && file.Index < identities.Length)
                {
                    identities[file.Index] = "\0file\0" + file.Path + "\0" + file.Sha256;
                }
            }

            return identities;
        }

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
