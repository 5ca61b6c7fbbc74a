using System;
using System.Collections.Generic;
using System.Linq;

namespace Seedance.Client.Http
{
    /// <summary>
    /// The names a host gives the createTask inputs. The service ignores an input key it does not know without a word
    /// (and still charges), so the module writes exactly the names the host documents: the seed's (the Omni Reference
    /// page of seedance2-pro.com: urls, ratio, duration "8s", no audio) or the examples repository's (kinovi.ai,
    /// kinovi-ai/kinovi-models: imageUrls, aspectRatio, integer duration, audioUrls). Chosen from the base URI's host
    /// (<see cref="ForHost"/>) unless Set-SeedanceConfiguration -RequestShape says otherwise.
    /// </summary>
    public sealed class RequestShape
    {
        /// <summary>seedance2-pro.com, the Omni Reference page: the contract the module was built to.</summary>
        public static readonly RequestShape Seed = new RequestShape(
            "Seed", "urls", "ratio", durationAsText: true, audioKey: null,
            new[] { "outputResolution", "upscaleResolution", "generate_audio", "seed" },
            "seedance2-pro.com Omni Reference page");

        /// <summary>kinovi.ai, the public examples repository kinovi-ai/kinovi-models (models/*/README.md).</summary>
        public static readonly RequestShape Kinovi = new RequestShape(
            "Kinovi", "imageUrls", "aspectRatio", durationAsText: false, audioKey: "audioUrls",
            new[] { "outputResolution", "generate_audio", "bitrate_mode", "output_format", "seed" },
            "kinovi-ai/kinovi-models models/*/README.md");

        public static readonly IReadOnlyList<RequestShape> All = new[] { Seed, Kinovi };

        private RequestShape(string name, string imagesKey, string ratioKey, bool durationAsText, string? audioKey, string[] optionalKeys, string source)
        {
            Name = name;
            ImagesKey = imagesKey;
            RatioKey = ratioKey;
            DurationAsText = durationAsText;
            AudioKey = audioKey;
            OptionalKeys = optionalKeys;
            Source = source;
        }

        public string Name { get; }
        public string ImagesKey { get; }
        public string VideosKey => "videoUrls";
        public string RatioKey { get; }

        /// <summary>True: "8s" (the seed); false: 8.</summary>
        public bool DurationAsText { get; }

        /// <summary>The audio input's name, or null when the host documents none ("Audio is not supported").</summary>
        public string? AudioKey { get; }

        /// <summary>The documented optional inputs (outputResolution, seed...).</summary>
        public IReadOnlyList<string> OptionalKeys { get; }

        public string Source { get; }

        /// <summary>Every input key this shape defines: anything else in "inputs" would be ignored by such a host.</summary>
        public IReadOnlyList<string> InputKeys =>
            new[] { "prompt", ImagesKey, VideosKey, AudioKey, RatioKey, "duration", "mode" }
                .Where(key => key is not null).Select(key => key!).Concat(OptionalKeys).ToList();

        public bool Defines(string inputKey) => InputKeys.Contains(inputKey, StringComparer.Ordinal);

        /// <summary>seedance2-pro.com: the seed's; kinovi.ai: the examples repository's; any other host: the seed's.</summary>
        public static RequestShape ForHost(Uri baseUri)
        {
            string host = baseUri.IsAbsoluteUri ? baseUri.Host.ToLowerInvariant() : string.Empty;
            return host == "kinovi.ai" || host.EndsWith(".kinovi.ai", StringComparison.Ordinal) ? Kinovi : Seed;
        }

        /// <summary>The shape of that name (case-insensitive), or null.</summary>
        public static RequestShape? Named(string? name) =>
            All.FirstOrDefault(shape => string.Equals(shape.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));

        public override string ToString() => Name;
    }
}
