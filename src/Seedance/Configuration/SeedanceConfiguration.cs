using System;
using System.Management.Automation;
using Seedance.Client.Http;
using Seedance.Client.Pricing;

namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// Where the API is, which key to use, the other settings, and where each came from. Resolved highest first:
    /// this runspace's own settings (-Scope Runspace); the process's (Set-SeedanceApiKey -Scope Process,
    /// Set-SeedanceConfiguration), which every runspace shares; the environment (SEEDANCE_API_KEY,
    /// SEEDANCE_BASE_URI, SEEDANCE_JOURNAL_PATH, SEEDANCE_DAILY_CREDIT_LIMIT); what is stored for the current user
    /// (the key store; Set-SeedanceConfiguration -Scope CurrentUser's settings file), which every new process reads;
    /// the defaults. A setting with no environment variable goes from the process's straight to the stored one.
    /// </summary>
    public sealed class SeedanceConfiguration
    {
        public const string KeyVariable = "SEEDANCE_API_KEY";
        public const string BaseUriVariable = "SEEDANCE_BASE_URI";
        public const string JournalPathVariable = "SEEDANCE_JOURNAL_PATH";
        public const string DailyCreditLimitVariable = "SEEDANCE_DAILY_CREDIT_LIMIT";

        /// <summary>The per-request timeout when none is set.</summary>
        public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(100);

        /// <summary>The range of -RequestTimeout (seconds), for the parameter and the stored settings alike.</summary>
        public const int MinRequestTimeoutSeconds = 1;
        public const int MaxRequestTimeoutSeconds = Seedance.Client.Http.SeedanceClientOptions.MaxRequestTimeoutSeconds;

        private SeedanceConfiguration(Uri? baseUri, string baseUriSource, string? baseUriProblem, ApiKey? apiKey,
            TimeSpan requestTimeout, string requestTimeoutSource, PriceTable priceTable, string priceTableSource, ScriptBlock? uploader)
        {
            Uploader = uploader;
            // A base URI with user info is refused (InvalidBaseUri) and never used: shown without it, since this
            // object is what Get-SeedanceConfiguration prints and runbooks log.
            BaseUri = baseUri is not null && baseUri.IsAbsoluteUri && !string.IsNullOrEmpty(baseUri.UserInfo) && baseUriProblem is not null
                ? new Uri(Seedance.Client.Http.BaseUriPolicy.Displayable(baseUri))
                : baseUri;
            BaseUriSource = baseUriSource;
            BaseUriProblem = baseUriProblem;
            ApiKeyForRequests = apiKey;
            RequestTimeout = requestTimeout;
            RequestTimeoutSource = requestTimeoutSource;
            PriceTable = priceTable;
            PriceTableSource = priceTableSource;
        }

        /// <summary>The base URI configured, even when it is unusable (then <see cref="BaseUriProblem"/> says why).</summary>
        public Uri? BaseUri { get; }

        /// <summary>Runspace, Process, Environment, CurrentUser or Default.</summary>
        public string BaseUriSource { get; }

        /// <summary>Runspace, Process, Environment, CurrentUser or None. The key itself is never shown.</summary>
        public string ApiKeySource => ApiKeyForRequests?.Source ?? "None";

        public bool HasApiKey => ApiKeyForRequests is not null;
        public string KeyStorePath => ApiKeyStore.FilePath;

        /// <summary>The file of the settings stored for the current user (Set-SeedanceConfiguration -Scope CurrentUser).</summary>
        public string SettingsPath => Stored.Path;

        /// <summary>Why the stored settings file cannot be used (the commands stop with InvalidStoredConfiguration), or null.</summary>
        public string? SettingsProblem => Stored.Problem;

        public TimeSpan RequestTimeout { get; }

        /// <summary>Runspace, Process, CurrentUser or Default.</summary>
        public string RequestTimeoutSource { get; }

        /// <summary>The prices -WhatIf and Get-SeedanceCreditCost use: "built-in", or the file given to -PriceTable.</summary>
        public PriceTable PriceTable { get; }

        /// <summary>Runspace, Process, CurrentUser or Default.</summary>
        public string PriceTableSource { get; }

        /// <summary>
        /// The input names createTask is written with (Seed: urls/ratio/"8s"; Kinovi: imageUrls/aspectRatio/8/audioUrls):
        /// the setting, or else the base URI host's (kinovi.ai: Kinovi; seedance2-pro.com and any other: Seed).
        /// </summary>
        public RequestShape RequestShape => ShapeSetting ?? (BaseUri is not null && BaseUri.IsAbsoluteUri ? RequestShape.ForHost(BaseUri) : RequestShape.Seed);

        /// <summary>Runspace, Process or CurrentUser (set), or Host (chosen from the base URI's host).</summary>
        public string RequestShapeSource { get; private set; } = "Host";

        private RequestShape? ShapeSetting { get; set; }

        /// <summary>The script block that uploads local materials (Set-SeedanceConfiguration -Uploader), or null: the service's upload endpoint.</summary>
        public ScriptBlock? Uploader { get; }

        /// <summary>Where local materials go: Service (POST {base}/uploads) or ScriptBlock (the Uploader).</summary>
        public string UploadsVia => Uploader is null ? "Service" : "ScriptBlock";

        /// <summary>Why <see cref="BaseUri"/> cannot be used (requests stop with InvalidBaseUri), or null when it can.</summary>
        public string? BaseUriProblem { get; }

        internal ApiKey? ApiKeyForRequests { get; }

        /// <summary>The task journal file, or 'off' (then nothing is journaled); see <see cref="JournalPathSource"/>.</summary>
        public string JournalPath => Journal.Location?.ToString() ?? Journal.Given;

        /// <summary>Runspace, Process, Environment, CurrentUser or Default (the platform's own place).</summary>
        public string JournalPathSource => Journal.Source;

        /// <summary>Credits the creates of the last 24 hours may take, every process together; null: no limit.</summary>
        public decimal? DailyCreditLimit => Journal.DailyCreditLimit;

        /// <summary>Runspace, Process, Environment, CurrentUser or Default (no limit).</summary>
        public string DailyCreditLimitSource => Journal.DailyCreditLimitSource;

        /// <summary>The journal and budget settings, resolved (with what is wrong with them, if anything).</summary>
        internal JournalSettings Journal { get; private set; } = null!;

        private StoredSettings Stored { get; set; } = null!;

        /// <summary>Reads the settings in force for the calling runspace (and the user's stored ones, from disk). Call on the pipeline thread.</summary>
        internal static SeedanceConfiguration Resolve()
        {
            StoredSettings stored = UserSettingsFile.Read();
            if (!TryGet(Settings.RequestTimeout, stored, out TimeSpan timeout, out string timeoutSource))
            {
                timeout = DefaultRequestTimeout;
                timeoutSource = "Default";
            }

            if (!TryGet(Settings.PriceTable, stored, out PriceTable prices, out string pricesSource))
            {
                prices = PriceTable.Default;
                pricesSource = "Default";
            }

            string? problem = null;
            if (!SessionSettings.TryGet(Settings.BaseUri, out Uri? baseUri, out string baseSource))
            {
                string? fromEnvironment = Environment.GetEnvironmentVariable(BaseUriVariable);
                if (!string.IsNullOrWhiteSpace(fromEnvironment))
                {
                    baseSource = "Environment";
                    // Kept even when relative or unusable, so the error and Get-SeedanceConfiguration can show it.
                    Uri.TryCreate(fromEnvironment!.Trim(), UriKind.RelativeOrAbsolute, out baseUri);
                    string? why = baseUri is null
                        ? $"it is not a URI; use e.g. {SeedanceClientOptions.DefaultBaseUri}."
                        : BaseUriPolicy.Check(baseUri);
                    problem = why is null ? null : $"{BaseUriVariable} is '{(baseUri is null ? fromEnvironment : BaseUriPolicy.Displayable(baseUri))}': {why}";
                }
                else if (stored.Layer.TryGet(Settings.BaseUri, out baseUri))
                {
                    baseSource = stored.Layer.Scope;
                }
                else
                {
                    baseUri = SeedanceClientOptions.DefaultBaseUri;
                    baseSource = "Default";
                }
            }

            SeedanceConfiguration configuration = new SeedanceConfiguration(baseUri, baseSource, problem, ResolveKey(), timeout, timeoutSource, prices, pricesSource, SessionSettings.Uploader)
            {
                Stored = stored,
                Journal = JournalSettings.Resolve(stored.Layer),
            };
            if (TryGet(Settings.RequestShape, stored, out RequestShape shape, out string shapeSource))
            {
                configuration.ShapeSetting = shape;
                configuration.RequestShapeSource = shapeSource;
            }

            return configuration;
        }

        /// <summary>A setting without an environment variable: this runspace's, the process's, else the stored one.</summary>
        private static bool TryGet<T>(Setting<T> setting, StoredSettings stored, out T value, out string source)
        {
            if (SessionSettings.TryGet(setting, out value, out source))
            {
                return true;
            }

            source = stored.Layer.Scope;
            return stored.Layer.TryGet(setting, out value);
        }

        private static ApiKey? ResolveKey()
        {
            if (SessionSettings.TryGet(Settings.ApiKey, out ApiKey key, out _))
            {
                return key;
            }

            string? fromEnvironment = Environment.GetEnvironmentVariable(KeyVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                return new ApiKey(fromEnvironment!) { Source = "Environment" };
            }

            string? stored = ApiKeyStore.Read();
            return stored is null ? null : new ApiKey(stored) { Source = "CurrentUser" };
        }
    }
}
