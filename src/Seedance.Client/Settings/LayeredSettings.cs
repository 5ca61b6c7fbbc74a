using System;
using System.Collections.Generic;
using System.Globalization;
using Found = (object? Value, string Source, string? Problem, string? Given);
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Pricing;

namespace Seedance.Client.Settings
{
    /// <summary>
    /// Where the API is, which key to use, the other settings, and where each came from. Each <see cref="Setting"/> is
    /// resolved highest first: this runspace's own settings (-Scope Runspace); the process's (Set-SeedanceApiKey -Scope
    /// Process, Set-SeedanceConfiguration), which every runspace shares; its environment variable; what is stored for
    /// the current user (the key store; Set-SeedanceConfiguration -Scope CurrentUser's settings file), which every new
    /// process reads; the default. A setting with no environment variable goes from the process's straight to the stored one.
    /// A value from the environment that cannot be used is kept with the reason (the *Problem properties), so that the
    /// cmdlets that need it stop before any create and Get-SeedanceConfiguration can show it. The PowerShell layer's
    /// SeedanceConfiguration gathers the layers (the runspace's and the process's live there) and adds what only
    /// PowerShell holds (the uploader).
    /// </summary>
    public class LayeredSettings
    {
        public const string CreateStopGraceVariable = "SEEDANCE_CREATE_STOP_GRACE";

        /// <summary>Each setting resolved: its value (null: none), where it came from, and for an unusable one why and the text given.</summary>
        private readonly Dictionary<Setting, Found> _found = new Dictionary<Setting, Found>();

        /// <summary>Masks the key in what this object shows: a value or problem from outside may quote it (the key never appears in output).</summary>
        private readonly Func<string, string> _shown;

        private readonly string? _settingsProblem;

