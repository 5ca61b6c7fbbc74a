using System.Collections.Generic;
using System.Linq;

namespace Seedance.Client.Pricing
{
    /// <summary>One row of the price table as Get-SeedanceCreditCost prints it without -Duration: a model at one resolution.</summary>
    public sealed class ModelRate
    {
        internal ModelRate(ModelSpec spec, string? resolution, decimal? perSecond, decimal? withReferenceVideo, decimal usdPerCredit, string table)
        {
            Model = spec.Name;
            OutputResolution = resolution;
            CreditsPerSecond = perSecond;
            ReferenceVideoCreditsPerSecond = withReferenceVideo;
            UsdPerSecond = perSecond is decimal rate ? System.Math.Round(rate * usdPerCredit, 4) : (decimal?)null;
            Durations = spec.MinDuration is int min && spec.MaxDuration is int max ? $"{min}-{max}" : spec.ReservedSeconds is int reserved ? $"source's length ({reserved} reserved)" : "unchecked";
            Charge = spec.Charge;
            Table = table;
            Source = spec.SourceOf("rates");
        }

        public string Model { get; }
        public string? OutputResolution { get; }
        public decimal? CreditsPerSecond { get; }

        /// <summary>The rate with a reference video, where the model has another one.</summary>
        public decimal? ReferenceVideoCreditsPerSecond { get; }
        public decimal? UsdPerSecond { get; }
        public string Durations { get; }
        public ChargeRule Charge { get; }
        public string Table { get; }
        public string Source { get; }

        /// <summary>Every model of the catalog at each of its resolutions (a model without resolutions: one row at its base rate).</summary>
        public static IEnumerable<ModelRate> Of(PriceTable catalog, IEnumerable<string> models)
        {
            foreach (string name in models)
            {
                ModelSpec spec = catalog.Model(name);
                string table = catalog.TableOf(name) ?? catalog.Name;
                if (spec.Resolutions.Count == 0)
                {
                    yield return new ModelRate(spec, null, spec.CreditsPerSecond, null, catalog.UsdPerCredit, table);
                    continue;
                }

                foreach (string resolution in spec.Resolutions)
                {
                    decimal? rate = spec.ByResolution.TryGetValue(resolution, out decimal r) ? r : spec.DefaultResolution == resolution ? spec.CreditsPerSecond : null;
                    decimal? reference = spec.ReferenceVideoRate.TryGetValue(resolution, out decimal v) ? v : (decimal?)null;
                    yield return new ModelRate(spec, resolution, rate, reference, catalog.UsdPerCredit, table);
                }
            }
        }
    }
}
