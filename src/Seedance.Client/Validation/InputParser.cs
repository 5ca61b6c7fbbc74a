using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Seedance.Client.Models;
using Seedance.Client.Pricing;

namespace Seedance.Client.Validation
{
    /// <summary>
    /// Turns what a user typed, or what a CSV cell held, into request values. The cmdlets take these values as text
    /// on purpose: a typed parameter that PowerShell cannot convert fails during binding with PowerShell's own error
    /// id and no target, and when the value comes from the pipeline it is dropped without a word, so the default
    /// (5 s, no callback) would be used, and paid for, instead of what the row asked for.
    /// </summary>
    public static class InputParser
    {
        /// <summary>The advice for a duration, from the model's range in the catalog (none: any whole number).</summary>
        private static string DurationAdvice(ModelSpec? spec) => spec?.MinDuration is int min && spec.MaxDuration is int max
            ? $"Give a whole number of seconds from {min} to {max}, e.g. -Duration 8."
            : "Give a whole number of seconds, e.g. -Duration 8.";

        private static string Range(ModelSpec? spec) => spec?.MinDuration is int min && spec.MaxDuration is int max
            ? $"a {spec.Name} video is {min} to {max} seconds"
            : "a video is a whole number of seconds";

        /// <summary>
        /// "8", " 8 ", "8s", "8.0" → 8. Null when it parses (the range is checked by the validator); otherwise why not,
        /// with the text exactly as given as the target.
        /// </summary>
        public static ValidationFailure? ParseDuration(string? text, out int seconds) => ParseDuration(text, out seconds, PriceTable.Default.Model(PriceTable.Default.DefaultModel));

        /// <summary>As <see cref="ParseDuration(string?, out int)"/>, with advice from <paramref name="spec"/>'s range.</summary>
        public static ValidationFailure? ParseDuration(string? text, out int seconds, ModelSpec? spec)
        {
            string advice = DurationAdvice(spec);
            seconds = 0;
            string number = (text ?? string.Empty).Trim();
            if (number.Length == 0)
            {
                return DurationFailure(text, $"Duration is empty. {advice}");
            }

            if (number.EndsWith("s", StringComparison.OrdinalIgnoreCase))
            {
                // The API's own notation ("8s") is accepted too.
                number = number.Substring(0, number.Length - 1).TrimEnd();
            }

            if (int.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out seconds))
            {
                return null;
            }

            if (decimal.TryParse(number, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out decimal value))
            {
                if (value != decimal.Truncate(value))
                {
                    // PowerShell would have rounded 8.5 to 8 without a word; a fraction is refused instead.
                    return DurationFailure(text, $"Duration '{text}' is not a whole number of seconds. {advice}");
                }

                if (value >= int.MinValue && value <= int.MaxValue)
                {
                    seconds = (int)value;
                    return null;
                }

                return DurationFailure(text, $"Duration '{text}' is out of range: {Range(spec)}. {advice}");
            }

            return DurationFailure(text, $"Duration '{text}' is not a number of seconds. {advice}");
        }

        /// <summary>
        /// Separators between materials in one value: ';' always, and ',' or whitespace (newlines too) before another
        /// http(s):// URL. A comma inside a URL (image CDNs use them), or a space inside one (a mistake the validator
        /// reports as UrlHasWhitespace) or in a local file name, stays where it is.
        /// </summary>
        private static readonly Regex Separator = new Regex(@"\s*;\s*|[,\s]+(?=https?://)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        /// <summary>
        /// Material values as users write them, above all in CSV cells: "https://a/1.png;https://a/2.png" (or with ',',
        /// spaces or newlines before the next URL) is two URLs, and "./cat.png;./dog.png" two local files. The one value
        /// never split is the full path of a file that exists as given (a FileInfo arrives as its path, and a file name
        /// may contain ';'). Blank values are dropped (a blank cell means no material). Whether each part is valid is
        /// the validator's question.
        /// </summary>
        public static string[] SplitMaterials(IEnumerable<string?>? values)
        {
            List<string> parts = new List<string>();
            foreach (string? value in values ?? Enumerable.Empty<string?>())
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    continue;
                }

                string text = TrimAround(value!);
                foreach (string part in IsOneExistingFile(text) ? new[] { text } : Separator.Split(text))
                {
                    string trimmed = TrimAround(part);
                    if (trimmed.Length > 0)
                    {
                        parts.Add(trimmed);
                    }
                }
            }

