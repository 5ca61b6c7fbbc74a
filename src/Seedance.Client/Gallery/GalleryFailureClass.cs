using System;

namespace Seedance.Client.Gallery
{
    /// <summary>
    /// What kind of failure a failed row had, and whether sending it again can help, from the service's code and words.
    /// The mapping is the failure-code table of shared/seedance-api.md ("Failure codes"); a code it does not know is
    /// Unknown and the page shows the service's own words beside it.
    /// </summary>
    public static class GalleryFailureClass
    {
        public const string Prompt = "Prompt refused";
        public const string Input = "Input refused";
        public const string Moderation = "Output moderation";
        public const string Transient = "Transient";
        public const string Unknown = "Unknown";

        public static string Of(string? code, string? message)
        {
            string words = message ?? string.Empty;
            switch (code?.Trim())
            {
                case "2038":
                    return Prompt;
                case "asset_review_failed":
                case "InvalidParameter":
                case "face_detected":
                    return Input;
                case "500":
                    // "Generation failed. Please try again." is transient; "Failed to download your reference ..." is the input.
                    return Mentions(words, "download", "replace") ? Input : Transient;
                case "1001":
                    if (Mentions(words, "did not pass review", "violate"))
                    {
                        return Moderation;
                    }

                    return Mentions(words, "download", "sensitive", "uploaded") ? Input : Transient;
                default:
                    return Unknown;
            }
        }

        /// <summary>One line of advice for a class: what to do with the row.</summary>
        public static string AdviceFor(string failureClass) => failureClass switch
        {
            Prompt => "Change the prompt, then run the row again.",
            Input => "Replace the image or video it names, then run the row again.",
            Moderation => "The output did not pass review; a re-run may pass, or change the prompt.",
            Transient => "Safe to run again as it is.",
            _ => "Read the service's words below before running it again.",
        };

        private static bool Mentions(string text, params string[] words)
        {
            foreach (string word in words)
            {
                if (text.IndexOf(word, StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
