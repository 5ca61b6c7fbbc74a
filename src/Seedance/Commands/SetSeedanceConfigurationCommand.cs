using System;
using System.Management.Automation;
using Seedance.Client.Http;
using Seedance.Client.Pricing;
using Seedance.Commands.Configuration;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// Set-SeedanceConfiguration: base URI, request timeout and price table for the process (or one runspace); the uploader for the runspace.
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

        /// <summary>
        /// A JSON price table of your own (see the README): checked now, then used by -WhatIf and
        /// Get-SeedanceCreditCost; models it does not list keep the built-in rates. Every cost's Source names the table.
        /// </summary>
        [Parameter(ParameterSetName = SetSet)]
        [ValidateNotNullOrEmpty]
        public string? PriceTable { get; set; }

        /// <summary>Process (every runspace; the default) or Runspace (only this one, above the process's settings).</summary>
        [Parameter]
        public SettingScope Scope { get; set; } = SettingScope.Process;

        /// <summary>
        /// Uploads local files given to -Image/-Video instead of the service's upload endpoint: called with the file
        /// (a FileInfo) on the pipeline thread, it must return the file's public absolute http(s) URL. $null goes back
        /// to the service's endpoint. Kept in this runspace only, whatever -Scope says (see SessionSettings.Uploader).
        /// </summary>
        [Parameter(ParameterSetName = SetSet)]
        [AllowNull]
        public ScriptBlock? Uploader { get; set; }

        /// <summary>Forget the scope's settings: the environment and defaults apply again (below a -Scope Runspace reset: the process's).</summary>
        [Parameter(Mandatory = true, ParameterSetName = ResetSet)]
        public SwitchParameter Reset { get; set; }

        protected override void ProcessRecord()
        {
            SettingsLayer layer = SessionSettings.Layer(Scope);
            string where = SessionSettings.Describe(layer);
            if (Reset.IsPresent)
            {
                if (ShouldProcess(where, "Reset the Seedance configuration"))
                {
                    // Every setting of the scope but the key, which is Set/Remove-SeedanceApiKey's.
                    layer.RemoveAllBut(Settings.ApiKey);
                    SessionSettings.CurrentRunspace.Remove(Settings.Uploader);
                }

                return;
            }

            // Everything is checked before anything is set, so a call that fails changes nothing.
            if (BaseUri is not null)
            {
                string? problem = BaseUriPolicy.Check(BaseUri);
                if (problem is not null)
                {
                    ThrowTerminatingError(SeedanceErrors.InvalidBaseUri(problem, BaseUri));
                }
            }

            PriceTable? prices = PriceTable is null ? null : LoadPriceTable(PriceTable);

            if (BaseUri is not null && ShouldProcess(BaseUri.ToString(), $"Use as the Seedance API base URI in {where}"))
            {
                layer.Set(Settings.BaseUri, BaseUri);
            }

            if (MyInvocation.BoundParameters.ContainsKey(nameof(RequestTimeout)) &&
                ShouldProcess($"{RequestTimeout} s", $"Use as the Seedance per-request timeout in {where}"))
            {
                layer.Set(Settings.RequestTimeout, TimeSpan.FromSeconds(RequestTimeout));
            }

            if (prices is not null && ShouldProcess(prices.Name, $"Use as the Seedance price table in {where}"))
            {
                layer.Set(Settings.PriceTable, prices);
            }

            if (MyInvocation.BoundParameters.ContainsKey(nameof(Uploader)) &&
                ShouldProcess(Uploader is null ? "the service's upload endpoint" : "the script block given", "Use as the Seedance uploader for local files in this runspace"))
            {
                SettingsLayer runspace = SessionSettings.CurrentRunspace;
                if (Uploader is null)
                {
                    runspace.Remove(Settings.Uploader);
                }
                else
                {
                    runspace.Set(Settings.Uploader, Uploader);
                }
            }
        }

        private PriceTable LoadPriceTable(string path)
        {
            string fullPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            try
            {
                return PriceTableFile.Load(fullPath);
            }
            catch (PriceTableException e)
            {
                ThrowTerminatingError(new ErrorRecord(e, "InvalidPriceTable", ErrorCategory.InvalidData, path)
                {
                    ErrorDetails = new ErrorDetails(e.Message)
                    {
                        RecommendedAction = "Fix the file (the README shows the format), or leave -PriceTable out to keep the built-in prices.",
                    },
                });
                throw;
            }
        }
    }
}
