using System.Management.Automation;
using Seedance.Commands.Configuration;

namespace Seedance.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows the settings in force: base URI, where the key comes from (never the key), the key store path, the timeout.</para>
    /// <para type="description">A base URI that cannot be used (not absolute, or plain http to another machine) is shown with a warning saying why.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SeedanceConfiguration")]
    [OutputType(typeof(SeedanceConfiguration))]
    public sealed class GetSeedanceConfigurationCommand : PSCmdlet
    {
        protected override void ProcessRecord()
        {
            SeedanceConfiguration configuration = SeedanceConfiguration.Resolve();
            if (configuration.BaseUriProblem is not null)
            {
                WriteWarning($"{configuration.BaseUriProblem} Requests will stop with InvalidBaseUri until it is fixed.");
            }

            WriteObject(configuration);
        }
    }
}
