using System.Text.Json;

namespace Seedance.Emulator.Faults;

/// <summary>
/// One fault-injection rule, as posted to <c>/_emulator/faults</c>. It applies to the next <see cref="Count"/>
/// requests whose path starts with <see cref="Path"/> (and whose method is <see cref="Method"/>, if given).
/// </summary>
public sealed class FaultRule
{
    public static readonly string[] Kinds = ["status", "drop", "slow", "truncate", "malformed"];

    public string Id { get; set; } = "";

    /// <summary>
    /// Prefix of the path and query, e.g. "/api/v1/jobs/createTask", "/files/", or "/api/v1/jobs/recordInfo?taskId=task_x"
    /// for one task's polls. Works on both origins.
    /// </summary>
    public string Path { get; set; } = "";

    public string? Method { get; set; }

    /// <summary>status | drop | slow | truncate | malformed.</summary>
    public string Kind { get; set; } = "status";

    /// <summary>For "status" (default 500) and "malformed" (default 200).</summary>
    public int? Status { get; set; }

    /// <summary>Retry-After header value for "status": a number of seconds or an HTTP date, sent verbatim.</summary>
    public JsonElement? RetryAfter { get; set; }

    /// <summary>How many matching requests this rule hits; -1 = until cleared.</summary>
    public int Count { get; set; } = 1;

    /// <summary>For "slow": delay before the normal answer.</summary>
    public int DelayMs { get; set; } = 1000;

    /// <summary>For "truncate": bytes of body sent before the connection is aborted.</summary>
    public long AfterBytes { get; set; }

    /// <summary>
    /// For "status", "drop", "malformed": run the real handler first (so a create really creates and charges a task)
    /// and only then replace/cut the answer: the "request was taken but the answer was lost" case.
    /// </summary>
    public bool Process { get; set; }

    /// <summary>Optional body text for "status"/"malformed" instead of the default.</summary>
    public string? Body { get; set; }

    public int Hits { get; set; }

    public string? Validate()
    {
        if (!Path.StartsWith('/')) return "path must start with '/'";
        if (!Kinds.Contains(Kind)) return $"kind must be one of {string.Join(", ", Kinds)}";
        if (Status is < 100 or > 599) return "status must be 100..599";
        if (Count == 0 || Count < -1) return "count must be positive, or -1 for unlimited";
        if (DelayMs < 0 || AfterBytes < 0) return "delayMs and afterBytes must be >= 0";
        return null;
    }

    public string? RetryAfterHeader() => RetryAfter switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } e => e.GetString(),
        { ValueKind: JsonValueKind.Number } e => e.GetRawText(),
        _ => null,
    };
}

/// <summary>The active rules. First matching rule wins; a rule is removed when its count is used up.</summary>
public sealed class FaultStore
{
    private readonly List<FaultRule> _rules = [];
    private int _nextId;

    public IReadOnlyList<FaultRule> Add(IEnumerable<FaultRule> rules)
    {
        lock (_rules)
        {
            var added = rules.ToList();
            foreach (var r in added)
            {
                if (string.IsNullOrEmpty(r.Id)) r.Id = $"fault_{++_nextId}";
                _rules.Add(r);
            }

            return added;
        }
    }

    public FaultRule[] List()
    {
        lock (_rules) return _rules.ToArray();
    }

    public void Clear()
    {
        lock (_rules) _rules.Clear();
    }

    /// <summary>Consumes one use of the first rule matching this request, if any.</summary>
    public FaultRule? TryTake(string method, string path)
    {
        lock (_rules)
        {
            var rule = _rules.FirstOrDefault(r =>
                path.StartsWith(r.Path, StringComparison.OrdinalIgnoreCase)
                && (r.Method is null || string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)));
            if (rule is null) return null;
            rule.Hits++;
            if (rule.Count > 0 && --rule.Count == 0) _rules.Remove(rule);
            return rule;
        }
    }
}
