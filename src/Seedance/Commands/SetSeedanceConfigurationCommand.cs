using System;
using System.Management.Automation;
using Seedance.Client.Http;
using Seedance.Commands.Configuration;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// <para type="synopsis">Sets the API base URI, request timeout and uploader for this session (e.g. to use the local emulator).</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "SeedanceConfiguration", SupportsShouldProcess = true, DefaultParameterSetName = SetSet)]
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

        /// <summary>
        /// Uploads local files given to -Image/-Video instead of the service's upload endpoint: called with the file
        /// (a FileInfo) on the pipeline thread, it must return the file's public absolute http(s) URL. $null goes back
        /// to the service's endpoint. Kept in this runspace only (see SessionSettings.Uploader).
        /// </summary>
        [Parameter(ParameterSetName = SetSet)]
        [AllowNull]
        public ScriptBlock? Uploader { get; set; }

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
                    session.Uploader = null;
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

            if (MyInvocation.BoundParameters.ContainsKey(nameof(Uploader)) &&
                ShouldProcess(Uploader is null ? "the service's upload endpoint" : "the script block given", "Use as the Seedance uploader for local files in this session"))
            {
                session.Uploader = Uploader;
            }
        }
    }
}
