using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Seedance.Emulator;

public sealed record ValidationError(string Path, string Message);

/// <summary>What the emulator needs from a valid createTask body.</summary>
public sealed record TaskSpec(string Model, string Prompt, string Ratio, int DurationSeconds,
    string? OutputResolution, string? CallBackUrl, int Videos = 0, int Audio = 0);

/// <summary>
/// Checks a createTask body the way the service is documented to, in the emulator's request shape: every problem is
/// reported with its JSON path. An input key the shape does not define is not an error (the real service ignores it
/// silently) but is handed back, so the emulator can record it for tests to assert that none is ever sent.
/// </summary>
public static class CreateTaskValidator
{
    public const int DefaultDurationSeconds = 5;

    public static (TaskSpec? Spec, List<ValidationError> Errors) Validate(JsonObject body) =>
        Validate(body, EmulatedShape.Seed, out _);

    public static (TaskSpec? Spec, List<ValidationError> Errors) Validate(JsonObject body, EmulatedShape shape, out List<string> unknownKeys)
    {
        var errors = new List<ValidationError>();
        unknownKeys = [];

        var modelName = StringAt(body, "model");
        EmulatedModel? model = null;
        if (modelName is null || !EmulatorCatalog.Models.TryGetValue(modelName, out model))
            errors.Add(new("model", $"Unknown model '{modelName}'; expected one of: {string.Join(", ", EmulatorCatalog.Models.Keys)}"));

        if (body["inputs"] is not JsonObject inputs)
        {
            errors.Add(new("inputs", "inputs is required and must be an object"));
            return (null, errors);
        }

        unknownKeys.AddRange(inputs.Select(p => p.Key).Where(key => !shape.Defines(key)));

        var prompt = inputs["prompt"] is JsonValue pv && pv.GetValueKind() == JsonValueKind.String ? pv.GetValue<string>() : null;
        var maxPrompt = model?.MaxPromptLength ?? 4000;
        if (string.IsNullOrWhiteSpace(prompt))
            errors.Add(new("inputs.prompt", "prompt is required"));
        else if (prompt.Length > maxPrompt)
            errors.Add(new("inputs.prompt", $"prompt must be at most {maxPrompt} characters (got {prompt.Length})"));

        var duration = DefaultDurationSeconds;
        if (inputs.ContainsKey("duration"))
        {
            var parsed = ParseDuration(inputs["duration"], shape);
            if (model is { TakesDuration: false })
                errors.Add(new("inputs.duration", $"{model.Name} takes no duration"));
            else if (parsed is null || parsed < (model?.MinDuration ?? 4) || parsed > (model?.MaxDuration ?? 15))
                errors.Add(new("inputs.duration", $"duration must be {(shape.DurationAsText ? "\"Ns\" with N" : "an integer")} from {model?.MinDuration ?? 4} to {model?.MaxDuration ?? 15} seconds (got {Show(inputs["duration"])})"));
            else duration = parsed.Value;
        }
        else if (model?.Requires.Contains("duration") == true)
        {
            errors.Add(new("inputs.duration", "Duration must be between 4 and 30 seconds"));
        }

        var ratio = "16:9";
        if (inputs.ContainsKey(shape.RatioKey))
        {
            var r = StringAt(inputs, shape.RatioKey);
            var ratios = model is { Ratios.Count: > 0 } ? model.Ratios : ["16:9", "9:16", "1:1", "4:3", "3:4", "21:9"];
            if (r is null || !ratios.Contains(r, StringComparer.Ordinal))
                errors.Add(new($"inputs.{shape.RatioKey}", $"{shape.RatioKey} must be one of {string.Join(", ", ratios)} (got {Show(inputs[shape.RatioKey])})"));
            else ratio = r;
        }

        var resolution = StringAt(inputs, "outputResolution");
        if (inputs.ContainsKey("outputResolution") && model is not null && (resolution is null || !model.Resolutions.Contains(resolution)))
            errors.Add(new("inputs.outputResolution", $"outputResolution must be one of {string.Join(", ", model.Resolutions)} (got {Show(inputs["outputResolution"])})"));

        var images = CheckUrlList(inputs, shape.ImagesKey, model?.MaxImages ?? 9, errors);
        var videos = CheckUrlList(inputs, "videoUrls", model?.MaxVideos ?? 3, errors);
        var audio = shape.AudioKey is null ? 0 : CheckUrlList(inputs, shape.AudioKey, model?.MaxAudio ?? 3, errors);
        if (model?.Requires.Contains("video") == true && videos == 0)
            errors.Add(new("inputs.videoUrls", "At least one reference video (videoUrls) is required."));
        if (audio > 0 && images + videos == 0)
            errors.Add(new($"inputs.{shape.AudioKey}", "Audio cannot be the only reference input. Please also provide an image or video reference."));

        string? callBackUrl = null;
        if (body.ContainsKey("callBackUrl"))
        {
            callBackUrl = StringAt(body, "callBackUrl");
            if (!IsHttpUrl(callBackUrl))
                errors.Add(new("callBackUrl", $"callBackUrl must be an absolute http(s) URL (got {Show(body["callBackUrl"])})"));
        }

        if (errors.Count > 0) return (null, errors);
        return (new TaskSpec(model!.Name, prompt!, ratio, model.TakesDuration ? duration : 0, resolution, callBackUrl, videos, audio), errors);
    }

    private static int CheckUrlList(JsonObject inputs, string key, int max, List<ValidationError> errors)
    {
        if (!inputs.ContainsKey(key) || inputs[key] is null) return 0;
        if (inputs[key] is not JsonArray list)
        {
            errors.Add(new($"inputs.{key}", $"{key} must be an array of URLs"));
            return 0;
        }

        if (list.Count > max)
            errors.Add(new($"inputs.{key}", $"at most {max} {key} are allowed (got {list.Count})"));
        for (var i = 0; i < list.Count; i++)
        {
            var u = list[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            if (!IsHttpUrl(u))
                errors.Add(new($"inputs.{key}[{i}]", $"must be an absolute http(s) URL (got {Show(list[i])})"));
        }

        return list.Count;
    }

    /// <summary>The seed shape accepts 8, "8" and "8s" (its docs show all three); the kinovi shape an integer only.</summary>
    public static int? ParseDuration(JsonNode? node, EmulatedShape shape)
    {
        if (node is not JsonValue v) return null;
        switch (v.GetValueKind())
        {
            case JsonValueKind.Number:
                var d = v.GetValue<double>();
                return d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue ? (int)d : null;
            case JsonValueKind.String when shape.DurationAsText:
                var s = v.GetValue<string>().Trim();
                if (s.EndsWith('s') || s.EndsWith('S')) s = s[..^1];
                return int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
            default:
                return null;
        }
    }

    public static int? ParseDuration(JsonNode? node) => ParseDuration(node, EmulatedShape.Seed);

    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);

    private static string? StringAt(JsonObject obj, string key) =>
        obj[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";
}
