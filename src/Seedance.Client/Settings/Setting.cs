using System;
using System.Globalization;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Pricing;

namespace Seedance.Client.Settings
{
    /// <summary>
    /// One setting, declared once: its name (Set-SeedanceConfiguration's parameter, the key in the stored settings file,
    /// Get-SeedanceConfiguration's property with its ...Source beside it), its environment variable, the one check its
    /// text passes wherever it comes from (the environment and the stored file are both hostile input), how it is
    /// stored, and its default. <see cref="StoredSettings"/>, <see cref="LayeredSettings"/> and Set-/Get-SeedanceConfiguration
    /// all read this table.
    /// </summary>
    /// <remarks>
    /// To add a setting: declare it here and in <see cref="All"/>; give Set-SeedanceConfiguration a parameter of the same
    /// name (its value checked in the cmdlet's <c>Checked</c>), LayeredSettings a typed property and its Source, and the
    /// format file's configuration view a line.
    /// </remarks>
    internal sealed class Setting
    {
        /// <summary>The range of -RequestTimeout (seconds), for the parameter and the stored settings alike.</summary>
        public const int MinRequestTimeoutSeconds = 1;
        public const int MaxRequestTimeoutSeconds = SeedanceClientOptions.MaxRequestTimeoutSeconds;

        /// <summary>The key: never in the settings file (Set-SeedanceApiKey -Scope CurrentUser keeps it apart, encrypted on Windows).</summary>
        public static readonly Setting ApiKey = new Setting(nameof(ApiKey), "SEEDANCE_API_KEY", "the Seedance API key", "a key",
            (text, _) => new Http.ApiKey(text), store: null);

        public static readonly Setting BaseUri = new Setting(nameof(BaseUri), "SEEDANCE_BASE_URI", "the Seedance API base URI",
            $"an absolute URI such as {SeedanceClientOptions.DefaultBaseUri}", ReadBaseUri, value => ((Uri)value).OriginalString,
            errorId: "InvalidBaseUri", byDefault: () => SeedanceClientOptions.DefaultBaseUri);

        public static readonly Setting RequestTimeout = new Setting(nameof(RequestTimeout), null, "the Seedance per-request timeout",
            $"whole seconds from {MinRequestTimeoutSeconds} to {MaxRequestTimeoutSeconds}",
            (text, _) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int seconds) &&
                seconds >= MinRequestTimeoutSeconds && seconds <= MaxRequestTimeoutSeconds ? TimeSpan.FromSeconds(seconds) : null,
            value => (int)((TimeSpan)value).TotalSeconds, unit: " s", byDefault: () => TimeSpan.FromSeconds(100));

        /// <summary>Stored as the price table file's full path: every process loads and checks it.</summary>
        public static readonly Setting PriceTable = new Setting(nameof(PriceTable), null, "the Seedance price table",
            "the absolute path of a price table file", ReadPriceTable, value => ((Pricing.PriceTable)value).Name,
            errorId: "InvalidPriceTable", byDefault: () => Pricing.PriceTable.Default);

        /// <summary>The input names createTask is written with, whatever the host; unset, the base URI's host chooses ("Host").</summary>
        public static readonly Setting RequestShape = new Setting(nameof(RequestShape), null, "the Seedance request shape",
            "Seed or Kinovi (leave it out to choose by the host)", (text, _) => Http.RequestShape.Named(text), value => ((Http.RequestShape)value).Name,
            defaultSource: "Host");

        /// <summary>The journal (a <see cref="JournalLocation"/>), stored as its absolute path or 'off'; unset, the platform's own place.</summary>
        public static readonly Setting JournalPath = new Setting(nameof(JournalPath), "SEEDANCE_JOURNAL_PATH", "the Seedance task journal",
            $"an absolute path (or ~/...), or '{JournalLocation.OffValue}' to turn the journal off", ReadJournalPath, value => value.ToString(),
            errorId: "InvalidJournalPath", byDefault: () => JournalLocation.Resolve(null));

        /// <summary>Credits the creates of the last 24 hours may take, all processes together; in invariant notation (2000, 1500.5).</summary>
        public static readonly Setting DailyCreditLimit = new Setting(nameof(DailyCreditLimit), "SEEDANCE_DAILY_CREDIT_LIMIT", "the Seedance daily credit limit",
            "a number of credits, 0 or more (e.g. 2000); leave it out for no limit", (text, _) => TryParseLimit(text, out decimal limit) ? limit : null, value => value,
            errorId: "InvalidDailyCreditLimit", unit: " credits");

