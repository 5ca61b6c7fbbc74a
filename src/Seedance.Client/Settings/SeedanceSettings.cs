using System;
using Seedance.Client.Http;
using Seedance.Client.Pricing;

namespace Seedance.Client.Settings
{
    /// <summary>
    /// The settings of one scope: the process's, one runspace's (Set-SeedanceApiKey -Scope Process|Runspace,
    /// Set-SeedanceConfiguration), or the user's stored file (<see cref="StoredSettings"/>). Null means not set
    /// there: the layer below applies (<see cref="LayeredSettings"/> does the layered lookup).
    /// </summary>
    /// <remarks>
    /// A published instance is never changed: runspaces on other threads read the current one without a lock, so a
    /// change copies it (<see cref="With"/>) and they see all of a call or none of it.
    /// To add a setting: a property here; a parameter on Set-SeedanceConfiguration that checks the value before
    /// anything is set; its reader and writer in <see cref="StoredSettings"/>; a property on <see cref="LayeredSettings"/>
    /// with its source, and a line in the format file's configuration view.
    /// </remarks>
    internal sealed class SeedanceSettings
    {
        /// <summary>The range of -RequestTimeout (seconds), for the parameter and the stored settings alike.</summary>
        public const int MinRequestTimeoutSeconds = 1;
        public const int MaxRequestTimeoutSeconds = SeedanceClientOptions.MaxRequestTimeoutSeconds;

        public ApiKey? ApiKey { get; set; }
        public Uri? BaseUri { get; set; }
        public TimeSpan? RequestTimeout { get; set; }
        public PriceTable? PriceTable { get; set; }

        /// <summary>-RequestShape: the input names createTask is written with, whatever the host.</summary>
        public RequestShape? RequestShape { get; set; }

        /// <summary>-JournalPath: an absolute path (resolved when set), or 'off'.</summary>
        public string? JournalPath { get; set; }

        /// <summary>-DailyCreditLimit: credits the creates of the last 24 hours may take, all processes together.</summary>
        public decimal? DailyCreditLimit { get; set; }

        public bool IsEmpty =>
            ApiKey is null && BaseUri is null && RequestTimeout is null && PriceTable is null && RequestShape is null && JournalPath is null &&
            DailyCreditLimit is null;

        /// <summary>The one rule for a daily credit limit, wherever it is given (parameter, environment, stored file): 0 or more credits.</summary>
        public static bool IsValidLimit(decimal limit) => limit >= 0;

        /// <summary>A number of credits, 0 or more, in invariant notation (2000, 1500.5): SEEDANCE_DAILY_CREDIT_LIMIT's text.</summary>
        public static bool TryParseLimit(string text, out decimal limit) =>
            decimal.TryParse(text.Trim(), System.Globalization.NumberStyles.AllowDecimalPoint, System.Globalization.CultureInfo.InvariantCulture, out limit) &&
            IsValidLimit(limit);

        /// <summary>A copy with <paramref name="change"/> made to it.</summary>
        public SeedanceSettings With(Action<SeedanceSettings> change)
        {
            SeedanceSettings copy = (SeedanceSettings)MemberwiseClone();
            change(copy);
            return copy;
        }
    }
}
