using System.Management.Automation;
using Seedance.Client.Settings;
using Seedance.Commands.Configuration;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// Get-SeedanceConfiguration: the settings in force and where each comes from (never the key).
    /// User help (synopsis, parameters, examples): docs/en-US/Get-SeedanceConfiguration.md, the one source of that text.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SeedanceConfiguration", HelpUri = HelpLinks.Docs + "Get-SeedanceConfiguration.md")]
    [OutputType(typeof(SeedanceConfiguration))]
    public sealed class GetSeedanceConfigurationCommand : SeedanceCmdlet
    {
        protected override void ProcessRecord()
        {
            SeedanceConfiguration configuration = SeedanceConfiguration.Resolve();
            if (configuration.SettingsProblem is string stored)
            {
                WriteWarning($"{stored} The commands stop with InvalidStoredConfiguration until it is fixed or removed (Set-SeedanceConfiguration -Reset -Scope CurrentUser).");
            }

            foreach (Setting setting in Setting.All)
            {
                if (configuration.ProblemOf(setting) is string problem)
                {
                    WriteWarning($"{problem} {(setting == Setting.BaseUri ? "Requests stop" : "New-SeedanceTask stops")} with {setting.ErrorId} until it is fixed.");
                }
            }

            WriteObject(configuration);
        }
    }
}