        /// <param name="runspace">The calling runspace's own settings, or null when there is no runspace.</param>
        /// <param name="process">The settings every runspace of the process shares.</param>
        /// <param name="stored">The user's stored settings (read from disk here).</param>
        /// <param name="environment">Reads an environment variable.</param>
        /// <param name="storedKey">Reads the key stored for the user: called only when no layer above sets one.</param>
        /// <param name="shown">Masks every key known in the text this object shows (read when shown, so keys learnt later count).</param>
        internal LayeredSettings(SeedanceSettings? runspace, SeedanceSettings process, StoredSettings stored, Func<string, string?> environment, Func<string?> storedKey,
            Func<string, string>? shown = null)
        {
            _shown = shown ?? (text => text);
            SettingsPath = stored.FilePath;
            KeyStorePath = stored.Folder.KeyFile;
            SeedanceSettings storedSettings = stored.Read(out string? storedProblem);
            _settingsProblem = storedProblem;
            CreateStopGrace =
                double.TryParse(environment(CreateStopGraceVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0 && seconds <= 14
                    ? TimeSpan.FromSeconds(seconds)
                    : SeedanceClientOptions.DefaultCreateStopGrace;
            foreach (Setting setting in Setting.All)
            {
                string? environmentText = setting.Variable is string variable ? environment(variable) : null;
                _found[setting] = Find(setting, runspace, process, environmentText, () => setting == Setting.ApiKey
                    ? storedKey() is string key ? new ApiKey(key) : null
                    : storedSettings[setting]);
            }
        }

        /// <summary>The base URI configured, as shown: even when it is unusable (then <see cref="BaseUriProblem"/> says why).</summary>
        public Uri? BaseUri => ApiBaseUri is Uri uri && _shown(uri.OriginalString) is string text && text != uri.OriginalString
            ? new Uri(text, UriKind.RelativeOrAbsolute)
            : ApiBaseUri;

        /// <summary>Runspace, Process, Environment, CurrentUser or Default.</summary>
        public string BaseUriSource => SourceOf(Setting.BaseUri);

        /// <summary>Why <see cref="BaseUri"/> cannot be used (requests stop with InvalidBaseUri), or null when it can.</summary>
        public string? BaseUriProblem => ProblemOf(Setting.BaseUri) is string problem ? _shown(problem) : null;

        /// <summary>Runspace, Process, Environment, CurrentUser or None. The key itself is never shown.</summary>
        public string ApiKeySource => HasApiKey ? SourceOf(Setting.ApiKey) : "None";

        public bool HasApiKey => ApiKeyForRequests is not null;
        public string KeyStorePath { get; }

        /// <summary>The file of the settings stored for the current user (Set-SeedanceConfiguration -Scope CurrentUser).</summary>
        public string SettingsPath { get; }

        /// <summary>Why the stored settings file cannot be used (the commands stop with InvalidStoredConfiguration), or null.</summary>
        public string? SettingsProblem => _settingsProblem is null ? null : _shown(_settingsProblem);

        /// <summary>The per-request timeout: 100 s unless set.</summary>
        public TimeSpan RequestTimeout => (TimeSpan)ValueOf(Setting.RequestTimeout)!;

        /// <summary>Runspace, Process, CurrentUser or Default.</summary>
        public string RequestTimeoutSource => SourceOf(Setting.RequestTimeout);

        /// <summary>The prices -WhatIf and Get-SeedanceCreditCost use: "built-in", or the file given to -PriceTable.</summary>
        public PriceTable PriceTable => (PriceTable)ValueOf(Setting.PriceTable)!;

        /// <summary>Runspace, Process, CurrentUser or Default.</summary>
        public string PriceTableSource => SourceOf(Setting.PriceTable);

        /// <summary>
        /// The input names createTask is written with (Seed: urls/ratio/"8s"; Kinovi: imageUrls/aspectRatio/8/audioUrls):
        /// the setting, or else the base URI host's (kinovi.ai: Kinovi; seedance2-pro.com and any other: Seed).
        /// </summary>
        public RequestShape RequestShape => (RequestShape?)ValueOf(Setting.RequestShape) ??
            (ApiBaseUri is Uri uri && uri.IsAbsoluteUri ? RequestShape.ForHost(uri) : RequestShape.Seed);

        /// <summary>Runspace, Process or CurrentUser (set), or Host (chosen from the base URI's host).</summary>
        public string RequestShapeSource => SourceOf(Setting.RequestShape);

        /// <summary>The task journal file, or 'off' (then nothing is journaled); see <see cref="JournalPathSource"/>.</summary>
        public string JournalPath => _shown(JournalLocation?.ToString() ?? GivenOf(Setting.JournalPath) ?? string.Empty);

        /// <summary>Runspace, Process, Environment, CurrentUser or Default (the platform's own place).</summary>
        public string JournalPathSource => SourceOf(Setting.JournalPath);

        /// <summary>Credits the creates of the last 24 hours may take, every process together; null: no limit.</summary>
        public decimal? DailyCreditLimit => (decimal?)ValueOf(Setting.DailyCreditLimit);

        /// <summary>Runspace, Process, Environment, CurrentUser or Default (no limit).</summary>
        public string DailyCreditLimitSource => SourceOf(Setting.DailyCreditLimit);

        internal ApiKey? ApiKeyForRequests => (ApiKey?)ValueOf(Setting.ApiKey);

        /// <summary>The base URI requests go to (<see cref="BaseUri"/> is how it is shown).</summary>
        internal Uri? ApiBaseUri => (Uri?)ValueOf(Setting.BaseUri) ?? UnusableBaseUri();

        /// <summary>The journal, or <see cref="JournalLocation.Disabled"/> for 'off'; null when the value is unusable (its problem says why).</summary>
        internal JournalLocation? JournalLocation => (JournalLocation?)ValueOf(Setting.JournalPath);

        /// <summary>
        /// SEEDANCE_CREATE_STOP_GRACE: seconds a stopped command still waits for the answer to a create already sent (0 to
        /// 14, default 10; a stop's cleanup is waited for at most 15 s). Anything else is the default: the safe side.
        /// </summary>
        internal TimeSpan CreateStopGrace { get; }

        /// <summary>Where <paramref name="setting"/>'s value comes from: Runspace, Process, Environment, CurrentUser, or its default's source.</summary>
        internal string SourceOf(Setting setting) => _found[setting].Source;

        /// <summary>
        /// Why the value <paramref name="setting"/> has from the environment cannot be used, or null. The commands that need
        /// it stop while it is wrong: a limit or journal the user meant must not silently become no limit or the default.
        /// </summary>
        internal string? ProblemOf(Setting setting) => _found[setting].Problem;

        /// <summary>The environment's text of a value that cannot be used (shown with its problem), or null.</summary>
        internal string? GivenOf(Setting setting) => _found[setting].Given;

        private object? ValueOf(Setting setting) => _found[setting].Value;

        /// <summary>
        /// The one layered lookup: this runspace's value, the process's, the environment's (<paramref name="environmentText"/>,
        /// through the setting's check: one that fails is kept as the problem, never as "not set"), the stored one, the default.
        /// </summary>
        private static Found Find(Setting setting, SeedanceSettings? runspace, SeedanceSettings process, string? environmentText, Func<object?> stored)
        {
            if (runspace?[setting] is object own)
            {
                return (own, "Runspace", null, null);
            }

            if (process[setting] is object shared)
            {
                return (shared, "Process", null, null);
            }

            if (setting.Variable is string variable && environmentText?.Trim() is { Length: > 0 } text)
            {
                try
                {
                    return (setting.Read(text, variable, $"'{text}'"), "Environment", null, null);
                }
                catch (SettingException e)
                {
                    return (null, "Environment", e.Message, text);
                }
            }

            return stored() is object value ? (value, StoredSettings.Scope, null, null) : (setting.Default(), setting.DefaultSource, null, null);
        }

        /// <summary>
        /// A base URI from the environment that cannot be used, kept even when relative so that the error and
        /// Get-SeedanceConfiguration can show it; with user info, shown without it (this object is what runbooks log).
        /// </summary>
        private Uri? UnusableBaseUri()
        {
            if (_found[Setting.BaseUri].Given is not string given || !Uri.TryCreate(given, UriKind.RelativeOrAbsolute, out Uri? uri))
            {
                return null;
            }

            return uri.IsAbsoluteUri && !string.IsNullOrEmpty(uri.UserInfo) ? new Uri(BaseUriPolicy.Displayable(uri)) : uri;
        }
    }
}
