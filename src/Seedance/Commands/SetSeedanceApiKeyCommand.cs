using System;
using System.Management.Automation;
using System.Security;
using Seedance.Client.Http;
using Seedance.Client.Settings;
using Seedance.Commands.Configuration;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// Set-SeedanceApiKey: sets the key for the process (or one runspace), or stores it for the user.
    /// User help (synopsis, parameters, examples): docs/en-US/Set-SeedanceApiKey.md, the one source of that text.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "SeedanceApiKey", SupportsShouldProcess = true, DefaultParameterSetName = SecureSet, HelpUri = HelpLinks.Docs + "Set-SeedanceApiKey.md")]
    [OutputType(typeof(void))]
    public sealed class SetSeedanceApiKeyCommand : SeedanceCmdlet
    {
        private const string SecureSet = "SecureString";
        private const string PlainTextSet = "PlainText";

        [Parameter(Position = 0, ValueFromPipeline = true, ParameterSetName = SecureSet)]
        [SecureKeyOnly]
        public SecureString? ApiKey { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = PlainTextSet)]
        public string PlainTextApiKey { get; set; } = string.Empty;

        [Parameter]
        public SettingScope Scope { get; set; } = SettingScope.CurrentUser;

        protected override void ProcessRecord()
        {
            if (ReferenceEquals(ApiKey, SecureKeyOnlyAttribute.PlainTextGiven))
            {
                ThrowTerminatingError(SeedanceErrors.PlainTextApiKey());
            }

            string key = ParameterSetName == PlainTextSet ? PlainTextApiKey : new System.Net.NetworkCredential(string.Empty, ApiKey ?? Prompt()).Password;
            if (string.IsNullOrWhiteSpace(key))
            {
                ThrowTerminatingError(SeedanceErrors.Record(
                    new ArgumentException("The API key is empty. Pass the key from your Seedance account (e.g. Set-SeedanceApiKey, which prompts for it)."),
                    "ApiKeyEmpty", null));
            }

            // Refused now, with a message that never repeats the key: stored as it is, it would fail at the first
            // request with a raw FormatException from the header writer.
            string? problem = Client.Http.ApiKey.Problem(key);
            if (problem is not null)
            {
                ThrowTerminatingError(SeedanceErrors.Record(new ArgumentException(problem), "InvalidApiKey", null, problem));
            }

            SeedanceErrors.Remember(new ApiKey(key)); // its own errors below (a store that cannot be written) may quote it
            if (Scope != SettingScope.CurrentUser)
            {
                if (ShouldProcess(SessionSettings.Describe(Scope), "Set the Seedance API key"))
                {
                    SessionSettings.Change(Scope, settings => settings.With(Setting.ApiKey, new ApiKey(key)));
                }

                return;
            }

            if (!ShouldProcess(ApiKeyStore.FilePath, "Store the Seedance API key for the current user"))
            {
                return;
            }

            try
            {
                ApiKeyStore.Write(key.Trim());
            }
            catch (Exception e) when (e is System.IO.IOException || e is UnauthorizedAccessException || e is System.ComponentModel.Win32Exception)
            {
                ThrowTerminatingError(SeedanceErrors.Record(new System.IO.IOException($"Could not store the key in '{ApiKeyStore.FilePath}': {e.Message}", e),
                    "ApiKeyStoreFailed", ApiKeyStore.FilePath));
            }

            WriteVerbose($"Stored the Seedance API key in {ApiKeyStore.FilePath}.");
            string? scope = SessionSettings.Runspace?[Setting.ApiKey] is not null ? "Runspace" : SessionSettings.Process[Setting.ApiKey] is not null ? "Process" : null;
            if (scope is not null)
            {
                WriteWarning($"A key set with -Scope {scope} is in effect here and takes precedence over the stored key.");
            }
            else if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(Setting.ApiKey.Variable)))
            {
                WriteWarning($"The environment variable {Setting.ApiKey.Variable} is set and takes precedence over the stored key.");
            }
        }

        private SecureString Prompt()
        {
            try
            {
                Host.UI.Write("Seedance API key: ");
                return Host.UI.ReadLineAsSecureString();
            }
            catch (Exception e) when (e is PSInvalidOperationException || e is NotImplementedException || e is InvalidOperationException)
            {
                ThrowTerminatingError(SeedanceErrors.Record(new PSInvalidOperationException(
                    "No key was given and this host cannot prompt for one. Pass -ApiKey (a SecureString, e.g. from Read-Host -AsSecureString or a secret vault).", e),
                    "ApiKeyPromptUnavailable", null));
                throw;
            }
        }
    }
}
