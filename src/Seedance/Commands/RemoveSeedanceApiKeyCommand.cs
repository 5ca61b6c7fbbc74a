using System.Management.Automation;
using Seedance.Client.Settings;
using Seedance.Commands.Configuration;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// Remove-SeedanceApiKey: deletes the stored key, or forgets the process's (or a runspace's) key.
    /// User help (synopsis, parameters, examples): docs/en-US/Remove-SeedanceApiKey.md, the one source of that text.
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "SeedanceApiKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Docs + "Remove-SeedanceApiKey.md")]
    [OutputType(typeof(void))]
    public sealed class RemoveSeedanceApiKeyCommand : SeedanceCmdlet
    {
        [Parameter]
        public SettingScope Scope { get; set; } = SettingScope.CurrentUser;

        protected override void ProcessRecord()
        {
            if (Scope != SettingScope.CurrentUser)
            {
                if (ShouldProcess(SessionSettings.Describe(Scope), "Forget the Seedance API key"))
                {
                    SessionSettings.Change(Scope, settings => settings.With(Setting.ApiKey, null));
                }

                return;
            }

            if (!ApiKeyStore.Exists)
            {
                WriteVerbose($"No Seedance API key is stored ({ApiKeyStore.FilePath} does not exist).");
                return;
            }

            if (ShouldProcess(ApiKeyStore.FilePath, "Delete the stored Seedance API key"))
            {
                ApiKeyStore.Remove();
            }
        }
    }
}
