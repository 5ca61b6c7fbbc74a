using System;
using System.Linq;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Validation;
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
            CreditCost cost = PriceTable.Default.CostOf("seedance-20", seconds, null, 0);

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
                CreditCost cost = PriceTable.Default.CostOf("seedance-20", seconds, null, 0);
                Assert.Equal(40m * seconds, cost.Credits);
                Assert.Equal(40m * seconds * 0.005m, cost.PriceUsd);
            }
        }

        [Fact]
        public void Fast_IsTwentyEightCreditsPerSecond()
        {
            for (int seconds = 4; seconds <= 15; seconds++)
            {
                CreditCost cost = PriceTable.Default.CostOf("seedance2-fast", seconds, null, 0);
                Assert.Equal("seedance2-fast", cost.Model);
                Assert.Equal(28m * seconds, cost.Credits);
                Assert.Equal(Math.Round(28m * seconds * 0.005m, 2), cost.PriceUsd);
            }

            // 8 s of fast: 224 credits, $1.12.
            Assert.Equal(224m, PriceTable.Default.CostOf("seedance2-fast", 8, null, 0).Credits);
            Assert.Equal(1.12m, PriceTable.Default.CostOf("seedance2-fast", 8, null, 0).PriceUsd);
        }

        [Fact]
        public void ModelLookup_IgnoresCase()
        {
            Assert.True(PriceTable.Default.Knows("SEEDANCE-20"));
            Assert.Equal(320m, PriceTable.Default.CostOf("Seedance-20", 8, null, 0).Credits);
        }

        [Fact]
        public void Default_IsTheShippedCatalog_EveryModelWithARateAndItsSource()
        {
            Assert.Equal(
                new[] { "seedance-20", "seedance2-fast", "seedance2.0-mini", "seedance2-5", "seedance2-5-extend", "seedance2-5-edit" },
                PriceTable.Default.ModelNames);
            Assert.All(PriceTable.Default.Models, m => Assert.False(string.IsNullOrWhiteSpace(m.SourceOf("rates"))));
            Assert.Equal(0.005m, PriceTable.Default.UsdPerCredit);
            Assert.Equal("seedance-20", PriceTable.Default.DefaultModel);
        }

        [Fact]
        public void UnknownModel_HasNoPrice_AndSaysSo()
        {
            CreditCost cost = PriceTable.Default.CostOf("seedance-99", 8, null, 0);
            Assert.False(cost.PriceKnown);
            Assert.Equal(0m, cost.Credits);
            Assert.Equal("price unknown", cost.ToString());
            Assert.Contains("seedance-99", cost.Source);
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
            ArgumentOutOfRangeException e = Assert.Throws<ArgumentOutOfRangeException>(() => PriceTable.Default.CostOf("seedance-20", seconds, null, 0));
            Assert.Equal("durationSeconds", e.ParamName);
        }

        [Fact]
        public void CustomTable_UsesItsOwnRatesAndCreditValue()
        {
            PriceTable table = PriceTableFile.Parse("{ \"usdPerCredit\": 0.01, \"models\": { \"seedance-20\": { \"creditsPerSecond\": 83, \"outputResolution\": { \"720p\": 83 }, \"source\": \"1080p page\" } } }", "custom");

            CreditCost cost = table.CostOf("seedance-20", 10, null, 0);
            Assert.Equal(830m, cost.Credits);
            Assert.Equal(8.30m, cost.PriceUsd);
            Assert.Equal("custom: 1080p page", cost.Source);
            Assert.Equal(280m, table.CostOf("seedance2-fast", 10, null, 0).Credits);
        }

        [Fact]
        public void Dollars_AreRoundedToCents()
        {
            PriceTable table = PriceTableFile.Parse("{ \"models\": { \"m\": { \"creditsPerSecond\": 1.333 } } }", "test");
            // 1.333 × 7 = 9.331 credits × 0.005 = 0.046655 → 0.05 (banker's or away-from-zero agree here).
            Assert.Equal(0.05m, table.CostOf("m", 7, null, 0).PriceUsd);
        }

        [Fact]
        public void Quote_PricesAValidInput_WithTheReferenceVideoRate()
        {
            (CreditCost? cost, var failures) = PriceTable.Default.Quote("seedance-20", 8, null, referenceVideos: 0);
            Assert.Empty(failures);
            Assert.Equal(320m, cost!.Credits);

            (CreditCost? withVideo, _) = PriceTable.Default.Quote("seedance-20", 8, null, referenceVideos: 1);
            Assert.Equal(PriceTable.Default.CostOf("seedance-20", 8, null, 1).Credits, withVideo!.Credits);
        }

        [Fact]
        public void Quote_ModelWithoutPrice_IsUnknownModel_NeverAGuess()
        {
            (CreditCost? cost, var failures) = PriceTable.Default.Quote("seedance-99", 8, null, 0);

            Assert.Null(cost);
            ValidationFailure failure = Assert.Single(failures);
            Assert.Equal("UnknownModel", failure.ErrorId);
            Assert.Equal("seedance-99", failure.Target);
            Assert.Contains("seedance-20", failure.Message); // names the catalog's models
        }

        [Theory]
        [InlineData(3)]
        [InlineData(16)]
        [InlineData(0)]
        public void Quote_DurationOutsideTheModelsRange_IsInvalidDuration(int seconds)
        {
            (CreditCost? cost, var failures) = PriceTable.Default.Quote("seedance-20", seconds, null, 0);

            Assert.Null(cost);
            ValidationFailure failure = Assert.Single(failures);
            Assert.Equal("InvalidDuration", failure.ErrorId);
            Assert.Equal(seconds, failure.Target);
        }

        [Fact]
        public void Quote_DurationThatIsNoWholeNumber_IsInvalidDuration_NamingTheValueAsGiven()
        {
            (CreditCost? cost, var failures) = PriceTable.Default.Quote("seedance-20", "eight", null, 0);

            Assert.Null(cost);
            ValidationFailure failure = Assert.Single(failures);
            Assert.Equal("InvalidDuration", failure.ErrorId);
            Assert.Equal("eight", failure.Target);
        }

        [Fact]
        public void Quote_ResolutionTheModelCannotMake_IsRefused_NotPricedForNothing()
        {
            (CreditCost? cost, var failures) = PriceTable.Default.Quote("seedance2-fast", 8, "1080p", 0);

            Assert.Null(cost);
            ValidationFailure failure = Assert.Single(failures);
            Assert.Equal("InvalidOutputResolution", failure.ErrorId);
            Assert.Equal("1080p", failure.Target);
        }

        [Fact]
        public void Quote_ReportsEveryProblemOfTheInput_OneFailureEach()
        {
            (CreditCost? cost, var failures) = PriceTable.Default.Quote("seedance-99", "eight", null, 0);

            Assert.Null(cost);
            Assert.Equal(new[] { "UnknownModel", "InvalidDuration" }, failures.Select(f => f.ErrorId).ToArray());
        }
    }
}
