using System;
using System.Collections.Generic;
using Seedance.Client.Models;

namespace Seedance.Client.Pricing
{
    /// <summary>
    /// Credits per second by model, and the dollar value of a credit. The service's pages disagree on rates, so
    /// the rates are data with a named source rather than constants scattered through the code.
    /// </summary>
    public sealed class PriceTable
    {
        public const decimal DefaultUsdPerCredit = 0.005m;

        private readonly Dictionary<string, ModelRate> _rates;

        public PriceTable(IEnumerable<ModelRate> rates, decimal usdPerCredit)
        {
            _rates = new Dictionary<string, ModelRate>(StringComparer.OrdinalIgnoreCase);
            foreach (ModelRate rate in rates)
            {
                _rates[rate.Model] = rate;
            }

            UsdPerCredit = usdPerCredit;
        }

        /// <summary>The documented rates: seedance-20 40/s (primary docs), seedance2-fast 28/s at 720p (secondary).</summary>
        public static PriceTable Default { get; } = new PriceTable(
            new[]
            {
                new ModelRate(SeedanceModels.Standard, 40m, "seedance2-pro.com Omni Reference page: credits = seconds × 40"),
                new ModelRate(SeedanceModels.Fast, 28m, "kinovi.ai pricing page: seedance2-fast 28 credits/s at 720p"),
            },
            DefaultUsdPerCredit);

        public decimal UsdPerCredit { get; }

        public IEnumerable<ModelRate> Rates => _rates.Values;

        public bool Knows(string model) => _rates.ContainsKey(model);

        public CreditCost CostOf(string model, int durationSeconds)
        {
            if (!_rates.TryGetValue(model, out ModelRate? rate))
            {
                throw new ArgumentException($"No price is known for model '{model}'. Known models: {string.Join(", ", _rates.Keys)}.", nameof(model));
            }

            if (durationSeconds < SeedanceModels.MinDuration || durationSeconds > SeedanceModels.MaxDuration)
            {
                throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds,
                    $"Duration must be {SeedanceModels.MinDuration} to {SeedanceModels.MaxDuration} seconds.");
            }

            decimal credits = rate.CreditsPerSecond * durationSeconds;
            return new CreditCost(rate.Model, durationSeconds, credits, Math.Round(credits * UsdPerCredit, 2), rate.Source);
        }
    }

    /// <summary>One model's rate and where the figure comes from.</summary>
    public sealed class ModelRate
    {
        public ModelRate(string model, decimal creditsPerSecond, string source)
        {
            Model = model;
            CreditsPerSecond = creditsPerSecond;
            Source = source;
        }

        public string Model { get; }
        public decimal CreditsPerSecond { get; }
        public string Source { get; }
    }
}