            return parts.ToArray();
        }

        /// <summary>
        /// What is trimmed from around a URL or a path: the spaces, tabs and line ends a CSV cell or a paste brings. Not the
        /// other whitespace (U+0085, U+2028, U+00A0): trimmed, it would vanish without a word, so it stays and is refused
        /// (UrlHasWhitespace) as it is inside a URL.
        /// </summary>
        private static readonly char[] AsciiSpace = { ' ', '\t', '\r', '\n' };

        /// <summary>A URL or path without the <see cref="AsciiSpace"/> around it: the one trim of every way a URL comes in.</summary>
        internal static string TrimAround(string text) => text.Trim(AsciiSpace);

        private static bool IsOneExistingFile(string text)
        {
            try
            {
                return text.IndexOf("://", StringComparison.Ordinal) < 0 && Path.IsPathRooted(text) && File.Exists(text);
            }
            catch (ArgumentException)
            {
                return false; // characters no path may hold: a list to split, and each part the validator's question
            }
        }

        /// <summary>A blank value (an empty CSV cell, or a parameter given as '') means the default, like a blank Image cell.</summary>
        public static string OrDefault(string? value, string defaultValue) =>
            string.IsNullOrWhiteSpace(value) ? defaultValue : value!.Trim();

        /// <summary>The message for a duration that is a number but out of range.</summary>
        public static string DurationOutOfRange(int seconds, ModelSpec spec) =>
            $"Duration {seconds} is out of range: {Range(spec)}. {DurationAdvice(spec)}";

        /// <summary>
        /// The longest callback taken. The API documents no limit; 2,048 characters is the length URLs are known to work
        /// at across web servers, proxies and browsers (many refuse a longer request line), and a webhook URL, secret
        /// token included, is a few hundred. A longer one is a pasted blob, which the service would store with every
        /// task and post to (or refuse) only after the task is paid for.
        /// </summary>
        public const int MaxCallbackLength = 2048;

        /// <summary>
        /// The one gate of a callback: blank → no callback (null, no failure); otherwise the absolute http(s) URI, or why
        /// not, with the text as given as the target: CallbackUriTooLong (over <see cref="MaxCallbackLength"/>),
        /// InvalidCallbackUri, or the URL's misshapen form (whitespace, a control character, a second scheme,
        /// credentials, a host not in ASCII: <see cref="CreateTaskRequestValidator.Misshapen"/>).
        /// </summary>
        public static ValidationFailure? ParseCallbackUri(string? text, out Uri? uri)
        {
            uri = null;
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            string url = TrimAround(text!);
            if (url.Length > MaxCallbackLength)
            {
                return new ValidationFailure("CallbackUriTooLong", "CallbackUri", text,
                    $"The callback URI is {url.Length:N0} characters long; at most {MaxCallbackLength:N0} are taken, as longer URLs are " +
                    "refused by many web servers. Give the URL of the endpoint itself and keep data out of it, or leave -CallbackUri out and use Wait-SeedanceTask.");
            }

            if (!UrlChecks.IsWebUrl(url, out Uri? parsed))
            {
                return new ValidationFailure("InvalidCallbackUri", "CallbackUri", text,
                    $"Callback URI '{text}' is not an absolute http(s) URL, and the service can only POST the finished task to one. " +
                    "Give a public https:// URL that accepts POST, or leave -CallbackUri out and use Wait-SeedanceTask.");
            }

            ValidationFailure? misshapen = CreateTaskRequestValidator.Misshapen(url, "CallbackUri", "callback");
            uri = misshapen is null ? parsed : null;
            return misshapen;
        }

        /// <summary>
        /// A duration given as something that is not seconds (true, a date...): InvalidDuration with the value as given.
        /// Text is read with <see cref="ParseDuration(string?, out int, ModelSpec?)"/> first, for its more precise message.
        /// </summary>
        public static ValidationFailure DurationFailure(object given, ModelSpec? spec) =>
            ParseDuration(Convert.ToString(given, CultureInfo.InvariantCulture), out _, spec) is ValidationFailure parsed && given is string
                ? parsed
                : new ValidationFailure("InvalidDuration", "Duration", given, $"Duration '{Convert.ToString(given, CultureInfo.InvariantCulture)}' is not a whole number of seconds. {DurationAdvice(spec)}");

        private static ValidationFailure DurationFailure(string? text, string message) =>
            new ValidationFailure("InvalidDuration", "Duration", text, message);
    }
}
