using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Seedance.Emulator;

public sealed record ValidationError(string Path, string Message);

/// <summary>What the emulator needs from a valid createTask body.</summary>
public sealed record TaskSpec(string Model, string Prompt, string Ratio, int DurationSeconds,
    string? OutputResolution, string? CallBackUrl);

/// <summary>
/// Checks a createTask body the way the service is documented to: every problem is reported with its JSON path.
/// Unknown keys are ignored on purpose (the real service ignores them too).
/// </summary>
public static class CreateTaskValidator
{
    public const int MaxPromptLength = 4000;
    public const int DefaultDurationSeconds = 5;
    public static readonly string[] Models = ["seedance-20", "seedance2-fast"];
    public static readonly string[] Ratios = ["16:9", "9:16", "1:1", "4:3", "3:4", "21:9"];

    public static (TaskSpec? Spec, List<ValidationError> Errors) Validate(JsonObject body)
    {
        var errors = new List<ValidationError>();

        var model = StringAt(body, "model");
        if (model is null || !Models.Contains(model, StringComparer.Ordinal))
            errors.Add(new("model", $"Unknown model '{model}'; expected one of: {string.Join(", ", Models)}"));

        if (body["inputs"] is not JsonObject inputs)
        {
            errors.Add(new("inputs", "inputs is required and must be an object"));
            return (null, errors);
        }

        var prompt = inputs["prompt"] is JsonValue pv && pv.GetValueKind() == JsonValueKind.String ? pv.GetValue<string>() : null;
        if (string.IsNullOrWhiteSpace(prompt))
            errors.Add(new("inputs.prompt", "prompt is required"));
        else if (prompt.Length > MaxPromptLength)
            errors.Add(new("inputs.prompt", $"prompt must be at most {MaxPromptLength} characters (got {prompt.Length})"));

        var duration = DefaultDurationSeconds;
        if (inputs.ContainsKey("duration"))
        {
            var parsed = ParseDuration(inputs["duration"]);
            if (parsed is null or < 4 or > 15)
                errors.Add(new("inputs.duration", $"duration must be 4 to 15 seconds (got {Show(inputs["duration"])})"));
            else duration = parsed.Value;
        }

        // "ratio" is the primary name; some docs say "aspectRatio". Report errors under the name that was used.
        var ratioKey = inputs.ContainsKey("ratio") ? "ratio" : inputs.ContainsKey("aspectRatio") ? "aspectRatio" : null;
        var ratio = "16:9";
        if (ratioKey is not null)
        {
            var r = StringAt(inputs, ratioKey);
            if (r is null || !Ratios.Contains(r, StringComparer.Ordinal))
                errors.Add(new($"inputs.{ratioKey}", $"{ratioKey} must be one of {string.Join(", ", Ratios)} (got {Show(inputs[ratioKey])})"));
            else ratio = r;
        }

        CheckUrlList(inputs, "urls", 9, errors);
        CheckUrlList(inputs, "videoUrls", 3, errors);

        string? callBackUrl = null;
        if (body.ContainsKey("callBackUrl"))
        {
            callBackUrl = StringAt(body, "callBackUrl");
            if (!IsHttpUrl(callBackUrl))
                errors.Add(new("callBackUrl", $"callBackUrl must be an absolute http(s) URL (got {Show(body["callBackUrl"])})"));
        }

        if (errors.Count > 0) return (null, errors);
        var resolution = StringAt(inputs, "outputResolution");
        return (new TaskSpec(model!, prompt!, ratio, duration, resolution, callBackUrl), errors);
    }

    private static void CheckUrlList(JsonObject inputs, string key, int max, List<ValidationError> errors)
    {
        if (!inputs.ContainsKey(key) || inputs[key] is null) return;
        if (inputs[key] is not JsonArray list)
        {
            errors.Add(new($"inputs.{key}", $"{key} must be an array of URLs"));
            return;
        }

        if (list.Count > max)
            errors.Add(new($"inputs.{key}", $"at most {max} {key} are allowed (got {list.Count})"));
        for (var i = 0; i < list.Count; i++)
        {
            var u = list[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;
            if (!IsHttpUrl(u))
                errors.Add(new($"inputs.{key}[{i}]", $"must be an absolute http(s) URL (got {Show(list[i])})"));
        }
    }

    /// <summary>Accepts 8, "8" and "8s" (the docs show all three); anything else is null.</summary>
    public static int? ParseDuration(JsonNode? node)
    {
        if (node is not JsonValue v) return null;
        switch (v.GetValueKind())
        {
            case JsonValueKind.Number:
                var d = v.GetValue<double>();
                return d == Math.Floor(d) && d is >= int.MinValue and <= int.MaxValue ? (int)d : null;
            case JsonValueKind.String:
                var s = v.GetValue<string>().Trim();
                if (s.EndsWith('s') || s.EndsWith('S')) s = s[..^1];
                return int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
            default:
                return null;
        }
    }

    public static bool IsHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && !string.IsNullOrEmpty(uri.Host);

    private static string? StringAt(JsonObject obj, string key) =>
        obj[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";
}
