using System.Collections.Generic;
using System.Management.Automation;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Validation;
using Seedance.Commands.Configuration;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// Get-SeedanceCreditCost: the price of a model and duration from the price table; no request.
    /// User help (synopsis, parameters, examples): docs/en-US/Get-SeedanceCreditCost.md, the one source of that text.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SeedanceCreditCost", HelpUri = HelpLinks.Docs + "Get-SeedanceCreditCost.md")]
    [OutputType(typeof(CreditCost))]
    public sealed class GetSeedanceCreditCostCommand : PSCmdlet
    {
        /// <summary>Seconds, 4 to 15 (8, "8" or "8s"); text for the same reason as New-SeedanceTask -Duration.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DurationCompleter))]
        [AllowEmptyString]
        public string Duration { get; set; } = string.Empty;

        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string Model { get; set; } = SeedanceModels.Standard;

        /// <summary>480p, 720p or 1080p: priced at the table's rate for it when it has one (the Source says).</summary>
        [Parameter]
        [ValidateSet("480p", "720p", "1080p")]
        public string? OutputResolution { get; set; }

        protected override void ProcessRecord()
        {
            // Every problem of the input is reported, one error each, like New-SeedanceTask.
            List<ValidationFailure> failures = new List<ValidationFailure>();
            string model = string.IsNullOrWhiteSpace(Model) ? SeedanceModels.Standard : Model.Trim().ToLowerInvariant();
            PriceTable prices = SeedanceConfiguration.Resolve().PriceTable;
            if (!prices.Knows(model))
            {
                failures.Add(new ValidationFailure("UnknownModel", "Model", Model,
                    $"Model '{Model}' is not known. Known models: {string.Join(", ", SeedanceModels.All)}. Use one of them with -Model."));
            }

            ValidationFailure? badDuration = InputParser.ParseDuration(Duration, out int seconds);
            if (badDuration is null && (seconds < SeedanceModels.MinDuration || seconds > SeedanceModels.MaxDuration))
            {
                badDuration = new ValidationFailure("InvalidDuration", "Duration", seconds, InputParser.DurationOutOfRange(seconds));
            }

            if (badDuration is not null)
            {
                failures.Add(badDuration);
            }

            // A price for an output the model cannot make would be a price for nothing: refused as New-SeedanceTask refuses it.
            string? unsupported = OutputResolution is null ? null : AdditionalInputValidator.UnsupportedResolution(model, OutputResolution);
            if (unsupported is not null)
            {
                failures.Add(new ValidationFailure("InvalidOutputResolution", "OutputResolution", OutputResolution, unsupported));
            }

            foreach (ValidationFailure failure in failures)
            {
                WriteError(SeedanceErrors.Validation(failure));
            }

            if (failures.Count == 0)
            {
                WriteObject(prices.CostOf(model, seconds, OutputResolution));
            }
        }
    }
}
