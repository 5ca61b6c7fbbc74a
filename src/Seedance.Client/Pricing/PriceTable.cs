using System;
using System.Collections.Generic;
using System.Linq;
using Seedance.Client.Models;

namespace Seedance.Client.Pricing
{
    /// <summary>
    /// Credits per second by model (optionally by output resolution), and the dollar value of a credit. The
    /// service's pages disagree on rates, so the rates are data with a named source rather than constants scattered
    /// through the code, and a user can replace them with a table of their own (<see cref="PriceTableFile"/>).
    /// </summary>
    public sealed class PriceTable
    {
        public const decimal DefaultUsdPerCredit = 0.005m;

        /// <summary>The name of the table that ships with the module.</summary>
        public const string BuiltInName = "built-in";

        private readonly Dictionary<string, ModelRate> _rates;

        public PriceTable(IEnumerable<ModelRate> rates, decimal usdPerCredit)
            : this("custom", rates, usdPerCredit, null)
        {
        }

        /// <param name="name">Which table this is, as every cost's Source will say: "built-in", or the file it came from.</param>
        /// <param name="fallback">Where a model this table has no rate for is priced (the built-in table for a user's file).</param>
        public PriceTable(string name, IEnumerable<ModelRate> rates, decimal usdPerCredit, PriceTable? fallback)
        {
            Name = name;
            _rates = new Dictionary<string, ModelRate>(StringComparer.OrdinalIgnoreCase);
            foreach (ModelRate rate in rates)
            {
                _rates[rate.Model] = rate;
            }

            UsdPerCredit = usdPerCredit;
            Fallback = fallback;
        }

        /// <summary>The documented rates: seedance-20 40/s (primary docs), seedance2-fast 28/s at 720p (secondary).</summary>
        public static PriceTable Default { get; } = new PriceTable(
            BuiltInName,
            new[]
            {
                new ModelRate(SeedanceModels.Standard, 40m, "seedance2-pro.com Omni Reference page: credits = seconds × 40"),
                new ModelRate(SeedanceModels.Fast, 28m, "kinovi.ai pricing page: seedance2-fast 28 credits/s at 720p"),
            },
            DefaultUsdPerCredit,
            null);

        public string Name { get; }

        public decimal UsdPerCredit { get; }

        public PriceTable? Fallback { get; }

        /// <summary>This table's own rates (not the fallback's).</summary>
        public IEnumerable<ModelRate> Rates => _rates.Values;

        public bool Knows(string model) => _rates.ContainsKey(model) || Fallback?.Knows(model) == true;

        public CreditCost CostOf(string model, int durationSeconds) => CostOf(model, durationSeconds, null);

        /// <summary>What a create would cost: its model, duration and outputResolution (-AdditionalInput).</summary>
        public CreditCost CostOf(CreateTaskRequest request) => CostOf(request.Model, request.Duration, request.OutputResolution);

        /// <param name="outputResolution">480p, 720p, 1080p, or null for the model's base rate.</param>
        public CreditCost CostOf(string model, int durationSeconds, string? outputResolution)
        {
            if (durationSeconds < SeedanceModels.MinDuration || durationSeconds > SeedanceModels.MaxDuration)
            {
                throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds,
                    $"Duration must be {SeedanceModels.MinDuration} to {SeedanceModels.MaxDuration} seconds.");
            }

            PriceTable owner = this;
            string? missingHere = null;
            while (!owner._rates.ContainsKey(model) && owner.Fallback is not null)
            {
                missingHere ??= owner.Name;
                owner = owner.Fallback;
            }

            if (!owner._rates.TryGetValue(model, out ModelRate? rate))
            {
                string known = string.Join(", ", AllModels());
                throw new ArgumentException($"No price is known for model '{model}'. Known models: {known}.", nameof(model));
            }

            decimal perSecond = rate.CreditsPerSecond;
            string resolutionNote = string.Empty;
            if (!string.IsNullOrEmpty(outputResolution))
            {
                if (rate.ByResolution.TryGetValue(outputResolution!, out decimal resolutionRate))
                {
                    perSecond = resolutionRate;
                    resolutionNote = $" ({outputResolution} rate)";
                }
                else
                {
                    resolutionNote = $" (no {outputResolution} rate in this table: the base rate is shown; the service may charge another)";
                }
            }

            decimal credits = perSecond * durationSeconds;
            string table = missingHere is null ? owner.Name : $"{owner.Name} ({missingHere} has no rate for {rate.Model})";
            return new CreditCost(rate.Model, durationSeconds, credits, Math.Round(credits * UsdPerCredit, 2), owner.Name, $"{table}: {rate.Source}{resolutionNote}");
        }

        public override string ToString() => Name;

        private IEnumerable<string> AllModels() =>
            _rates.Keys.Concat(Fallback?.AllModels() ?? Enumerable.Empty<string>()).Distinct(StringComparer.OrdinalIgnoreCase);
    }
}
