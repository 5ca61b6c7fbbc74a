using System;
using System.Text;
using System.Text.RegularExpressions;

namespace Seedance.Client.Http
{
    /// <summary>
    /// Holds the API key so that it cannot leak by accident: ToString, debugger views and string formatting show
    /// a mask. Only <see cref="SeedanceClient"/> reads the value, to write the Authorization header.
    /// </summary>
    public sealed class ApiKey
    {
        /// <summary>What replaces the key in text. A download URL that contains it is refused (the key was there).</summary>
        public const string Mask = "***";

        private const int MinimumMaskedLength = 8;

        private readonly string _value;
        private Regex? _anyForm;

        public ApiKey(string value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException("The API key is empty.", nameof(value));
            }

            _value = value.Trim();
        }

        internal string Reveal() => _value;

        /// <summary>
        /// Why <paramref name="key"/> cannot be used (it would fail later, as a raw FormatException, when written into the
        /// Authorization header), or null. Never repeats the key: only what is wrong and where.
        /// </summary>
        public static string? Problem(string? key)
        {
            string trimmed = (key ?? string.Empty).Trim();
            for (int i = 0; i < trimmed.Length; i++)
            {
                char c = trimmed[i];
                string? what = c < ' ' || c == '\u007f' ? "a control character"
                    : c > '~' ? "a non-ASCII character"
                    : c == ' ' ? "a space"
                    : null;
                if (what is not null)
                {
                    return $"The API key contains {what} at position {i + 1} of {trimmed.Length}. A Seedance key is plain ASCII without spaces: " +
                        "copy the key alone from your account (not 'Bearer ...', no line breaks) and set it again.";
                }
            }

            return null;
        }

        /// <summary>True when <paramref name="text"/> contains the key in any form <see cref="Redact"/> masks.</summary>
        public bool IsIn(string? text) => IsSecretLength && text is not null && AnyForm.IsMatch(text);

        /// <summary>
        /// Masks the key in <paramref name="text"/> wherever it comes back: as it is, in any letter case, JSON-escaped
        /// (\u002d, \/), percent-encoded (up to three times), as HTML character references, or any mixture of these.
        /// </summary>
        /// <remarks>
        /// A "key" of a few characters (a test value like "k") is no secret, and masking every occurrence of it
        /// would garble ordinary words ("not ***nown"), so only keys of a real key's length are masked.
        /// </remarks>
        public string Redact(string text) => IsSecretLength ? AnyForm.Replace(text, Mask) : text;

        public override string ToString() => Mask;

        private bool IsSecretLength => _value.Length >= MinimumMaskedLength;

        private Regex AnyForm => _anyForm ??= BuildPattern(_value);

        /// <summary>One alternation per character of the key: the character itself or any encoding of it.</summary>
        private static Regex BuildPattern(string key)
        {
            StringBuilder pattern = new StringBuilder();
            foreach (char c in key)
            {
                pattern.Append("(?:").Append(Regex.Escape(c.ToString()));
                if (c < 0x80)
                {
                    string hex = ((int)c).ToString("x2");
                    pattern.Append("|%(?:25){0,2}").Append(hex)
                        .Append(@"|\\u00").Append(hex)
                        .Append("|&#x0*").Append(hex).Append(';')
                        .Append("|&#0*").Append((int)c).Append(';');
                    if (c == '"' || c == '\\' || c == '/')
                    {
                        pattern.Append(@"|\\").Append(Regex.Escape(c.ToString()));
                    }
                }

                pattern.Append(')');
            }

            return new Regex(pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        }
    }
}
