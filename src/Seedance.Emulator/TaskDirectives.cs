using System.Globalization;
using System.Text.RegularExpressions;

namespace Seedance.Emulator;

/// <summary>
/// Magic words in a prompt that steer one task, so tests can script outcomes through the public API alone:
/// <c>#fail</c> (error is the string "Task execution failed"), <c>#fail:CODE</c> (error is an object {code, message}),
/// <c>#status:WORD</c> (report WORD instead of waiting/generating while not final),
/// <c>#duration:S</c> (generating seconds for this task), <c>#waiting:S</c> (waiting seconds for this task),
/// <c>#source:S</c> (seconds of the source or reference video, for charges that settle after success),
/// <c>#settle:S</c> (seconds after success until creditsUsed shows the final charge).
/// </summary>
public sealed partial record TaskDirectives(bool Fail, string? FailCode, string? StatusOverride,
    double? GeneratingSeconds, double? WaitingSeconds, double? SourceSeconds = null, double? SettleSeconds = null)
{
    public static readonly TaskDirectives None = new(false, null, null, null, null);

    public static TaskDirectives Parse(string prompt)
    {
        var fail = FailRegex().Match(prompt);
        var status = StatusRegex().Match(prompt);
        return new TaskDirectives(
            Fail: fail.Success,
            FailCode: fail.Success && fail.Groups[1].Success ? fail.Groups[1].Value : null,
            StatusOverride: status.Success ? status.Groups[1].Value : null,
            GeneratingSeconds: Seconds(DurationRegex().Match(prompt)),
            WaitingSeconds: Seconds(WaitingRegex().Match(prompt)),
            SourceSeconds: Seconds(SourceRegex().Match(prompt)),
            SettleSeconds: Seconds(SettleRegex().Match(prompt)));
    }

    private static double? Seconds(Match m) =>
        m.Success && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
            ? s
            : null;

    /// <summary>The message the emulator pairs with a failure code (codes seen in the secondary docs).</summary>
    public static string MessageForCode(string code) => code switch
    {
        "2038" => "Input text violates platform rules",
        "500" => "Internal error, please resubmit",
        "asset_review_failed" => "Input asset failed content review",
        "face_detected" => "A real human face was detected in the input image",
        "InvalidParameter" => "Invalid parameter",
        _ => $"Task execution failed ({code})",
    };

    // "#fail" must not match "#failure"; a code is anything up to whitespace or punctuation that ends a sentence.
    [GeneratedRegex(@"#fail(?::([A-Za-z0-9_\-\.]*[A-Za-z0-9_\-]))?(?![A-Za-z0-9_])")]
    private static partial Regex FailRegex();

    [GeneratedRegex(@"#status:([A-Za-z0-9_\-]+)")]
    private static partial Regex StatusRegex();

    [GeneratedRegex(@"#duration:([0-9]+(?:\.[0-9]+)?)")]
    private static partial Regex DurationRegex();

    [GeneratedRegex(@"#waiting:([0-9]+(?:\.[0-9]+)?)")]
    private static partial Regex WaitingRegex();

    [GeneratedRegex(@"#source:([0-9]+(?:\.[0-9]+)?)")]
    private static partial Regex SourceRegex();

    [GeneratedRegex(@"#settle:([0-9]+(?:\.[0-9]+)?)")]
    private static partial Regex SettleRegex();
}
