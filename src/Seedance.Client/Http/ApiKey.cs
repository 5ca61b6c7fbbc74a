using System;

namespace Seedance.Client.Http
{
    /// <summary>
    /// Holds the API key so that it cannot leak by accident: ToString, debugger views and string formatting show
    /// a mask. Only <see cref="SeedanceClient"/> reads the value, to write the Authorization header.
    /// </summary>
    public sealed class ApiKey
    {
        private readonly string _value;

        public ApiKey(string value)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException("The API key is empty.", nameof(value));
            }

            _value = value.Trim();
        }

        /// <summary>Where the key was found (Session, Environment, CurrentUser store): safe to show.</summary>
        public string Source { get; set; } = "Unknown";

        internal string Reveal() => _value;

        /// <summary>True when <paramref name="text"/> contains the key; used to scrub text before it is shown.</summary>
        public bool IsIn(string? text) => IsSecretLength && text is not null && text.IndexOf(_value, StringComparison.Ordinal) >= 0;

        /// <summary>Masks the key in <paramref name="text"/>.</summary>
        /// <remarks>
        /// A "key" of a few characters (a test value like "k") is no secret, and masking every occurrence of it
        /// would garble ordinary words ("not ***nown"), so only keys of a real key's length are masked.
        /// </remarks>
        public string Redact(string text) => IsSecretLength ? text.Replace(_value, "***") : text;

        private bool IsSecretLength => _value.Length >= MinimumMaskedLength;

        private const int MinimumMaskedLength = 8;

        public override string ToString() => "***";
    }
}
