using System;
using System.Globalization;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Management.Automation;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Pricing;
using Seedance.Client.Settings;

namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// Where the API is, which key to use, the other settings, and where each came from. Resolved highest first:
    /// this runspace's own settings (-Scope Runspace); the process's (Set-SeedanceApiKey -Scope Process,
    /// Set-SeedanceConfiguration), which every runspace shares; the environment (SEEDANCE_API_KEY,
    /// SEEDANCE_BASE_URI, SEEDANCE_JOURNAL_PATH, SEEDANCE_DAILY_CREDIT_LIMIT); what is stored for the current user
    /// (the key store; Set-SeedanceConfiguration -Scope CurrentUser's settings file), which every new process reads;
    /// the defaults. A setting with no environment variable goes from the process's straight to the stored one.
    /// A value that cannot be used is kept with the reason (the *Problem properties), so that the cmdlets that need it
    /// stop before any create and Get-SeedanceConfiguration can show it.
    /// </summary>
    public sealed class SeedanceConfiguration
    {
        public const string KeyVariable = "SEEDANCE_API_KEY";
        public const string BaseUriVariable = "SEEDANCE_BASE_URI";
        public const string JournalPathVariable = "SEEDANCE_JOURNAL_PATH";
        public const string DailyCreditLimitVariable = "SEEDANCE_DAILY_CREDIT_LIMIT";
        public const string CreateStopGraceVariable = "SEEDANCE_CREATE_STOP_GRACE";

        private const string Default = "Default";
        private const string FromEnvironment = "Environment";

        private SeedanceConfiguration(StoredSettings file, SeedanceSettings stored, string? storedProblem)
        {
            SettingsPath = file.FilePath;
            Stored = stored;
            SettingsProblem = storedProblem;
        }

        /// <summary>The base URI configured, even when it is unusable (then <see cref="BaseUriProblem"/> says why).</summary>
        public Uri? BaseUri { get; private set; }

        /// <summary>Runspace, Process, Environment, CurrentUser or Default.</summary>
        public string BaseUriSource { get; private set; } = Default;

        /// <summary>Runspace, Process, Environment, CurrentUser or None. The key itself is never shown.</summary>
        public string ApiKeySource => ApiKeyForRequests?.Source ?? "None";

        public bool HasApiKey => ApiKeyForRequests is not null;
        public string KeyStorePath => ApiKeyStore.FilePath;

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

        /// <summary>The script block that uploads local materials (Set-SeedanceConfiguration -Uploader), or null: the service's upload endpoint.</summary>
        public ScriptBlock? Uploader { get; private set; }

        /// <summary>Where local materials go: Service (POST {base}/uploads) or ScriptBlock (the Uploader).</summary>
        public string UploadsVia => Uploader is null ? "Service" : "ScriptBlock";

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

        private static int _journalOffSaid;

        /// <summary>Why SEEDANCE_DAILY_CREDIT_LIMIT cannot be used; creates stop while it is wrong (a limit the user meant must not silently vanish).</summary>
        internal string? DailyCreditLimitProblem { get; private set; }

        /// <summary>
        /// SEEDANCE_CREATE_STOP_GRACE: seconds a stopped command still waits for the answer to a create already sent (0 to
        /// 14, default 10; a stop's cleanup is waited for at most 15 s). Anything else is the default: the safe side.
        /// </summary>
        internal TimeSpan CreateStopGrace { get; } =
            double.TryParse(Environment.GetEnvironmentVariable(CreateStopGraceVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) &&
            seconds >= 0 && seconds <= 14
                ? TimeSpan.FromSeconds(seconds)
                : SeedanceClientOptions.DefaultCreateStopGrace;

        private RequestShape? ShapeSetting { get; set; }

        /// <summary>The settings stored for the current user (<see cref="StoredSettings"/>): the last layer before the defaults.</summary>
        private SeedanceSettings Stored { get; }

        /// <summary>Reads the settings in force for the calling runspace (and the user's stored ones, from disk). Call on the pipeline thread.</summary>
        internal static SeedanceConfiguration Resolve()
        {
            StoredSettings file = StoredSettings.ForCurrentUser;
            SeedanceSettings stored = file.Read(out string? storedProblem);
            SeedanceConfiguration configuration = new SeedanceConfiguration(file, stored, storedProblem) { Uploader = SessionSettings.Uploader };
            configuration.ResolveKey();
            configuration.ResolveBaseUri();
            configuration.ResolveJournal();
            configuration.RequestTimeoutSource = configuration.Find(settings => settings.RequestTimeout, null, out object? timeout, out _) ?? Default;
            configuration.RequestTimeout = (TimeSpan?)timeout ?? configuration.RequestTimeout;
            configuration.PriceTableSource = configuration.Find(settings => settings.PriceTable, null, out object? prices, out _) ?? Default;
            configuration.PriceTable = (PriceTable?)prices ?? PriceTable.Default;
            configuration.RequestShapeSource = configuration.Find(settings => settings.RequestShape, null, out object? shape, out _) ?? "Host";
            configuration.ShapeSetting = (RequestShape?)shape;
            return configuration;
        }

        /// <summary>
        /// The one layered lookup: where a setting's value comes from (this runspace's, the process's, else the
        /// environment's when <paramref name="variable"/> is set: its text in <paramref name="environmentText"/>, for the
        /// caller to read, else the stored one), and the value in <paramref name="value"/>. Null when none is set: the default holds.
        /// </summary>
        private string? Find(Func<SeedanceSettings, object?> setting, string? variable, out object? value, out string? environmentText)
        {
            environmentText = null;
            if (SessionSettings.Runspace is SeedanceSettings runspace && (value = setting(runspace)) is not null)
            {
                return SessionSettings.Name(SettingScope.Runspace);
            }

            if ((value = setting(SessionSettings.Process)) is not null)
            {
                return SessionSettings.Name(SettingScope.Process);
            }

            if (variable is not null && Environment.GetEnvironmentVariable(variable) is string text && text.Trim().Length > 0)
            {
                environmentText = text;
                return FromEnvironment;
            }

            return (value = setting(Stored)) is not null ? StoredSettings.Scope : null;
        }

        /// <summary>The key stored for the current user is in the key store, not in the settings file: it takes the stored layer's place.</summary>
        private void ResolveKey()
        {
            string? source = Find(settings => settings.ApiKey, KeyVariable, out object? key, out string? fromEnvironment);
            ApiKeyForRequests = fromEnvironment is not null ? new ApiKey(fromEnvironment) { Source = FromEnvironment }
                : source is not null ? (ApiKey)key!
                : ApiKeyStore.Read() is string stored ? new ApiKey(stored) { Source = StoredSettings.Scope }
                : null;
            Commands.Infrastructure.SeedanceErrors.Remember(ApiKeyForRequests);
            if (ApiKeyForRequests?.Source != StoredSettings.Scope)
            {
                RememberStoredKey();
            }
        }

        private static int s_storedKeyRemembered;

        /// <summary>
        /// The stored key, when another one is in use (SEEDANCE_API_KEY, a session key): still a secret of this user that
        /// may come back in input (an old key in a CSV, a task id), so it is masked too. Read once per process; a store
        /// that cannot be read here is no reason to fail a command that does not use it.
        /// </summary>
        private static void RememberStoredKey()
        {
            if (Interlocked.Exchange(ref s_storedKeyRemembered, 1) == 1)
            {
                return;
            }

            try
            {
                if (ApiKeyStore.Read() is string stored)
                {
                    Commands.Infrastructure.SeedanceErrors.Remember(new ApiKey(stored));
                }
            }
            catch (Exception e) when (e is ApiKeyStoreInsecureException || e is IOException || e is UnauthorizedAccessException || e is CryptographicException)
            {
                // The command that uses the store says what is wrong with it.
            }
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
                BaseUriProblem = why is null ? null : $"{BaseUriVariable} is '{(baseUri is null ? text : BaseUriPolicy.Displayable(baseUri))}': {why}";
            }

            // A base URI with user info is refused (InvalidBaseUri) and never used: shown without it, since this
            // object is what Get-SeedanceConfiguration prints and runbooks log.
            BaseUri = baseUri is not null && baseUri.IsAbsoluteUri && !string.IsNullOrEmpty(baseUri.UserInfo) && BaseUriProblem is not null
                ? new Uri(BaseUriPolicy.Displayable(baseUri))
                : baseUri ?? (source is null ? SeedanceClientOptions.DefaultBaseUri : null);
        }

        /// <summary>
        /// The configured journal, opened (folder and file created owner-only when missing, lock and write checked) on
        /// the pipeline thread. Says once per process that it is off.
        /// </summary>
        /// <exception cref="JournalException">The configured path or the journal cannot be used.</exception>
        internal TaskJournal OpenJournal(Action<string> warn)
        {
            if (JournalLocation is null)
            {
                throw new JournalException(JournalFailureReason.InvalidPath, JournalPathGiven, JournalPathProblem ?? "The journal path cannot be used.");
            }

            if (JournalLocation.IsDisabled && System.Threading.Interlocked.Exchange(ref _journalOffSaid, 1) == 0)
            {
                warn("The Seedance task journal is off (" + (JournalPathSource == "Environment" ? JournalPathVariable : "-JournalPath") + " is 'off'): " +
                    "tasks are not recorded, so a crashed batch cannot be resumed with Get-SeedanceTask -Pending, a re-run CSV may pay twice, " +
                    "and no daily credit limit can hold. (Said once per process.)");
            }

            return TaskJournal.Shared(JournalLocation);
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
