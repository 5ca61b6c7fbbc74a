using System.Management.Automation;
using Seedance.Commands.Configuration;

namespace Seedance.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows the settings in force: base URI, where the key comes from (never the key), the key store path, the timeout.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SeedanceConfiguration")]
    [OutputType(typeof(SeedanceConfiguration))]
    public sealed class GetSeedanceConfigurationCommand : PSCmdlet
    {
        protected override void ProcessRecord() => WriteObject(SeedanceConfiguration.Resolve());
    }
}
