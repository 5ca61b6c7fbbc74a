using System.Globalization;
using System.Text.RegularExpressions;

namespace Seedance.Emulator;

/// <summary>
/// Magic words in a prompt that steer one task, so tests can script outcomes through the public API alone:
/// <c>#fail</c> (error is the string "Task execution failed"), <c>#fail:CODE</c> (error is an object {code, message};
/// <c>#fail:1001.review</c> picks one of a code's documented messages), <c>#failfirst:N</c> (with #fail: only the first
/// N creates of this exact prompt fail, later ones succeed, as a transient failure does),
/// <c>#answerdelay:S</c> (the task is created at once, the createTask answer comes S seconds later),
/// <c>#status:WORD</c> (report WORD instead of waiting/generating while not final),
/// <c>#duration:S</c> (generating seconds for this task), <c>#waiting:S</c> (waiting seconds for this task),
/// <c>#source:S</c> (seconds of the source or reference video, for charges that settle after success),
/// <c>#settle:S</c> (seconds after success until creditsUsed shows the final charge).
/// </summary>
public sealed partial record TaskDirectives(bool Fail, string? FailCode, string? StatusOverride,
    double? GeneratingSeconds, double? WaitingSeconds, int? FailFirst = null, double? AnswerDelaySeconds = null,
    double? SourceSeconds = null, double? SettleSeconds = null)
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
            FailFirst: FailFirstRegex().Match(prompt) is { Success: true } first ? int.Parse(first.Groups[1].Value, CultureInfo.InvariantCulture) : null,
            AnswerDelaySeconds: Seconds(AnswerDelayRegex().Match(prompt)),
            SourceSeconds: Seconds(SourceRegex().Match(prompt)),
            SettleSeconds: Seconds(SettleRegex().Match(prompt)));
    }

    private static double? Seconds(Match m) =>
        m.Success && double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s)
            ? s
            : null;

    /// <summary>
    /// The code and message of a "#fail:CODE" failure. CODE may carry a variant after a dot ("1001.review"), because
    /// the service documents one code with several meanings told apart only by the message (shared/seedance-api.md,
    /// "Failure codes"): the code sent is the part before the dot, the message is the documented one for the variant.
    /// </summary>
    public static (string Code, string Message) FailureFor(string directive)
    {
        int dot = directive.IndexOf('.');
        string code = dot < 0 ? directive : directive[..dot];
        return (code, directive switch
        {
            "2038" => "Your input text violates platform rules. Please modify and try again.",
            "500" => "Generation failed. Please try again.",
            "500.download" or "1001.download" => "Failed to download your reference video. Please replace it or try again.",
            "1001" => "Service temporarily unavailable. Please try again later.",
            "1001.sensitive" => "Your uploaded video/image may contain sensitive content. Please replace it and try again.",
            "1001.review" => "The generated video did not pass review. Please modify the prompt and try again.",
            "1001.copyright" => "The generated video may violate platform or copyright rules. Please modify the prompt and try again.",
            "asset_review_failed" => "Reference image 1 failed review. Please replace it.",
            "face_detected" => "A real human face was detected in the input image",
            "InvalidParameter" => "Audio cannot be the only reference.",
            _ => $"Task execution failed ({code})",
        });
    }

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

    [GeneratedRegex(@"#failfirst:([0-9]{1,4})")]
    private static partial Regex FailFirstRegex();

    [GeneratedRegex(@"#answerdelay:([0-9]+(?:\.[0-9]+)?)")]
    private static partial Regex AnswerDelayRegex();
}
