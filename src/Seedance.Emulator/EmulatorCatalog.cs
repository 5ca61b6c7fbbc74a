using System.Text.Json.Nodes;

namespace Seedance.Emulator;

/// <summary>One model as the emulated service knows it (read from the module's ModelCatalog.json, the documented facts).</summary>
public sealed record EmulatedModel(string Name, int? MinDuration, int? MaxDuration, int? ReservedSeconds, int? MaxPromptLength,
    int? MaxImages, int? MaxVideos, int? MaxVideoSeconds, int? MaxAudio, IReadOnlyList<string> Ratios, IReadOnlyList<string> Resolutions,
    string DefaultResolution, IReadOnlyList<string> Requires, IReadOnlyDictionary<string, decimal> Rates,
    IReadOnlyDictionary<string, decimal> ReferenceRates, string Charge)
{
    public bool TakesDuration => ReservedSeconds is null;

    public decimal RateFor(string? resolution, bool referenceVideo)
    {
        var rates = referenceVideo && ReferenceRates.Count > 0 ? ReferenceRates : Rates;
        return rates.TryGetValue(resolution ?? DefaultResolution, out var rate) ? rate : rates.Values.First();
    }

    /// <summary>What is reserved at submit (the documented "duration x rate", or edit's 15 s estimate).</summary>
    public decimal AtSubmit(int duration, string? resolution, int videos) =>
        (TakesDuration ? duration : ReservedSeconds!.Value) * RateFor(resolution, videos > 0);

    /// <summary>The final charge once the source's length is known; null when it is the submit charge.</summary>
    public decimal? Final(int duration, string? resolution, int videos, double sourceSeconds)
    {
        var source = (decimal)Math.Min(sourceSeconds, MaxVideoSeconds ?? 30);
        var rate = RateFor(resolution, videos > 0);
        return Charge switch
        {
            "referencePlusOutput" when videos > 0 => (source + duration) * rate,
            "sourcePlusOutput" => (source + duration) * rate,
            "twiceSource" => 2 * source * rate,
            _ => null,
        };
    }
}

public static class EmulatorCatalog
{
    private static readonly Dictionary<string, EmulatedModel> All = Load();

    public static IReadOnlyDictionary<string, EmulatedModel> Models => All;

    /// <summary>
    /// --extra-model NAME:RATE: a model this service has that the module's catalog does not (4-15 s, RATE credits/s),
    /// so tests can create with a model the module only knows by name.
    /// </summary>
    public static void AddExtra(string name, decimal rate) =>
        All[name] = new EmulatedModel(name, 4, 15, null, 4000, 9, 3, 15, 3, [], ["480p", "720p"], "720p", [],
            new Dictionary<string, decimal> { ["480p"] = rate, ["720p"] = rate }, new Dictionary<string, decimal>(), "perSecond");

    private static Dictionary<string, EmulatedModel> Load()
    {
        using var stream = typeof(EmulatorCatalog).Assembly.GetManifestResourceStream("ModelCatalog.json")
            ?? throw new InvalidOperationException("ModelCatalog.json is not embedded.");
        var root = JsonNode.Parse(stream)!.AsObject();
        var models = new Dictionary<string, EmulatedModel>(StringComparer.Ordinal);
        foreach (var (name, node) in root["models"]!.AsObject())
        {
            var m = node!.AsObject();
            int? Int(string key) => m[key] is JsonValue v ? v.GetValue<int>() : null;
            IReadOnlyList<string> List(string key) => m[key] is JsonArray a ? a.Select(x => x!.GetValue<string>()).ToList() : [];
            IReadOnlyDictionary<string, decimal> Rates(string key) =>
                m[key] is JsonObject o ? o.ToDictionary(p => p.Key, p => p.Value!.GetValue<decimal>()) : new Dictionary<string, decimal>();
            models[name] = new EmulatedModel(name, Int("minDuration"), Int("maxDuration"), Int("reservedSeconds"), Int("maxPromptLength"),
                Int("maxImages"), Int("maxVideos"), Int("maxVideoSeconds"), Int("maxAudio"), List("ratios"), List("resolutions"),
                m["defaultResolution"]?.GetValue<string>() ?? "720p", List("requires"), Rates("outputResolution"), Rates("referenceVideoRate"),
                m["charge"]?.GetValue<string>() ?? "perSecond");
        }

        return models;
    }
}

/// <summary>
/// The input names a host takes (the service's side of the module's RequestShape, written independently): --request-shape
/// seed (seedance2-pro.com: urls, ratio, "8s", no audio) or kinovi (kinovi.ai: imageUrls, aspectRatio, integer duration, audioUrls).
/// </summary>
public sealed record EmulatedShape(string Name, string ImagesKey, string RatioKey, bool DurationAsText, string? AudioKey, string[] OptionalKeys)
{
    public static readonly EmulatedShape Seed = new("seed", "urls", "ratio", true, null,
        ["outputResolution", "upscaleResolution", "generate_audio", "seed"]);

    public static readonly EmulatedShape Kinovi = new("kinovi", "imageUrls", "aspectRatio", false, "audioUrls",
        ["outputResolution", "generate_audio", "bitrate_mode", "output_format", "seed"]);

    public bool Defines(string key) =>
        key is "prompt" or "videoUrls" or "duration" or "mode" || key == ImagesKey || key == RatioKey || key == AudioKey || OptionalKeys.Contains(key);

    public static EmulatedShape Parse(string name) => name.ToLowerInvariant() switch
    {
        "seed" => Seed,
        "kinovi" => Kinovi,
        _ => throw new ArgumentException($"Option --request-shape: '{name}' is not seed or kinovi."),
    };
}
