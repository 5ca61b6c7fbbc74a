using System.Text;
using System.Text.Json;

namespace Seedance.HostileServer;

/// <summary>What to send for one request: status line, headers, body, and how the body is framed and broken.</summary>
internal sealed class ResponsePlan
{
    public int Status { get; init; } = 200;
    public List<KeyValuePair<string, string>> Headers { get; } = new();
    public BodySource Body { get; init; } = new(Array.Empty<byte>());

    /// <summary>"length" (Content-Length: <see cref="ClaimedLength"/>), "chunked", or "none" (the close ends the body).</summary>
    public string Framing { get; set; } = "length";

    public long ClaimedLength { get; set; }
    public long? CutAfter { get; init; }
    public int TrickleBytes { get; init; }
    public int TrickleIntervalMs { get; init; }

    public static ResponsePlan NotFound() => Json(404, "{\"message\":\"hostile server: no rule for this request\"}");

    public static ResponsePlan Json(int status, string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        ResponsePlan plan = new() { Status = status, Body = new BodySource(bytes), ClaimedLength = bytes.Length };
        plan.Headers.Add(new("Content-Type", "application/json"));
        return plan;
    }

    public static ResponsePlan For(HostileRule rule, HttpRequestHead request, string baseUri)
    {
        ResponsePlan plan = rule.File is not null ? ForFile(rule, rule.File, request) : ForBody(rule, request, baseUri);
        foreach (KeyValuePair<string, string> header in rule.Headers)
        {
            plan.Headers.RemoveAll(h => h.Key.Equals(header.Key, StringComparison.OrdinalIgnoreCase));
            plan.Headers.Add(header);
        }

        if (rule.Chunked)
        {
            plan.Framing = "chunked";
        }
        else if (rule.Length == "none")
        {
            plan.Framing = "none";
        }
        else if (long.TryParse(rule.Length, out long claimed))
        {
            plan.Framing = "length";
            plan.ClaimedLength = claimed;
        }

        return plan;
    }

    private static ResponsePlan ForBody(HostileRule rule, HttpRequestHead request, string baseUri)
    {
        byte[] prefix = Encoding.UTF8.GetBytes(Expand(rule.Body ?? "", request, baseUri));
        BodySource body = new(prefix, 0, rule.Endless ? null : rule.BodyBytes, 0, rule.FillByte);
        bool gzip = rule.Gzip && !rule.Endless;
        if (gzip)
        {
            // Cached: a 256 MiB bomb is compressed once per rule, not once per request.
            rule.GzipCache ??= body.Gzip();
            body = new BodySource(rule.GzipCache);
        }

        ResponsePlan plan = new()
        {
            Status = rule.Status,
            Body = body,
            CutAfter = rule.CutAfter,
            TrickleBytes = rule.TrickleBytes,
            TrickleIntervalMs = rule.TrickleIntervalMs,
        };
        plan.Headers.Add(new("Content-Type", prefix.Length > 0 && (prefix[0] == '{' || prefix[0] == '[') ? "application/json" : "text/plain"));
        if (gzip)
        {
            plan.Headers.Add(new("Content-Encoding", "gzip"));
        }

        if (body.Length is long length)
        {
            plan.ClaimedLength = length;
        }
        else
        {
            plan.Framing = "chunked";
        }

        return plan;
    }

    private static ResponsePlan ForFile(HostileRule rule, HostileFile file, HttpRequestHead request)
    {
        long total = file.Length;
        long? from = RangeStart(request.Header("Range"));
        string mode = from is null ? "full" : file.Range;
        if (mode == "honour" && request.Header("If-Range") is string ifRange && !Matches(file, ifRange))
        {
            mode = "full";
        }

        if (mode == "ignore")
        {
            mode = "full";
        }

        long start = from ?? 0;
        int status = mode == "full" ? 200 : 206;
        long sendFrom = mode is "full" or "wrong-start" ? 0 : start;
        long count = total - sendFrom + (mode == "overlong" ? file.OverlongBy : 0);
        ResponsePlan plan = new()
        {
            Status = status,
            Body = new BodySource(Array.Empty<byte>(), sendFrom, Math.Max(0, count), file.Seed),
            ClaimedLength = Math.Max(0, count),
            CutAfter = rule.CutAfter,
            TrickleBytes = rule.TrickleBytes,
            TrickleIntervalMs = rule.TrickleIntervalMs,
            Framing = mode == "overlong" ? "chunked" : "length",
        };
        plan.Headers.Add(new("Content-Type", "video/mp4"));
        plan.Headers.Add(new("Accept-Ranges", "bytes"));
        if (file.ETag is not null)
        {
            plan.Headers.Add(new("ETag", file.ETag));
        }

        if (file.LastModified is not null)
        {
            plan.Headers.Add(new("Last-Modified", file.LastModified));
        }

        switch (mode)
        {
            case "honour":
            case "ignore-if-range":
            case "overlong":
                plan.Headers.Add(new("Content-Range", $"bytes {start}-{total - 1}/{total}"));
                break;
            case "star-total":
                plan.Headers.Add(new("Content-Range", $"bytes {start}-{total - 1}/*"));
                break;
            case "wrong-start":
                plan.Headers.Add(new("Content-Range", $"bytes 0-{total - 1}/{total}"));
                break;
        }

        return plan;
    }

    private static bool Matches(HostileFile file, string ifRange)
    {
        ifRange = ifRange.Trim();
        return ifRange.StartsWith('"') || ifRange.StartsWith("W/", StringComparison.Ordinal)
            ? ifRange == file.ETag
            : ifRange == file.LastModified;
    }

    /// <summary>N of "bytes=N-" (the only form our client sends); null without a Range header.</summary>
    private static long? RangeStart(string? range)
    {
        if (range is null || !range.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        string spec = range[6..];
        int dash = spec.IndexOf('-');
        return long.TryParse(dash < 0 ? spec : spec[..dash], out long start) ? start : null;
    }

    private static string Expand(string text, HttpRequestHead request, string baseUri)
    {
        string key = request.BearerToken;
        string taskId = request.QueryParameter("taskId") ?? "";
        return text
            .Replace("{taskId}", JsonEscaped(taskId))
            .Replace("{base}", baseUri)
            .Replace("{key:json}", string.Concat(key.Select(c => $"\\u{(int)c:x4}")))
            .Replace("{key:url}", string.Concat(Encoding.UTF8.GetBytes(key).Select(b => $"%{b:X2}")))
            .Replace("{key:upper}", key.ToUpperInvariant())
            .Replace("{key}", key);
    }

    private static string JsonEscaped(string value)
    {
        string quoted = JsonSerializer.Serialize(value);
        return quoted[1..^1];
    }
}
