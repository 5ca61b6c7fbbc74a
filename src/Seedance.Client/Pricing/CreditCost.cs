namespace Seedance.Client.Pricing
{
    /// <summary>What one task of a model and duration costs, by the price table in force.</summary>
    public sealed class CreditCost
    {
        public CreditCost(string model, int duration, decimal credits, decimal priceUsd, string source)
            : this(model, duration, credits, priceUsd, PriceTable.BuiltInName, source)
        {
        }

        public CreditCost(string model, int duration, decimal credits, decimal priceUsd, string table, string source)
        {
            Model = model;
            Duration = duration;
            Credits = credits;
            PriceUsd = priceUsd;
            Table = table;
            Source = source;
        }

        public string Model { get; }
        public int Duration { get; }
        public decimal Credits { get; }
        public decimal PriceUsd { get; }

        /// <summary>The table the rate came from: "built-in", or the file given to Set-SeedanceConfiguration -PriceTable.</summary>
        public string Table { get; }

        /// <summary>
        /// Which table, and where its rate comes from (the docs disagree, so every rate names its page), e.g.
        /// "built-in: seedance2-pro.com Omni Reference page: credits = seconds × 40".
        /// </summary>
        public string Source { get; }

        public override string ToString() =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0} credits (${1:0.00})", Credits, PriceUsd);
    }
}
