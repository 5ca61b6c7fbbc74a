using System;
using System.IO;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>A user's price table: what it changes, what it falls back to, and every way it is refused.</summary>
    public class PriceTableFileTests
    {
        [Fact]
        public void Rates_UsdPerCredit_AndTheTableName_AreUsed_EveryCostSaysWhichTable()
        {
            PriceTable table = PriceTableFile.Parse(@"{
                // comments and trailing commas are fine in a file people edit by hand
                ""source"": ""our contract 2026-11"",
                ""usdPerCredit"": 0.004,
                ""models"": { ""seedance-20"": { ""creditsPerSecond"": 50 }, },
            }", "/home/me/prices.json");

            CreditCost cost = table.CostOf("seedance-20", 8);
            Assert.Equal(400m, cost.Credits);
            Assert.Equal(1.60m, cost.PriceUsd);
            Assert.Equal("/home/me/prices.json", cost.Table);
            Assert.Equal("/home/me/prices.json: our contract 2026-11", cost.Source);
        }

        [Fact]
        public void AModelTheFileLeavesOut_KeepsTheBuiltInRate_AndSaysSo()
        {
            PriceTable table = PriceTableFile.Parse(@"{ ""models"": { ""seedance-20"": { ""creditsPerSecond"": 50 } } }", "prices.json");

            CreditCost cost = table.CostOf("seedance2-fast", 10);
            Assert.Equal(280m, cost.Credits);
            Assert.Equal(PriceTable.BuiltInName, cost.Table);
            Assert.StartsWith("built-in (prices.json has no rate for seedance2-fast): kinovi-ai/kinovi-models", cost.Source);
            Assert.True(table.Knows("seedance2-fast"));
        }

        [Fact]
        public void BuiltInCosts_NameTheBuiltInTable()
        {
            CreditCost cost = PriceTable.Default.CostOf("seedance-20", 8);
            Assert.Equal("built-in", cost.Table);
            Assert.StartsWith("built-in: seedance2-pro.com Omni Reference page", cost.Source);
        }

        [Theory]
        [InlineData("not json", "not valid JSON")]
        [InlineData("[]", "must be a JSON object")]
        [InlineData(@"{ ""models"": {} }", "at least one model")]
        [InlineData(@"{ ""modles"": { ""seedance-20"": { ""creditsPerSecond"": 40 } } }", "'modles' is not a field")]
        [InlineData(@"{ ""models"": { "" seedance20"": { ""creditsPerSecond"": 40 } } }", "without surrounding spaces")]
        [InlineData(@"{ ""models"": { ""seedance-20"": { ""creditsPerSecond"": -1 } } }", "creditsPerSecond must be a number greater than 0")]
        [InlineData(@"{ ""models"": { ""seedance-20"": { ""creditsPerSecond"": ""40"" } } }", "creditsPerSecond must be a number greater than 0")]
        [InlineData(@"{ ""models"": { ""seedance30"": { } } }", "creditsPerSecond is missing")]
        [InlineData(@"{ ""models"": { ""seedance-20"": { ""maxDuration"": 2.5 } } }", "maxDuration must be a whole number")]
        [InlineData(@"{ ""models"": { ""seedance-20"": { ""charge"": ""free"" } } }", "charge must be one of perSecond")]
        [InlineData(@"{ ""models"": { ""seedance-20"": { ""creditsPerSecond"": 40, ""perSecond"": 1 } } }", "'perSecond' is not a field")]
        [InlineData(@"{ ""models"": { ""seedance-20"": { ""creditsPerSecond"": 40, ""outputResolution"": { ""8k"": 100 } } } }", "'8k' is not a resolution")]
        [InlineData(@"{ ""usdPerCredit"": 0, ""models"": { ""seedance-20"": { ""creditsPerSecond"": 40 } } }", "usdPerCredit must be a number greater than 0")]
        public void BrokenTables_AreRefused_SayingWhy(string json, string expected)
        {
            PriceTableException e = Assert.Throws<PriceTableException>(() => PriceTableFile.Parse(json, "prices.json"));
            Assert.Equal("prices.json", e.Path);
            Assert.Contains(expected, e.Message);
        }

        [Fact]
        public void EveryProblem_IsListed_NotJustTheFirst()
        {
            PriceTableException e = Assert.Throws<PriceTableException>(() => PriceTableFile.Parse(
                @"{ ""usdPerCredit"": -1, ""models"": { ""seedance-20"": { ""creditsPerSecond"": 0 }, ""x"": { } } }", "p.json"));
            Assert.Equal(3, e.Problems.Count);
        }

        [Fact]
        public void AMissingFile_IsAPriceTableException()
        {
            string path = Path.Combine(Path.GetTempPath(), "no-such-" + Guid.NewGuid().ToString("N") + ".json");
            PriceTableException e = Assert.Throws<PriceTableException>(() => PriceTableFile.Load(path));
            Assert.Contains("cannot be read", e.Message);
        }
    }
}
