using System;
using System.Globalization;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Pricing;

namespace Seedance.Client.Settings
{
    /// <summary>
    /// Where the API is, which key to use, the other settings, and where each came from. Resolved highest first:
    /// this runspace's own settings (-Scope Runspace); the process's (Set-SeedanceApiKey -Scope Process,
    /// Set-SeedanceConfiguration), which every runspace shares; the environment (SEEDANCE_API_KEY,
    /// SEEDANCE_BASE_URI, SEEDANCE_JOURNAL_PATH, SEEDANCE_DAILY_CREDIT_LIMIT); what is stored for the current user
    /// (the key store; Set-SeedanceConfiguration -Scope CurrentUser's settings file), which every new process reads;
    /// the defaults. A setting with no environment variable goes from the process's straight to the stored one.
    /// A value that cannot be used is kept with the reason (the *Problem properties), so that the cmdlets that need it
    /// stop before any create and Get-SeedanceConfiguration can show it. The PowerShell layer's SeedanceConfiguration
    /// gathers the layers (the runspace's and the process's live there) and adds what only PowerShell holds (the uploader).
    /// </summary>
    public class LayeredSettings
    {
        public const string KeyVariable = "SEEDANCE_API_KEY";
        public const string BaseUriVariable = "SEEDANCE_BASE_URI";
        public const string JournalPathVariable = "SEEDANCE_JOURNAL_PATH";
        public const string DailyCreditLimitVariable = "SEEDANCE_DAILY_CREDIT_LIMIT";
        public const string CreateStopGraceVariable = "SEEDANCE_CREATE_STOP_GRACE";

        private const string Default = "Default";
        private const string FromEnvironment = "Environment";

        private readonly SeedanceSettings? _runspace;
        private readonly SeedanceSettings _process;
        private readonly Func<string, string?> _environment;

