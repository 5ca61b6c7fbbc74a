using System;
using System.Linq;
using Seedance.Client.Http;
using Seedance.Client.Json;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Validation;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>The model catalog as data (issue 19): loading, a user's override, and validation and pricing per model.</summary>
    public class ModelCatalogTests
    {
        private static readonly string[] Facts = { "durations", "prompt", "materials", "modes", "ratios", "resolutions", "rates", "charge" };

        [Fact]
        public void BuiltIn_EveryModelNamesTheSourceOfEachFact()
        {
            foreach (ModelSpec model in PriceTable.Default.Models)
            {
                Assert.True(model.IsCatalogued, model.Name);
                foreach (string fact in Facts)
                {
                    Assert.True(model.Sources.ContainsKey(fact), $"{model.Name} has no source for {fact}");
                    Assert.Matches("seedance2-pro.com|kinovi-ai/kinovi-models", model.Sources[fact]);
                }
            }
        }

        [Theory]
        [InlineData("seedance-20", 4, 15, 4000, 9, 3, 3, "480p,720p,1080p,4k")]
        [InlineData("seedance2-fast", 4, 15, 4000, 9, 3, 3, "480p,720p")]
        [InlineData("seedance2.0-mini", 4, 15, 4000, 9, 3, 3, "480p,720p")]
        [InlineData("seedance2-5", 4, 30, 30000, 30, 10, 10, "480p,720p,1080p")]
        [InlineData("seedance2-5-extend", 4, 30, 30000, 30, 10, 10, "480p,720p,1080p")]
        public void BuiltIn_Limits(string model, int min, int max, int prompt, int images, int videos, int audio, string resolutions)
        {
            ModelSpec spec = PriceTable.Default.Model(model);
            Assert.Equal(min, spec.MinDuration);
            Assert.Equal(max, spec.MaxDuration);
            Assert.Equal(prompt, spec.MaxPromptLength);
            Assert.Equal(images, spec.MaxImages);
            Assert.Equal(videos, spec.MaxVideos);
            Assert.Equal(audio, spec.MaxAudio);
            Assert.Equal(resolutions.Split(','), spec.Resolutions);
        }

        [Theory]
        [InlineData("seedance-20", 8, null, 0, 320, false)]
        [InlineData("seedance-20", 8, "4k", 0, 1600, false)]
        [InlineData("seedance-20", 8, "720p", 1, 384, false)]
        [InlineData("seedance2.0-mini", 10, "480p", 0, 75, false)]
        [InlineData("seedance2.0-mini", 10, "720p", 1, 240, false)]
        [InlineData("seedance2-5", 20, null, 0, 1180, false)]
        [InlineData("seedance2-5", 20, "1080p", 0, 2868, false)]
        [InlineData("seedance2-5", 5, "720p", 1, 1225, true)] // (30 + 5) x 35: the most a reference video can cost
        [InlineData("seedance2-5-extend", 5, "720p", 1, 1225, true)] // (30 + 5) x 35
        [InlineData("seedance2-5-edit", 0, "480p", 1, 960, true)] // 2 x 30 x 16
        public void Costs_PerModel_ResolutionAndReferenceVideo(string model, int seconds, string? resolution, int videos, double credits, bool settlesLater)
        {
            CreditCost cost = PriceTable.Default.CostOf(model, seconds, resolution, videos);
            Assert.Equal((decimal)credits, cost.Credits);
            Assert.Equal(settlesLater, cost.FinalMayChange);
            Assert.True(cost.PriceKnown);
        }

        [Fact]
        public void Extend_ReservesDurationAtSubmit_AndBudgetsTheMaximum()
        {
            CreditCost cost = PriceTable.Default.CostOf("seedance2-5-extend", 8, "720p", 1);
            Assert.Equal(8 * 35m, cost.AtSubmit);
            Assert.Equal((30 + 8) * 35m, cost.Credits);
            Assert.Contains("30 s of source + 8 s", cost.Charge);
        }

        [Fact]
        public void UserTable_OverridesFieldsOfABuiltInModel_AndAddsAModel()
        {
            PriceTable table = PriceTableFile.Parse(
                "{ \"source\": \"our contract\", \"models\": {" +
                "  \"seedance2-5\": { \"maxDuration\": 20, \"outputResolution\": { \"720p\": 50 } }," +
                "  \"seedance3\": { \"creditsPerSecond\": 70 } } }", "mine.json");

            ModelSpec overridden = table.Model("seedance2-5");
            Assert.Equal(20, overridden.MaxDuration);
            Assert.Equal(30000, overridden.MaxPromptLength); // kept from the built-in catalog
            Assert.Equal(50m * 10, table.CostOf("seedance2-5", 10, "720p", 0).Credits);
            Assert.Equal(26m * 10, table.CostOf("seedance2-5", 10, "480p", 0).Credits);
            Assert.Equal("our contract", overridden.SourceOf("rates"));

            ModelSpec added = table.Model("seedance3");
            Assert.False(added.IsCatalogued);
            Assert.Equal(700m, table.CostOf("seedance3", 10, null, 0).Credits);
            Assert.Contains("seedance3", table.ModelNames);
            Assert.Equal("seedance-20", table.DefaultModel);

            CreateTaskRequest tooLong = new CreateTaskRequest { Model = "seedance2-5", Prompt = "x", Duration = 25 };
            Assert.Equal("InvalidDuration", Assert.Single(CreateTaskRequestValidator.Validate(tooLong, table, null)).ErrorId);
            Assert.Empty(CreateTaskRequestValidator.Validate(tooLong, PriceTable.Default, null));
        }

        [Fact]
        public void UserTable_WithProblems_ListsThemAll()
        {
            PriceTableException e = Assert.Throws<PriceTableException>(() => PriceTableFile.Parse(
                "{ \"models\": { \"seedance2-5\": { \"maxDuration\": -1, \"charge\": \"never\", \"requires\": [\"wings\"] }, \"new\": { } } }", "bad.json"));
            Assert.Contains(e.Problems, p => p.Contains("maxDuration"));
            Assert.Contains(e.Problems, p => p.Contains("charge"));
            Assert.Contains(e.Problems, p => p.Contains("wings"));
            Assert.Contains(e.Problems, p => p.Contains("models.new.creditsPerSecond is missing"));
        }

        [Theory]
        [InlineData("seedance-20", 16, "InvalidDuration")]
        [InlineData("seedance2-fast", 3, "InvalidDuration")]
        [InlineData("seedance2.0-mini", 20, "InvalidDuration")]
        [InlineData("seedance2-5", 31, "InvalidDuration")]
        [InlineData("seedance2-5-extend", 31, "InvalidDuration")]
        public void Duration_OutOfTheModelsRange(string model, int seconds, string errorId)
        {
            CreateTaskRequest request = new CreateTaskRequest { Model = model, Prompt = "x", Duration = seconds, VideoUrls = new[] { "https://a/v.mp4" } };
            request.CheckedAs(PriceTable.Default.Model(model), durationGiven: true, ratioGiven: false);
            ValidationFailure failure = Assert.Single(CreateTaskRequestValidator.Validate(request, PriceTable.Default, null));
            Assert.Equal(errorId, failure.ErrorId);
            Assert.Contains($"{PriceTable.Default.Model(model).MinDuration} to {PriceTable.Default.Model(model).MaxDuration}", failure.Message);
        }

        [Fact]
        public void Seedance25_Takes30Seconds_30Images_AndALongPrompt()
        {
            CreateTaskRequest request = new CreateTaskRequest
            {
                Model = "seedance2-5", Prompt = new string('p', 30000), Duration = 30,
                ImageUrls = Enumerable.Range(1, 30).Select(i => $"https://a/{i}.png").ToArray(),
            };
            Assert.Empty(CreateTaskRequestValidator.Validate(request, PriceTable.Default, null));
            Assert.Equal("reference", request.EffectiveMode);
            request.ImageUrls = new[] { "https://a/1.png", "https://a/2.png" };
            Assert.Null(request.EffectiveMode);

            request.Model = "seedance-20";
            string[] ids = CreateTaskRequestValidator.Validate(request, PriceTable.Default, null).Select(f => f.ErrorId).OrderBy(i => i, StringComparer.Ordinal).ToArray();
            Assert.Equal(new[] { "InvalidDuration", "PromptTooLong" }, ids);
        }

        [Fact]
        public void ExtendAndEdit_CheckTheirRequiredInputs_BeforeAnythingIsSent()
        {
            CreateTaskRequest extend = new CreateTaskRequest { Model = "seedance2-5-extend", Prompt = "go on" }
                .CheckedAs(PriceTable.Default.Model("seedance2-5-extend"), durationGiven: false, ratioGiven: true);
            string[] ids = CreateTaskRequestValidator.Validate(extend, PriceTable.Default, null).Select(f => f.ErrorId).OrderBy(i => i, StringComparer.Ordinal).ToArray();
            Assert.Equal(new[] { "DurationRequired", "RatioNotTaken", "VideoRequired" }, ids);

            CreateTaskRequest edit = new CreateTaskRequest { Model = "seedance2-5-edit", Prompt = "recolour", Duration = 8, VideoUrls = new[] { "https://a/v.mp4" } }
                .CheckedAs(PriceTable.Default.Model("seedance2-5-edit"), durationGiven: true, ratioGiven: false);
            Assert.Equal("DurationNotTaken", Assert.Single(CreateTaskRequestValidator.Validate(edit, PriceTable.Default, null)).ErrorId);
        }

        [Fact]
        public void Audio_NeverAlone_WithinTheModelsLimit_AndNotForAShapeWithoutAudio()
        {
            CreateTaskRequest alone = new CreateTaskRequest { Model = "seedance-20", Prompt = "x", AudioUrls = new[] { "https://a/a.mp3" } };
            Assert.Equal("AudioAlone", Assert.Single(CreateTaskRequestValidator.Validate(alone, PriceTable.Default, RequestShape.Kinovi)).ErrorId);

            CreateTaskRequest many = new CreateTaskRequest
            {
                Model = "seedance-20", Prompt = "x", ImageUrls = new[] { "https://a/1.png" },
                AudioUrls = Enumerable.Range(1, 4).Select(i => $"https://a/{i}.mp3").ToArray(),
            };
            Assert.Equal("TooManyAudio", Assert.Single(CreateTaskRequestValidator.Validate(many, PriceTable.Default, RequestShape.Kinovi)).ErrorId);

            many.AudioUrls = new[] { "https://a/1.mp3" };
            Assert.Empty(CreateTaskRequestValidator.Validate(many, PriceTable.Default, RequestShape.Kinovi));
            Assert.Equal("AudioNotSupported", Assert.Single(CreateTaskRequestValidator.Validate(many, PriceTable.Default, RequestShape.Seed)).ErrorId);
            Assert.Equal("reference", many.EffectiveMode);
        }

        [Fact]
        public void AtN_CountsImagesThenVideosThenAudio()
        {
            CreateTaskRequest request = new CreateTaskRequest
            {
                Model = "seedance2-5", Prompt = "@1 dances to @3 like @2; @4 is nothing",
                ImageUrls = new[] { "https://cdn.example.com/1.png" }, VideoUrls = new[] { "https://cdn.example.com/v.mp4" }, AudioUrls = new[] { "https://cdn.example.com/a.mp3" },
            };
            string warning = Assert.Single(CreateTaskRequestValidator.Warnings(request, PriceTable.Default));
            Assert.Contains("@4", warning);
            Assert.Contains("1 audio", warning);
        }

        [Theory]
        [InlineData("https://seedance2-pro.com/api/v1", "Seed")]
        [InlineData("https://kinovi.ai/api/v1", "Kinovi")]
        [InlineData("https://api.kinovi.ai/api/v1", "Kinovi")]
        [InlineData("http://127.0.0.1:5080/api/v1", "Seed")]
        [InlineData("https://reseller.example/api/v1", "Seed")]
        public void Shape_IsChosenFromTheHost(string baseUri, string shape)
        {
            Assert.Equal(shape, RequestShape.ForHost(new Uri(baseUri)).Name);
        }

        [Fact]
        public void Body_InEachShape_UsesOnlyThatShapesKeys()
        {
            CreateTaskRequest request = new CreateTaskRequest
            {
                Model = "seedance2-5", Prompt = "p", Duration = 8, Ratio = "9:16",
                ImageUrls = new[] { "https://a/1.png" }, VideoUrls = new[] { "https://a/v.mp4" }, AudioUrls = new[] { "https://a/a.mp3" },
                AdditionalInputs = new System.Collections.Generic.Dictionary<string, object?> { ["seed"] = 42L, ["outputResolution"] = "1080p" },
            };

            Assert.Equal(
                "{\"model\":\"seedance2-5\",\"inputs\":{\"prompt\":\"p\",\"imageUrls\":[\"https://a/1.png\"],\"videoUrls\":[\"https://a/v.mp4\"],\"audioUrls\":[\"https://a/a.mp3\"],\"aspectRatio\":\"9:16\",\"duration\":8,\"mode\":\"reference\",\"outputResolution\":\"1080p\",\"seed\":42}}",
                CreateTaskBodyWriter.Write(request, RequestShape.Kinovi));

            request.AudioUrls = Array.Empty<string>();
            Assert.Equal(
                "{\"model\":\"seedance2-5\",\"inputs\":{\"prompt\":\"p\",\"urls\":[\"https://a/1.png\"],\"videoUrls\":[\"https://a/v.mp4\"],\"ratio\":\"9:16\",\"duration\":\"8s\",\"mode\":\"reference\",\"outputResolution\":\"1080p\",\"seed\":42}}",
                CreateTaskBodyWriter.Write(request, RequestShape.Seed));
        }

        [Fact]
        public void Body_ForEdit_HasNoDurationRatioOrMode()
        {
            CreateTaskRequest edit = new CreateTaskRequest { Model = "seedance2-5-edit", Prompt = "p", VideoUrls = new[] { "https://a/v.mp4" } }
                .CheckedAs(PriceTable.Default.Model("seedance2-5-edit"), durationGiven: false, ratioGiven: false);
            Assert.Equal("{\"model\":\"seedance2-5-edit\",\"inputs\":{\"prompt\":\"p\",\"videoUrls\":[\"https://a/v.mp4\"]}}",
                CreateTaskBodyWriter.Write(edit, RequestShape.Kinovi));
        }
    }
}
