using System.Collections.Generic;
using System.Linq;
using Seedance.Client.Json;
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
        /// plain text, a number or a flag counts as different: a row is then created, never refused on a guess.
        /// </summary>
        public static bool SameVideo(CreateTaskRequest a, CreateTaskRequest b) => VideoOf(a) is string video && video == VideoOf(b);

        /// <summary>
        /// Rule: two requests have the same materials when each position holds the same thing: the same local file (its
        /// full path and the SHA-256 of its content) or, for a material given as a URL, the same URL. A local file is never
        /// compared by the URL it was uploaded to, which is new on every run (issue 16); a changed file is a changed request.
        /// A request journaled by 0.1.0 has no file records, so its uploaded URLs match no local file: that row is created.
        /// </summary>
        public static bool SameMaterials(CreateTaskRequest a, CreateTaskRequest b) => PlainJson.ToJson(Materials(a)) == PlainJson.ToJson(Materials(b));

        /// <summary>What a request asks the service to generate, as JSON text (inputs sorted); null when an input is no plain scalar.</summary>
        private static string? VideoOf(CreateTaskRequest request) =>
            request.AdditionalInputs.Values.All(value => value is null || value is string || value is bool || PlainJson.IsNumber(value))
                ? PlainJson.ToJson(new object?[]
                {
                    request.Model, request.Prompt, request.Ratio, request.Duration, request.Mode, Materials(request),
                    request.SortedAdditionalInputs().ToDictionary(input => input.Key, input => input.Value),
                })
                : null;

        /// <summary>Each material, by kind: its URL, or (for a local file) "file", path and hash, which no URL can equal.</summary>
        private static string[][] Materials(CreateTaskRequest request) => new[]
        {
            Identities(request, MaterialKind.Image, request.ImageUrls), Identities(request, MaterialKind.Video, request.VideoUrls),
            Identities(request, MaterialKind.Audio, request.AudioUrls),
        };

        private static string[] Identities(CreateTaskRequest request, MaterialKind kind, IReadOnlyList<string> urls)
        {
            string[] identities = urls.ToArray();
            foreach (MaterialFile file in request.LocalFiles.Where(file => file.Kind == kind && file.Index >= 0 && file.Index < identities.Length))
            {
                identities[file.Index] = "\0file\0" + file.Path + "\0" + file.Sha256;
            }

            return identities;
        }
    }
}
