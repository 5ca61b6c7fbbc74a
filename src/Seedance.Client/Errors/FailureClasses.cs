using System;
using System.Collections.Generic;
using Seedance.Client.Models;

namespace Seedance.Client
{
    /// <summary>
    /// What a failed task's class says about sending the same request again. Text, not an enum, so a task exported
    /// with ConvertTo-Json or Export-Csv reads the same in Windows PowerShell 5.1 and PowerShell 7 (as Status does).
    /// </summary>
    public static class SeedanceFailureClass
    {
        /// <summary>The service failed on its side; the same request can succeed (failed tasks are refunded).</summary>
        public const string Transient = "Transient";

        /// <summary>The request itself was refused (prompt, a reference, a parameter): the same request fails again.</summary>
        public const string Input = "Input";

        /// <summary>The generated video did not pass the service's review: the same request may pass on a retry, or may not.</summary>
        public const string OutputModeration = "OutputModeration";

        /// <summary>The service's words do not say which: nothing is assumed.</summary>
        public const string Unknown = "Unknown";
    }

    /// <summary>One row of <see cref="FailureClasses"/>: a code (and words in its message) and the class they mean.</summary>
    public sealed class FailureClassRule
    {
        internal FailureClassRule(string? code, string? messageContains, string failureClass, string source)
        {
            Code = code;
            MessageContains = messageContains;
            Class = failureClass;
            Source = source;
        }

        /// <summary>The service's code this row matches ("500", "2038"); null for an error sent as bare text.</summary>
        public string? Code { get; }

        /// <summary>Words the message must contain (any case); null when the code alone decides.</summary>
        public string? MessageContains { get; }

        public string Class { get; }

        /// <summary>Where the meaning comes from, so a reader can check it against the service's pages.</summary>
        public string Source { get; }

        internal bool Matches(string? code, string message) =>
            string.Equals(Code, code, StringComparison.OrdinalIgnoreCase) &&
            (MessageContains is null || message.IndexOf(MessageContains, StringComparison.OrdinalIgnoreCase) >= 0);
    }

    /// <summary>
    /// The one table that says what a failed task's code and message mean: transient (send it again), input (change
    /// the request), output moderation (a retry may or may not pass) or unknown. Rows are read top to bottom and the
    /// first match wins, so a code whose meaning depends on its message ("500", "1001") lists its message rows before
    /// the row for the code alone. Anything not in the table is <see cref="SeedanceFailureClass.Unknown"/>: a new code
    /// is never guessed to be safe to pay for again.
    /// </summary>
    public static class FailureClasses
    {
        private const string FailureCodes = "shared/seedance-api.md, Failure codes (kinovi.ai docs)";
        private const string DemoTasks = "shared/seedance-api.md, Demo tasks";
        private const string Primary = "shared/seedance-api.md, The task object (primary docs: error is a string)";

        private static readonly FailureClassRule[] Table =
        {
            // "500": generic and documented as safe to resubmit, except when the service could not fetch a reference.
            new FailureClassRule("500", "failed to download", SeedanceFailureClass.Input, FailureCodes + ": \"Failed to download your reference video. Please replace it or try again.\""),
            new FailureClassRule("500", null, SeedanceFailureClass.Transient, FailureCodes + ": \"Generation failed. Please try again.\"; " + DemoTasks + ": demo_task_fail_server_error is \"safe to retry\""),

            // "1001" means four things; its message tells which.
            new FailureClassRule("1001", "temporarily unavailable", SeedanceFailureClass.Transient, FailureCodes + ": \"Service temporarily unavailable. Please try again later.\""),
            new FailureClassRule("1001", "did not pass review", SeedanceFailureClass.OutputModeration, FailureCodes + ": \"The generated video did not pass review...\""),
            new FailureClassRule("1001", "copyright", SeedanceFailureClass.OutputModeration, FailureCodes + ": \"...may violate platform or copyright rules...\""),
            new FailureClassRule("1001", "failed to download", SeedanceFailureClass.Input, FailureCodes + ": \"Failed to download your reference video...\""),
            new FailureClassRule("1001", "sensitive content", SeedanceFailureClass.Input, FailureCodes + ": \"Your uploaded video/image may contain sensitive content...\""),
            new FailureClassRule("1001", null, SeedanceFailureClass.Unknown, FailureCodes + ": 1001 with words not documented"),

            new FailureClassRule("asset_review_failed", null, SeedanceFailureClass.Input, FailureCodes + ": \"Reference image 1 failed review. Please replace it.\""),
            new FailureClassRule("InvalidParameter", null, SeedanceFailureClass.Input, FailureCodes + ": audio as the only reference; reference videos over the combined limit"),
            new FailureClassRule("2038", null, SeedanceFailureClass.Input, FailureCodes + ": \"Your input text violates platform rules. Please modify and try again.\""),
            new FailureClassRule("face_detected", null, SeedanceFailureClass.Input, DemoTasks + ": demo_task_fail_face_detected (a real face in an input image)"),

            new FailureClassRule(null, null, SeedanceFailureClass.Unknown, Primary + ": \"Task execution failed\""),
        };

        /// <summary>Every row, in the order they are tried.</summary>
        public static IReadOnlyList<FailureClassRule> Rules => Table;

        /// <summary>The row that decides this error's class; null when no row matches (the class is then Unknown).</summary>
        public static FailureClassRule? RuleFor(SeedanceTaskError? error)
        {
            if (error is null)
            {
                return null;
            }

            string? code = string.IsNullOrEmpty(error.Code) ? null : error.Code;
            foreach (FailureClassRule rule in Table)
            {
                if (rule.Matches(code, error.Message))
                {
                    return rule;
                }
            }

            return null;
        }

        /// <summary>The class of a failure: one of <see cref="SeedanceFailureClass"/>'s values.</summary>
        public static string Classify(SeedanceTaskError? error) => RuleFor(error)?.Class ?? SeedanceFailureClass.Unknown;

        /// <summary>"a transient failure", "an input failure"...: the class in the words of a message.</summary>
        public static string Describe(string failureClass) => MeaningOf(failureClass).Words;

        /// <summary>What to do about a failure of this class, in one sentence.</summary>
        public static string AdviceFor(string failureClass) => MeaningOf(failureClass).Advice;

        private static (string Words, string Advice) MeaningOf(string failureClass) =>
            Meanings.TryGetValue(failureClass, out (string, string) meaning) ? meaning : Meanings[SeedanceFailureClass.Unknown];

        private static readonly Dictionary<string, (string Words, string Advice)> Meanings = new Dictionary<string, (string, string)>
        {
            [SeedanceFailureClass.Transient] = ("a transient failure",
                "The service failed on its side (a transient failure; failed tasks are refunded): sending the same request again is safe."),
            [SeedanceFailureClass.Input] = ("an input failure",
                "The service refused the request itself: the same prompt and materials fail again, so change what the message names before creating the task again."),
            [SeedanceFailureClass.OutputModeration] = ("an output moderation failure",
                "The generated video did not pass the service's review: the same request may pass on another try or may not; changing the prompt is the surer way."),
            [SeedanceFailureClass.Unknown] = ("a failure of unknown class",
                "The service did not say whether trying again can help: check the prompt and materials against the service's rules, then submit a new task."),
        };
    }
}
