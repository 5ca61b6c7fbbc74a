using System;
using System.Management.Automation;
using Seedance.Client.Http;

namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// Where the API is, which key to use, and where each came from. Resolved highest first: this session
    /// (Set-SeedanceApiKey -Scope Process, Set-SeedanceConfiguration); the environment (SEEDANCE_API_KEY,
    /// SEEDANCE_BASE_URI); the key stored for the current user; the default base URI.
    /// </summary>
    public sealed class SeedanceConfiguration
    {
        public const string KeyVariable = "SEEDANCE_API_KEY";
        public const string BaseUriVariable = "SEEDANCE_BASE_URI";

        internal SeedanceConfiguration(Uri? baseUri, string baseUriSource, string? baseUriProblem, ApiKey? apiKey, TimeSpan requestTimeout, ScriptBlock? uploader = null)
        {
            Uploader = uploader;
            BaseUri = baseUri;
            BaseUriSource = baseUriSource;
            BaseUriProblem = baseUriProblem;
            ApiKeyForRequests = apiKey;
            RequestTimeout = requestTimeout;
        }

        /// <summary>The base URI configured, even when it is unusable (then <see cref="BaseUriProblem"/> says why).</summary>
        public Uri? BaseUri { get; }

        /// <summary>Session, Environment or Default.</summary>
        public string BaseUriSource { get; }

        /// <summary>Session, Environment, CurrentUser or None. The key itself is never shown.</summary>
        public string ApiKeySource => ApiKeyForRequests?.Source ?? "None";

        public bool HasApiKey => ApiKeyForRequests is not null;
        public string KeyStorePath => ApiKeyStore.FilePath;
        public TimeSpan RequestTimeout { get; }

        /// <summary>The script block that uploads local materials (Set-SeedanceConfiguration -Uploader), or null: the service's upload endpoint.</summary>
        public ScriptBlock? Uploader { get; }

        /// <summary>Where local materials go: Service (POST {base}/uploads) or ScriptBlock (the Uploader).</summary>
        public string UploadsVia => Uploader is null ? "Service" : "ScriptBlock";

        /// <summary>Why <see cref="BaseUri"/> cannot be used (requests stop with InvalidBaseUri), or null when it can.</summary>
        public string? BaseUriProblem { get; }

        internal ApiKey? ApiKeyForRequests { get; }

        /// <summary>Reads the settings in force for the calling runspace. Call on the pipeline thread.</summary>
        internal static SeedanceConfiguration Resolve()
        {
            SessionSettings session = SessionSettings.Current;
            TimeSpan timeout = session.RequestTimeout ?? TimeSpan.FromSeconds(100);

            Uri? baseUri = session.BaseUri;
            string baseSource = "Session";
            string? problem = null;
            if (baseUri is null)
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
                    problem = why is null ? null : $"{BaseUriVariable} is '{fromEnvironment}': {why}";
                }
                else
                {
                    baseUri = SeedanceClientOptions.DefaultBaseUri;
                    baseSource = "Default";
                }
            }

            return new SeedanceConfiguration(baseUri, baseSource, problem, ResolveKey(session), timeout, session.Uploader);
        }

        private static ApiKey? ResolveKey(SessionSettings session)
        {
            if (session.ApiKey is not null)
            {
                return session.ApiKey;
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
