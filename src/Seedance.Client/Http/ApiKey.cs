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
        public bool IsIn(string? text) => text is not null && text.IndexOf(_value, StringComparison.Ordinal) >= 0;

        public string Redact(string text) => text.Replace(_value, "***");

        public override string ToString() => "***";
    }
}
