namespace Seedance.Client.Pricing
{
    /// <summary>What one task of a model and duration costs, by the module's price table.</summary>
    public sealed class CreditCost
    {
        public CreditCost(string model, int duration, decimal credits, decimal priceUsd, string source)
        {
            Model = model;
            Duration = duration;
            Credits = credits;
            PriceUsd = priceUsd;
            Source = source;
        }

        public string Model { get; }
        public int Duration { get; }
        public decimal Credits { get; }
        public decimal PriceUsd { get; }

        /// <summary>Where the rate came from (the docs disagree, so the table says which page it follows).</summary>
        public string Source { get; }

        public override string ToString() =>
            string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0} credits (${1:0.00})", Credits, PriceUsd);
    }
}