        /// <param name="runspace">The calling runspace's own settings, or null when there is no runspace.</param>
        /// <param name="process">The settings every runspace of the process shares.</param>
        /// <param name="stored">The user's stored settings (read from disk here).</param>
        /// <param name="environment">Reads an environment variable.</param>
        /// <param name="storedKey">Reads the key stored for the user: called only when no layer above sets one.</param>
        internal LayeredSettings(SeedanceSettings? runspace, SeedanceSettings process, StoredSettings stored, Func<string, string?> environment, Func<string?> storedKey)
        {
            _runspace = runspace;
            _process = process;
            _environment = environment;
            SettingsPath = stored.FilePath;
            KeyStorePath = stored.Folder.KeyFile;
            Stored = stored.Read(out string? storedProblem);
            SettingsProblem = storedProblem;
            CreateStopGrace =
                double.TryParse(environment(CreateStopGraceVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0 && seconds <= 14
                    ? TimeSpan.FromSeconds(seconds)
                    : SeedanceClientOptions.DefaultCreateStopGrace;
            ResolveKey(storedKey);
            ResolveBaseUri();
            ResolveJournal();
            RequestTimeoutSource = Find(settings => settings.RequestTimeout, null, out object? timeout, out _) ?? Default;
            RequestTimeout = (TimeSpan?)timeout ?? RequestTimeout;
            PriceTableSource = Find(settings => settings.PriceTable, null, out object? prices, out _) ?? Default;
            PriceTable = (PriceTable?)prices ?? PriceTable.Default;
            RequestShapeSource = Find(settings => settings.RequestShape, null, out object? shape, out _) ?? "Host";
            ShapeSetting = (RequestShape?)shape;
        }

        /// <summary>The base URI configured, even when it is unusable (then <see cref="BaseUriProblem"/> says why).</summary>
        public Uri? BaseUri { get; private set; }

        /// <summary>Runspace, Process, Environment, CurrentUser or Default.</summary>
        public string BaseUriSource { get; private set; } = Default;

        /// <summary>Runspace, Process, Environment, CurrentUser or None. The key itself is never shown.</summary>
        public string ApiKeySource => ApiKeyForRequests?.Source ?? "None";

        public bool HasApiKey => ApiKeyForRequests is not null;
        public string KeyStorePath { get; }

        /// <summary>The file of the settings stored for the current user (Set-SeedanceConfiguration -Scope CurrentUser).</summary>
        public string SettingsPath { get; }

        /// <summary>Why the stored settings file cannot be used (the commands stop with InvalidStoredConfiguration), or null.</summary>
        public string? SettingsProblem { get; }

        /// <summary>The per-request timeout: 100 s unless set.</summary>
        public TimeSpan RequestTimeout { get; private set; } = TimeSpan.FromSeconds(100);

        /// <summary>Runspace, Process, CurrentUser or Default.</summary>
        public string RequestTimeoutSource { get; private set; } = Default;

        /// <summary>The prices -WhatIf and Get-SeedanceCreditCost use: "built-in", or the file given to -PriceTable.</summary>
        public PriceTable PriceTable { get; private set; } = PriceTable.Default;

        /// <summary>Runspace, Process, CurrentUser or Default.</summary>
        public string PriceTableSource { get; private set; } = Default;

        /// <summary>
        /// The input names createTask is written with (Seed: urls/ratio/"8s"; Kinovi: imageUrls/aspectRatio/8/audioUrls):
        /// the setting, or else the base URI host's (kinovi.ai: Kinovi; seedance2-pro.com and any other: Seed).
        /// </summary>
        public RequestShape RequestShape => ShapeSetting ?? (BaseUri is not null && BaseUri.IsAbsoluteUri ? RequestShape.ForHost(BaseUri) : RequestShape.Seed);

        /// <summary>Runspace, Process or CurrentUser (set), or Host (chosen from the base URI's host).</summary>
        public string RequestShapeSource { get; private set; } = "Host";

        /// <summary>Why <see cref="BaseUri"/> cannot be used (requests stop with InvalidBaseUri), or null when it can.</summary>
        public string? BaseUriProblem { get; private set; }

        /// <summary>The task journal file, or 'off' (then nothing is journaled); see <see cref="JournalPathSource"/>.</summary>
        public string JournalPath => JournalLocation?.ToString() ?? JournalPathGiven;

        /// <summary>Runspace, Process, Environment, CurrentUser or Default (the platform's own place).</summary>
        public string JournalPathSource { get; private set; } = Default;

        /// <summary>Credits the creates of the last 24 hours may take, every process together; null: no limit.</summary>
        public decimal? DailyCreditLimit { get; private set; }

        /// <summary>Runspace, Process, Environment, CurrentUser or Default (no limit).</summary>
        public string DailyCreditLimitSource { get; private set; } = Default;

        internal ApiKey? ApiKeyForRequests { get; private set; }

        /// <summary>The journal, or <see cref="JournalLocation.Disabled"/> for 'off'; null when the value is unusable (<see cref="JournalPathProblem"/>).</summary>
        internal JournalLocation? JournalLocation { get; private set; }

        /// <summary>The journal path as configured (shown when it cannot be used).</summary>
        internal string JournalPathGiven { get; private set; } = string.Empty;

        internal string? JournalPathProblem { get; private set; }

        /// <summary>Why SEEDANCE_DAILY_CREDIT_LIMIT cannot be used; creates stop while it is wrong (a limit the user meant must not silently vanish).</summary>
        internal string? DailyCreditLimitProblem { get; private set; }

        /// <summary>
        /// SEEDANCE_CREATE_STOP_GRACE: seconds a stopped command still waits for the answer to a create already sent (0 to
        /// 14, default 10; a stop's cleanup is waited for at most 15 s). Anything else is the default: the safe side.
        /// </summary>
        internal TimeSpan CreateStopGrace { get; }

        private RequestShape? ShapeSetting { get; set; }

        /// <summary>The settings stored for the current user (<see cref="StoredSettings"/>): the last layer before the defaults.</summary>
        private SeedanceSettings Stored { get; }

        /// <summary>
        /// The one layered lookup: where a setting's value comes from (this runspace's, the process's, else the
        /// environment's when <paramref name="variable"/> is set: its text in <paramref name="environmentText"/>, for the
        /// caller to read, else the stored one), and the value in <paramref name="value"/>. Null when none is set: the default holds.
        /// </summary>
        private string? Find(Func<SeedanceSettings, object?> setting, string? variable, out object? value, out string? environmentText)
        {
            environmentText = null;
            if (_runspace is not null && (value = setting(_runspace)) is not null)
            {
                return "Runspace";
            }

            if ((value = setting(_process)) is not null)
            {
                return "Process";
            }

            if (variable is not null && _environment(variable) is string text && text.Trim().Length > 0)
            {
                environmentText = text;
                return FromEnvironment;
            }

            return (value = setting(Stored)) is not null ? StoredSettings.Scope : null;
        }

        /// <summary>The key stored for the current user is in the key store, not in the settings file: it takes the stored layer's place.</summary>
        private void ResolveKey(Func<string?> storedKey)
        {
            string? source = Find(settings => settings.ApiKey, KeyVariable, out object? key, out string? fromEnvironment);
            ApiKeyForRequests = fromEnvironment is not null ? new ApiKey(fromEnvironment) { Source = FromEnvironment }
                : source is not null ? (ApiKey)key!
                : storedKey() is string stored ? new ApiKey(stored) { Source = StoredSettings.Scope }
                : null;
        }

        private void ResolveBaseUri()
        {
            string? source = Find(settings => settings.BaseUri, BaseUriVariable, out object? setting, out string? text);
            Uri? baseUri = (Uri?)setting;
            BaseUriSource = source ?? Default;
            if (text is not null)
            {
                // Kept even when relative or unusable, so the error and Get-SeedanceConfiguration can show it.
                Uri.TryCreate(text.Trim(), UriKind.RelativeOrAbsolute, out baseUri);
                string? why = baseUri is null ? $"it is not a URI; use e.g. {SeedanceClientOptions.DefaultBaseUri}." : BaseUriPolicy.Check(baseUri);
                BaseUriProblem = why is null ? null : $"{BaseUriVariable} is '{(baseUri is null ? text : Validation.UrlChecks.Displayable(baseUri.OriginalString))}': {why}";
            }

            // A base URI with user info is refused (InvalidBaseUri) and never used: shown without it, since this
            // object is what Get-SeedanceConfiguration prints and runbooks log.
            BaseUri = baseUri is not null && baseUri.IsAbsoluteUri && !string.IsNullOrEmpty(baseUri.UserInfo) && BaseUriProblem is not null
                ? new Uri(Validation.UrlChecks.Displayable(baseUri.OriginalString))
                : baseUri ?? (source is null ? SeedanceClientOptions.DefaultBaseUri : null);
        }

        private void ResolveJournal()
        {
            string? source = Find(settings => settings.JournalPath, JournalPathVariable, out object? path, out string? pathText);
            JournalPathSource = source ?? Default;
            JournalPathGiven = pathText ?? (string?)path ?? string.Empty;
            try
            {
                JournalLocation = JournalLocation.Resolve(source is null ? null : JournalPathGiven);
            }
            catch (JournalException e)
            {
                JournalPathProblem = pathText is null ? e.Message : $"{JournalPathVariable} is '{pathText}': {e.Message}";
            }

            DailyCreditLimitSource = Find(settings => settings.DailyCreditLimit, DailyCreditLimitVariable, out object? limit, out string? limitText) ?? Default;
            if (limitText is null)
            {
                DailyCreditLimit = (decimal?)limit;
            }
            else if (SeedanceSettings.TryParseLimit(limitText, out decimal parsed))
            {
                DailyCreditLimit = parsed;
            }
            else
            {
                DailyCreditLimitProblem = $"{DailyCreditLimitVariable} is '{limitText.Trim()}', which is not a number of credits (0 or more, e.g. 2000). " +
                    "Correct it, or remove it for no limit.";
            }
        }
    }
}
