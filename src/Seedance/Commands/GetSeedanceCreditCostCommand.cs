using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Seedance.Client.Pricing;
using Seedance.Client.Validation;
using Seedance.Commands.Configuration;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// Get-SeedanceCreditCost: prices from the model catalog; no request. With -Duration, the cost of each model,
    /// duration and resolution asked for; without, the whole price table (a row per model and resolution).
    /// User help (synopsis, parameters, examples): docs/en-US/Get-SeedanceCreditCost.md, the one source of that text.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SeedanceCreditCost", HelpUri = HelpLinks.Docs + "Get-SeedanceCreditCost.md")]
    [OutputType(typeof(CreditCost), typeof(ModelRate))]
    public sealed class GetSeedanceCreditCostCommand : SeedanceCmdlet
    {
        /// <summary>
        /// Seconds in the model's range (8, "8" or "8s"), one or several (-Duration 4,8,15). A value that is no whole
        /// number is kept as given and refused as InvalidDuration, as New-SeedanceTask does.
        /// </summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CatalogCompleter))]
        [AllowEmptyCollection]
        [DurationTransformation]
        public int[]? Duration
        {
            get => _duration;
            set
            {
                _duration = value;
                _unparsedDurations = DurationTransformationAttribute.TakeUnparsed() ?? new object[0];
            }
        }

        private int[]? _duration;
        private IReadOnlyList<object> _unparsedDurations = new object[0];

        /// <summary>One or several models of the catalog; without it, the default model (or, without -Duration, every model).</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CatalogCompleter))]
        public string[]? Model { get; set; }

        /// <summary>The model's resolutions (480p, 720p, 1080p, 4k...): priced at the catalog's rate for each.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CatalogCompleter))]
        [Alias("Resolution")]
        public string[]? OutputResolution { get; set; }

        /// <summary>Price the task with reference videos (another rate, and for 2.5 a charge that settles after success).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public SwitchParameter WithReferenceVideo { get; set; }

        protected override void ProcessRecord()
        {
            SeedanceConfiguration configuration = SeedanceConfiguration.Resolve();
            if (configuration.SettingsProblem is string stored)
            {
                ThrowTerminatingError(SeedanceErrors.StoredSettings(stored, configuration.SettingsPath)); // it may name the price table
            }

            PriceTable catalog = configuration.PriceTable;
            string[] models = (Model ?? new string[0]).Where(m => !string.IsNullOrWhiteSpace(m)).Select(m => m.Trim()).ToArray();
            int[] durations = Duration ?? new int[0];
            if (durations.Length == 0 && _unparsedDurations.Count == 0)
            {
                // No duration: the price table itself, for the models asked for or all of them.
                foreach (ModelRate row in ModelRate.Of(catalog, models.Length == 0 ? catalog.ModelNames : models.Select(m => catalog.Model(m).Name)))
                {
                    WriteObject(row);
                }

                return;
            }

            foreach (string model in models.Length == 0 ? new[] { catalog.DefaultModel } : models)
            {
                foreach (object given in durations.Cast<object>().Concat(_unparsedDurations))
                {
                    foreach (string? resolution in OutputResolution is { Length: > 0 } ? OutputResolution.Select(r => (string?)r) : new string?[] { null })
                    {
                        Price(catalog, model, given, resolution);
                    }
                }
            }
        }

        /// <param name="given">Whole seconds (an int), or a value given that is none, as given.</param>
        private void Price(PriceTable catalog, string model, object given, string? resolution)
        {
            (CreditCost? cost, IReadOnlyList<ValidationFailure> failures) = catalog.Quote(model, given, resolution, WithReferenceVideo.IsPresent ? 1 : 0);
            foreach (ValidationFailure failure in failures)
            {
                WriteError(SeedanceErrors.Validation(failure));
            }

            if (cost is not null)
            {
                WriteObject(cost);
            }
        }
    }
}
