using System.Management.Automation;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Validation;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// <para type="synopsis">Shows what a task of a model and duration costs, in credits and US dollars. Sends no request.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SeedanceCreditCost")]
    [OutputType(typeof(CreditCost))]
    public sealed class GetSeedanceCreditCostCommand : PSCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        public int Duration { get; set; }

        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string Model { get; set; } = SeedanceModels.Standard;

        protected override void ProcessRecord()
        {
            string model = string.IsNullOrWhiteSpace(Model) ? SeedanceModels.Standard : Model.Trim().ToLowerInvariant();
            if (!PriceTable.Default.Knows(model))
            {
                WriteError(SeedanceErrors.Validation(new ValidationFailure("UnknownModel", "Model", Model,
                    $"Model '{Model}' is not known. Known models: {string.Join(", ", SeedanceModels.All)}.")));
                return;
            }

            if (Duration < SeedanceModels.MinDuration || Duration > SeedanceModels.MaxDuration)
            {
                WriteError(SeedanceErrors.Validation(new ValidationFailure("InvalidDuration", "Duration", Duration,
                    $"Duration {Duration} is out of range: a video is {SeedanceModels.MinDuration} to {SeedanceModels.MaxDuration} seconds.")));
                return;
            }

            WriteObject(PriceTable.Default.CostOf(model, Duration));
        }
    }
}
