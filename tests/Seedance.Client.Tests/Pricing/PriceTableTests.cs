using System;
using System.Linq;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Xunit;

namespace Seedance.Client.Tests
{
    public class PriceTableTests
    {
        /// <summary>The table in the API contract, copied as written (duration, credits, USD).</summary>
        [Theory]
        [InlineData(4, 160, "0.80")]
        [InlineData(5, 200, "1.00")]
        [InlineData(8, 320, "1.60")]
        [InlineData(10, 400, "2.00")]
        [InlineData(15, 600, "3.00")]
        public void Standard_MatchesTheDocumentedTable(int seconds, int credits, string usd)
        {
            CreditCost cost = PriceTable.Default.CostOf("seedance-20", seconds);

            Assert.Equal("seedance-20", cost.Model);
            Assert.Equal(seconds, cost.Duration);
            Assert.Equal((decimal)credits, cost.Credits);
            Assert.Equal(decimal.Parse(usd, System.Globalization.CultureInfo.InvariantCulture), cost.PriceUsd);
            Assert.Equal($"{credits} credits (${usd})", cost.ToString());
            Assert.Contains("40", cost.Source);
        }

        [Fact]
        public void Standard_EveryDuration_IsFortyCreditsPerSecond()
        {
            for (int seconds = 4; seconds <= 15; seconds++)
            {
                CreditCost cost = PriceTable.Default.CostOf(SeedanceModels.Standard, seconds);
                Assert.Equal(40m * seconds, cost.Credits);
                Assert.Equal(40m * seconds * 0.005m, cost.PriceUsd);
            }
        }

        [Fact]
        public void Fast_IsTwentyEightCreditsPerSecond()
        {
            for (int seconds = 4; seconds <= 15; seconds++)
            {
                CreditCost cost = PriceTable.Default.CostOf(SeedanceModels.Fast, seconds);
                Assert.Equal("seedance2-fast", cost.Model);
                Assert.Equal(28m * seconds, cost.Credits);
                Assert.Equal(Math.Round(28m * seconds * 0.005m, 2), cost.PriceUsd);
            }

            // 8 s of fast: 224 credits, $1.12.
            Assert.Equal(224m, PriceTable.Default.CostOf(SeedanceModels.Fast, 8).Credits);
            Assert.Equal(1.12m, PriceTable.Default.CostOf(SeedanceModels.Fast, 8).PriceUsd);
        }

        [Fact]
        public void ModelLookup_IgnoresCase()
        {
            Assert.True(PriceTable.Default.Knows("SEEDANCE-20"));
            Assert.Equal(320m, PriceTable.Default.CostOf("Seedance-20", 8).Credits);
        }

        [Fact]
        public void Default_KnowsExactlyTheModelsOfTheService()
        {
            Assert.Equal(
                SeedanceModels.All.OrderBy(m => m, StringComparer.Ordinal),
                PriceTable.Default.Rates.Select(r => r.Model).OrderBy(m => m, StringComparer.Ordinal));
            Assert.All(PriceTable.Default.Rates, r => Assert.False(string.IsNullOrWhiteSpace(r.Source)));
            Assert.Equal(0.005m, PriceTable.Default.UsdPerCredit);
        }

        [Fact]
        public void UnknownModel_Throws_AndNamesTheKnownModels()
        {
            ArgumentException e = Assert.Throws<ArgumentException>(() => PriceTable.Default.CostOf("seedance-99", 8));
            Assert.Equal("model", e.ParamName);
            Assert.Contains("seedance-99", e.Message);
            Assert.Contains("seedance-20", e.Message);
            Assert.Contains("seedance2-fast", e.Message);
            Assert.False(PriceTable.Default.Knows("seedance-99"));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(3)]
        [InlineData(16)]
        [InlineData(-5)]
        [InlineData(60)]
        public void OutOfRangeDuration_Throws(int seconds)
        {
            ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => PriceTable.Default.CostOf(SeedanceModels.Standard, seconds));
            Assert.Equal("durationSeconds", e.ParamName);
        }

        [Fact]
        public void CustomTable_UsesItsOwnRatesAndCreditValue()
        {
            PriceTable table = new PriceTable(new[] { new ModelRate("seedance-20", 83m, "1080p page") }, 0.01m);

            CreditCost cost = table.CostOf("seedance-20", 10);
            Assert.Equal(830m, cost.Credits);
            Assert.Equal(8.30m, cost.PriceUsd);
            Assert.Equal("custom: 1080p page", cost.Source);
            Assert.Throws<ArgumentException>(() => table.CostOf("seedance2-fast", 10));
        }

        [Fact]
        public void Dollars_AreRoundedToCents()
        {
            PriceTable table = new PriceTable(new[] { new ModelRate("m", 1.333m, "test") }, 0.005m);
            // 1.333 × 7 = 9.331 credits × 0.005 = 0.046655 → 0.05 (banker's or away-from-zero agree here).
            Assert.Equal(0.05m, table.CostOf("m", 7).PriceUsd);
        }
    }
}
