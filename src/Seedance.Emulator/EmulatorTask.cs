using System.Text.Json.Nodes;

namespace Seedance.Emulator;

public enum TaskPhase { Waiting, Generating, Final }

/// <summary>
/// One task. Immutable after creation except the callback bookkeeping: its state is a pure function of the
/// clock (waiting for the first W seconds, generating until W+G, then final), so no timers drive it.
/// </summary>
public sealed class EmulatorTask
{
    public required string TaskId { get; init; }
    public required string Model { get; init; }
    public required decimal CreditsUsed { get; init; }

    /// <summary>The charge creditsUsed turns into shortly after success (null: CreditsUsed is final).</summary>
    public decimal? FinalCredits { get; init; }

    /// <summary>creditsUsed at <paramref name="now"/>: the final charge once the settle delay after success has passed.</summary>
    public decimal CreditsUsedAt(DateTimeOffset now) =>
        FinalCredits is decimal final && HasSucceededAt(now) && now >= CompletedAt + TimeSpan.FromSeconds(Directives.SettleSeconds ?? 1)
            ? final
            : CreditsUsed;
    public required DateTimeOffset CreatedAt { get; init; }
    public required TimeSpan Waiting { get; init; }
    public required TimeSpan Generating { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public TaskDirectives Directives { get; init; } = TaskDirectives.None;
    public string? CallBackUrl { get; init; }

    /// <summary>The createTask body exactly as received (null for the seeded demo tasks).</summary>
    public JsonNode? Request { get; init; }

    public bool IsDemo { get; init; }

    /// <summary>Some real failures never get a completeTime; a demo task shows that.</summary>
    public bool OmitCompleteTime { get; init; }

    /// <summary>Set once by the callback loop, so each final task is delivered once (plus its retries).</summary>
    private int _callbackClaimed;

    public bool Succeeds => !Directives.Fail;

    public DateTimeOffset GeneratingAt => CreatedAt + Waiting;
    public DateTimeOffset CompletedAt => CreatedAt + Waiting + Generating;

    public TaskPhase PhaseAt(DateTimeOffset now) =>
        now < GeneratingAt ? TaskPhase.Waiting
        : now < CompletedAt ? TaskPhase.Generating
        : TaskPhase.Final;

    public bool IsFinalAt(DateTimeOffset now) => PhaseAt(now) == TaskPhase.Final;

    public bool HasSucceededAt(DateTimeOffset now) => Succeeds && IsFinalAt(now);

    /// <summary>The status word recordInfo reports at <paramref name="now"/>.</summary>
    public string StatusAt(DateTimeOffset now) => PhaseAt(now) switch
    {
        TaskPhase.Waiting => Directives.StatusOverride ?? "waiting",
        TaskPhase.Generating => Directives.StatusOverride ?? "generating",
        _ => Succeeds ? "success" : "fail",
    };

    /// <summary>Time of the last state change (what updateTime reports).</summary>
    public DateTimeOffset UpdatedAt(DateTimeOffset now) => PhaseAt(now) switch
    {
        TaskPhase.Waiting => CreatedAt,
        TaskPhase.Generating => GeneratingAt,
        _ => CompletedAt,
    };

    /// <summary>The error value of a failed task: a string for "#fail", an object for "#fail:CODE".</summary>
    public JsonNode? ErrorNode()
    {
        if (Succeeds) return null;
        if (Directives.FailCode is null) return JsonValue.Create("Task execution failed");
        var (code, message) = TaskDirectives.FailureFor(Directives.FailCode);
        return new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
        };
    }

    /// <summary>True exactly once, for the caller that gets to send the callback.</summary>
    public bool TryClaimCallback() => Interlocked.Exchange(ref _callbackClaimed, 1) == 0;

    /// <summary>Output size for a ratio, at 720p unless outputResolution asks for 480p or 1080p.</summary>
    public static (int Width, int Height) Dimensions(string ratio, string? resolution)
    {
        var shortSide = resolution switch { "480p" => 480, "1080p" => 1080, _ => 720 };
        var (w, h) = ratio switch
        {
            "9:16" => (9, 16),
            "1:1" => (1, 1),
            "4:3" => (4, 3),
            "3:4" => (3, 4),
            "21:9" => (21, 9),
            _ => (16, 9),
        };
        // Long side rounded to an even number, as encoders require (16:9 at 480p gives 854x480).
        int Long(int a, int b) => (int)Math.Round(shortSide * (double)a / b / 2, MidpointRounding.AwayFromZero) * 2;
        return w >= h ? (Long(w, h), shortSide) : (shortSide, Long(h, w));
    }
}
