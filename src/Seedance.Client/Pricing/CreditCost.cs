using System.Globalization;

namespace Seedance.Client.Pricing
{
    /// <summary>What one task of a model and duration costs, by the catalog in force.</summary>
    public sealed class CreditCost
    {
        public CreditCost(string model, int duration, decimal credits, decimal priceUsd, string table, string source)
        {
            Model = model;
            Duration = duration;
            Credits = credits;
            PriceUsd = priceUsd;
            Table = table;
            Source = source;
            AtSubmit = credits;
            Charge = string.Empty;
        }

        public string Model { get; }
        public int Duration { get; }

        /// <summary>The credits a budget counts: the final charge, or for a charge that settles after success its documented maximum.</summary>
        public decimal Credits { get; }
        public decimal PriceUsd { get; }

        /// <summary>The resolution priced (the model's default when none was asked for), or null.</summary>
        public string? OutputResolution { get; internal set; }

        /// <summary>What the service reserves when the task is created (less than Credits when the charge settles later).</summary>
        public decimal AtSubmit { get; internal set; }

        /// <summary>True when creditsUsed is updated after success (reference video on 2.5, extend, edit).</summary>
        public bool FinalMayChange { get; internal set; }

        /// <summary>How the charge is computed, e.g. "8 s x 40 credits/s".</summary>
        public string Charge { get; internal set; }

        /// <summary>False for a model the catalog has no rate for: Credits is 0 and means nothing; budgets refuse it.</summary>
        public bool PriceKnown { get; internal set; } = true;

        /// <summary>The table the rate came from: "built-in", or the file given to Set-SeedanceConfiguration -PriceTable.</summary>
        public string Table { get; }

        /// <summary>
        /// Which table, and where its rate comes from (the docs disagree, so every rate names its page), e.g.
        /// "built-in: seedance2-pro.com Omni Reference page: credits = seconds x 40".
        /// </summary>
        public string Source { get; }

        internal static CreditCost Unknown(string model, int duration, string table) =>
            new CreditCost(model, duration, 0m, 0m, table, $"{table}: no rate for '{model}' (not in the catalog)")
            {
                PriceKnown = false,
                Charge = "price unknown",
            };

        public override string ToString() => !PriceKnown
            ? "price unknown"
            : string.Format(CultureInfo.InvariantCulture, FinalMayChange ? "up to {0} credits (${1:0.00})" : "{0} credits (${1:0.00})", Credits, PriceUsd);
    }
}
