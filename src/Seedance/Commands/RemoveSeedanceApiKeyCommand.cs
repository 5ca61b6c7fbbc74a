using System.Management.Automation;
using Seedance.Commands.Configuration;

namespace Seedance.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes the Seedance API key stored for the current user (deletes the file), or the one set for this process or runspace.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "SeedanceApiKey", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(void))]
    public sealed class RemoveSeedanceApiKeyCommand : PSCmdlet
    {
        [Parameter]
        public KeyScope Scope { get; set; } = KeyScope.CurrentUser;

        protected override void ProcessRecord()
        {
            if (Scope != KeyScope.CurrentUser)
            {
                SettingsLayer layer = SessionSettings.Layer(Scope);
                if (ShouldProcess(SessionSettings.Describe(layer), "Forget the Seedance API key"))
                {
                    layer.Remove(Settings.ApiKey);
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
