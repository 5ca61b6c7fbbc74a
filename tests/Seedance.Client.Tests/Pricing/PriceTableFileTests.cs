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

            CreditCost cost = table.CostOf("seedance-20", 8, null, 0);
            Assert.Equal(400m, cost.Credits);
            Assert.Equal(1.60m, cost.PriceUsd);
            Assert.Equal("/home/me/prices.json", cost.Table);
            Assert.Equal("/home/me/prices.json: our contract 2026-11", cost.Source);
        }

        [Fact]
        public void AModelTheFileLeavesOut_KeepsTheBuiltInRate_AndSaysSo()
        {
            PriceTable table = PriceTableFile.Parse(@"{ ""models"": { ""seedance-20"": { ""creditsPerSecond"": 50 } } }", "prices.json");

            CreditCost cost = table.CostOf("seedance2-fast", 10, null, 0);
            Assert.Equal(280m, cost.Credits);
            Assert.Equal(PriceTable.BuiltInName, cost.Table);
            Assert.StartsWith("built-in (prices.json has no rate for seedance2-fast): kinovi-ai/kinovi-models", cost.Source);
            Assert.True(table.Knows("seedance2-fast"));
        }

        [Fact]
        public void BuiltInCosts_NameTheBuiltInTable()
        {
            CreditCost cost = PriceTable.Default.CostOf("seedance-20", 8, null, 0);
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
        [InlineData(@"{ ""defaultModel"": 5, ""models"": { ""seedance-20"": { ""creditsPerSecond"": 40 } } }", "defaultModel '5' is not a model of the table")]
        [InlineData(@"{ ""models"": { ""seedance-20"": { ""ratios"": ""16:9"" } } }", "ratios must be an array of texts")]
        [InlineData(@"{ ""models"": { ""seedance-20"": { ""modes"": [""keyframe"", 2] } } }", "modes must be an array of texts")]
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

        [Theory]
        [InlineData(@"{ ""models"": { ""seedance-20"": { ""creditsPerSecond"": 40 }, ""seedance-20"": { ""creditsPerSecond"": 1 } } }", "models: 'seedance-20' is given more than once")]
        [InlineData(@"{ ""models"": { ""seedance-20"": { ""creditsPerSecond"": 40, ""creditsPerSecond"": 1 } } }", "'creditsPerSecond' is given more than once")]
        [InlineData(@"{ ""usdPerCredit"": 0.005, ""usdPerCredit"": 5, ""models"": { ""seedance-20"": { ""creditsPerSecond"": 40 } } }", "'usdPerCredit' is given more than once")]
        [InlineData(@"{ ""models"": { ""seedance-20"": { ""outputResolution"": { ""720p"": 60, ""720P"": 1 } } } }", "models.seedance-20.outputResolution: '720P' is given more than once")]
        [InlineData(@"{ ""models"": { ""seedance-20"": { ""creditsPerSecond"": 7.9e27 } } }", "at most 1,000,000")]
        [InlineData(@"{ ""usdPerCredit"": 7.9e27, ""models"": { ""seedance-20"": { ""creditsPerSecond"": 40 } } }", "at most 1,000,000")]
        public void ADuplicateName_OrARateBeyondAnyCostItCouldCompute_IsRefused(string json, string problem)
        {
            PriceTableException e = Assert.Throws<PriceTableException>(() => PriceTableFile.Parse(json, "prices.json"));
            Assert.Contains(problem, e.Message);
        }

        [Fact]
        public void TheLargestRates_GiveACost_NeverAnOverflow()
        {
            PriceTable table = PriceTableFile.Parse(@"{ ""usdPerCredit"": 1000000, ""models"": { ""seedance-20"": { ""creditsPerSecond"": 1000000 } } }", "prices.json");
            CreditCost cost = table.CostOf("seedance-20", 15, null, 0);
            Assert.Equal(15_000_000m, cost.Credits);
        }

        [Fact]
        public void ASourceWithControlCharacters_IsCleaned()
        {
            PriceTable table = PriceTableFile.Parse("{ \"source\": \"ours\\u001b[2J\\u001b]0;pwned\\u0007 2026\", \"models\": { \"seedance-20\": { \"creditsPerSecond\": 40 } } }", "prices.json");
            Assert.Equal("ours 2026", table.CostOf("seedance-20", 5, null, 0).Source.Split(new[] { ": " }, 2, StringSplitOptions.None)[1]);
        }

        [Fact]
        public void AFileOverTheCap_IsRefusedWithoutReadingItAll()
        {
            string path = Path.Combine(Path.GetTempPath(), "prices-big-" + Guid.NewGuid().ToString("N") + ".json");
            using (FileStream file = File.Create(path))
            {
                file.SetLength(1L << 30); // 1 GiB, sparse
            }

            try
            {
                PriceTableException e = Assert.Throws<PriceTableException>(() => PriceTableFile.Load(path));
                Assert.Contains("larger than 1024 KiB", e.Message);
            }
            finally
            {
                File.Delete(path);
            }
        }

        [Fact]
        public async System.Threading.Tasks.Task AFifo_IsRefused_NotWaitedOn()
        {
            if (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows))
            {
                return;
            }

            string path = Path.Combine(Path.GetTempPath(), "prices-fifo-" + Guid.NewGuid().ToString("N"));
            using (System.Diagnostics.Process mkfifo = System.Diagnostics.Process.Start("mkfifo", path)!)
            {
                mkfifo.WaitForExit();
            }

            try
            {
                System.Threading.Tasks.Task<PriceTableException> load = System.Threading.Tasks.Task.Run(() => Assert.Throws<PriceTableException>(() => PriceTableFile.Load(path)));
                System.Threading.Tasks.Task first = await System.Threading.Tasks.Task.WhenAny(load, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(30)));
                Assert.True(first == load, "Load waited on the FIFO for a writer");
                Assert.Contains("FIFO", (await load).Message);
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
