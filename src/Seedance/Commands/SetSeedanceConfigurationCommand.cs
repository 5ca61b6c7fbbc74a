using System;
using System.Management.Automation;
using Seedance.Client.Http;
using Seedance.Commands.Configuration;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// Set-SeedanceConfiguration: the session's base URI and request timeout.
    /// User help (synopsis, parameters, examples): docs/en-US/Set-SeedanceConfiguration.md, the one source of that text.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "SeedanceConfiguration", SupportsShouldProcess = true, DefaultParameterSetName = SetSet, HelpUri = HelpLinks.Docs + "Set-SeedanceConfiguration.md")]
    [OutputType(typeof(void))]
    public sealed class SetSeedanceConfigurationCommand : PSCmdlet
    {
        private const string SetSet = "Set";
        private const string ResetSet = "Reset";

        [Parameter(ParameterSetName = SetSet)]
        public Uri? BaseUri { get; set; }

        /// <summary>Seconds one HTTP request may take (default 100). Not the same as Wait-SeedanceTask -Timeout.</summary>
        [Parameter(ParameterSetName = SetSet)]
        [ValidateRange(1, 3600)]
        public int RequestTimeout { get; set; }

        /// <summary>Forget this session's settings: the environment and defaults apply again.</summary>
        [Parameter(Mandatory = true, ParameterSetName = ResetSet)]
        public SwitchParameter Reset { get; set; }

        protected override void ProcessRecord()
        {
            SessionSettings session = SessionSettings.Current;
            if (Reset.IsPresent)
            {
                if (ShouldProcess("this PowerShell session", "Reset the Seedance configuration"))
                {
                    session.BaseUri = null;
                    session.RequestTimeout = null;
                }

                return;
            }

            if (BaseUri is not null)
            {
                string? problem = BaseUriPolicy.Check(BaseUri);
                if (problem is not null)
                {
                    ThrowTerminatingError(SeedanceErrors.InvalidBaseUri(problem, BaseUri));
                }

                if (ShouldProcess(BaseUri.ToString(), "Use as the Seedance API base URI in this session"))
                {
                    session.BaseUri = BaseUri;
                }
            }

            if (MyInvocation.BoundParameters.ContainsKey(nameof(RequestTimeout)) &&
                ShouldProcess($"{RequestTimeout} s", "Use as the Seedance per-request timeout in this session"))
            {
                session.RequestTimeout = TimeSpan.FromSeconds(RequestTimeout);
            }
        }
    }
}