        /// <summary>Every setting, in the order the stored file is written.</summary>
        public static readonly Setting[] All = { ApiKey, BaseUri, RequestTimeout, PriceTable, RequestShape, JournalPath, DailyCreditLimit };

        private readonly Func<string, string, object?> _read;
        private readonly Func<object, object>? _store;

        private Setting(string name, string? variable, string what, string expected, Func<string, string, object?> read, Func<object, object>? store,
            string errorId = "", string? unit = null, Func<object?>? byDefault = null, string defaultSource = "Default")
        {
            (Name, Variable, What, Expected, ErrorId, Unit, DefaultSource) = (name, variable, what, expected, errorId, unit, defaultSource);
            Default = byDefault ?? (() => null);
            _read = read;
            _store = store;
        }

        /// <summary>Set-SeedanceConfiguration's parameter, the stored file's key, Get-SeedanceConfiguration's property.</summary>
        public string Name { get; }

        /// <summary>The environment variable that sets it between the process's and the stored value, or null.</summary>
        public string? Variable { get; }

        /// <summary>How Set-SeedanceConfiguration's ShouldProcess names it.</summary>
        public string What { get; }

        /// <summary>What a value must be, said when one is not.</summary>
        public string Expected { get; }

        /// <summary>The ErrorId of a value that cannot be used, given to Set-SeedanceConfiguration or met in the environment.</summary>
        public string ErrorId { get; }

        /// <summary>What a number is counted in (" s"), shown after it; null for the settings stored as text.</summary>
        public string? Unit { get; }

        /// <summary>The value when no layer sets it (null: none), and the source Get-SeedanceConfiguration shows for it.</summary>
        public Func<object?> Default { get; }

        public string DefaultSource { get; }

        /// <summary>Kept in the stored settings file (everything but the key).</summary>
        public bool IsStored => _store is not null;

        /// <summary>Stored as a JSON number rather than a string.</summary>
        public bool IsNumber => Unit is not null;

        /// <summary>The setting's value for <paramref name="text"/> (trimmed; null or empty breaks the rule), read from <paramref name="label"/>.</summary>
        /// <param name="shown">The text as the message quotes it: 'text' from the environment, the raw JSON from the stored file.</param>
        /// <exception cref="SettingException">The text breaks the setting's rule; the message names <paramref name="label"/>.</exception>
        public object Read(string? text, string label, string shown) =>
            (text is { Length: > 0 } ? _read(text, label) : null) ?? throw new SettingException($"{label} is {shown}, and it must be {Expected}.");

        /// <summary>The value as the stored file holds it: text, or a number.</summary>
        public object Stored(object value) => _store!(value);

        /// <summary>How Set-SeedanceConfiguration's ShouldProcess shows a value; null removes the scope's own.</summary>
        public string Show(object? value) => value is null ? "none of its own (the next layer's applies)" : $"{_store?.Invoke(value) ?? value}{Unit}";

        /// <summary>The one rule for a daily credit limit, wherever it is given (parameter, environment, stored file): 0 or more credits.</summary>
        public static bool IsValidLimit(decimal limit) => limit >= 0;

        /// <summary>A number of credits, 0 or more, in invariant notation (2000, 1500.5).</summary>
        public static bool TryParseLimit(string text, out decimal limit) =>
            decimal.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out limit) && IsValidLimit(limit);

        public override string ToString() => Name;

        private static object? ReadBaseUri(string text, string label)
        {
            if (!Uri.TryCreate(text, UriKind.RelativeOrAbsolute, out Uri? uri))
            {
                return null;
            }

            return BaseUriPolicy.Check(uri) is string problem ? throw new SettingException($"{label} is '{BaseUriPolicy.Displayable(uri)}': {problem}") : uri;
        }

        private static object? ReadPriceTable(string text, string label)
        {
            if (!System.IO.Path.IsPathRooted(text))
            {
                return null;
            }

            try
            {
                return Pricing.PriceTableFile.Load(text);
            }
            catch (PriceTableException e)
            {
                throw new SettingException($"{label}: {e.Message}");
            }
        }

        private static object? ReadJournalPath(string text, string label)
        {
            try
            {
                return JournalLocation.Resolve(text);
            }
            catch (JournalException e) when (e.Reason == JournalFailureReason.InvalidPath)
            {
                return null;
            }
        }
    }

    /// <summary>A setting's text breaks its rule; the message names where it came from and why.</summary>
    internal sealed class SettingException : Exception
    {
        public SettingException(string message)
            : base(message)
        {
        }
    }
}
