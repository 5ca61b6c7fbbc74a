using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Seedance.Client.Json;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Validation;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>-AdditionalInput: what is refused, what is checked, and exactly what reaches "inputs".</summary>
    public class AdditionalInputTests
    {
        private static CreateTaskRequest Request(string model = "seedance-20", params (string Name, object? Value)[] inputs) => new CreateTaskRequest
        {
            Prompt = "a fox",
            Model = model,
            AdditionalInputs = inputs.ToDictionary(i => i.Name, i => i.Value),
        };

        private static string[] ErrorIds(CreateTaskRequest request) =>
            CreateTaskRequestValidator.Validate(request, PriceTable.Default, null).Select(f => f.ErrorId).ToArray();

        [Fact]
        public void KnownInputs_AreWrittenIntoInputs_AsGiven_AfterTheFirstClassOnes()
        {
            CreateTaskRequest request = Request("seedance-20", ("seed", 3000000001L), ("outputResolution", "1080p"), ("generate_audio", false), ("upscaleResolution", "4k"));
            Assert.Empty(ErrorIds(request));

            using JsonDocument document = JsonDocument.Parse(CreateTaskBodyWriter.Write(request));
            JsonElement inputs = document.RootElement.GetProperty("inputs");
            Assert.Equal(new[] { "prompt", "ratio", "duration", "generate_audio", "outputResolution", "seed", "upscaleResolution" },
                inputs.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.Equal(3000000001L, inputs.GetProperty("seed").GetInt64());
            Assert.Equal("1080p", inputs.GetProperty("outputResolution").GetString());
            Assert.Equal(JsonValueKind.False, inputs.GetProperty("generate_audio").ValueKind);
            Assert.Equal(", inputs: generate_audio=false, outputResolution=1080p, seed=3000000001, upscaleResolution=4k", request.AdditionalInputsSummary);
        }

        [Fact]
        public void NoAdditionalInputs_WriteNothingMore()
        {
            CreateTaskRequest request = Request();
            using JsonDocument document = JsonDocument.Parse(CreateTaskBodyWriter.Write(request));
            Assert.Equal(new[] { "prompt", "ratio", "duration" }, document.RootElement.GetProperty("inputs").EnumerateObject().Select(p => p.Name).ToArray());
            Assert.Equal(string.Empty, request.AdditionalInputsSummary);
        }

        [Theory]
        [InlineData("prompt")]
        [InlineData("urls")]
        [InlineData("videoUrls")]
        [InlineData("ratio")]
        [InlineData("aspectRatio")]
        [InlineData("duration")]
        [InlineData("mode")]
        [InlineData("Mode")]
        [InlineData("model")]
        [InlineData("callBackUrl")]
        public void NamesAParameterCovers_AreRefused(string name)
        {
            ValidationFailure failure = Assert.Single(CreateTaskRequestValidator.Validate(Request("seedance-20", (name, "x")), PriceTable.Default, null));
            Assert.Equal("AdditionalInputCollides", failure.ErrorId);
            Assert.Equal("AdditionalInput", failure.ParameterName);
            Assert.Equal(name, failure.Target);
            Assert.Matches("use -[A-Z]", failure.Message);
        }

        [Theory]
        [InlineData("outputResolution", "2160p", "InvalidOutputResolution")]
        [InlineData("outputResolution", "1080P", "InvalidOutputResolution")]
        [InlineData("upscaleResolution", "8k", "InvalidUpscaleResolution")]
        [InlineData("generate_audio", "yes", "InvalidGenerateAudio")]
        [InlineData("seed", "42", "InvalidSeed")]
        [InlineData("seed", 4.5, "InvalidSeed")]
        [InlineData("OutputResolution", "1080p", "InvalidAdditionalInput")]
        [InlineData("Seed", 1, "InvalidAdditionalInput")]
        [InlineData(" ", 1, "InvalidAdditionalInput")]
        public void DocumentedInputs_AreChecked(string name, object value, string errorId)
        {
            Assert.Equal(new[] { errorId }, ErrorIds(Request("seedance-20", (name, value))));
        }

        [Theory]
        [InlineData(-1, true)]
        [InlineData(0, true)]
        [InlineData(4294967295L, true)]
        [InlineData(4294967295UL, true)]
        [InlineData(42.0, true)]
        [InlineData(-2, false)]
        [InlineData(4294967296L, false)]
        [InlineData(ulong.MaxValue, false)]
        [InlineData(4294967296.0, false)]
        [InlineData(1e300, false)]
        [InlineData(4.5f, false)]
        [InlineData(true, false)]
        public void Seed_IsAWholeNumberFrom0To4294967295_OrMinusOne_OfAnyNumericType(object value, bool accepted)
        {
            Assert.Equal(accepted ? new string[0] : new[] { "InvalidSeed" }, ErrorIds(Request("seedance-20", ("seed", value))));
        }

        [Theory]
        [InlineData("output_format", "mp4", null, null)]
        [InlineData("output_format", "mov", null, null)]
        [InlineData("output_format", "MOV", "InvalidOutputFormat", "output_format must be mp4 or mov, not 'MOV'.")]
        [InlineData("bitrate_mode", "high", null, null)]
        [InlineData("bitrate_mode", "low", "InvalidBitrateMode", "bitrate_mode must be 'high' (or left out for the standard bitrate), not 'low'.")]
        [InlineData("upscaleResolution", "4k", null, null)]
        [InlineData("upscaleResolution", 4, "InvalidUpscaleResolution", "upscaleResolution must be 4k, not '4'.")]
        public void InputsOfAFewWords_TakeOnlyThoseWords_NamingThemWhenRefused(string name, object value, string? errorId, string? message)
        {
            IReadOnlyList<ValidationFailure> failures = CreateTaskRequestValidator.Validate(Request("seedance-20", (name, value)), PriceTable.Default, null);
            Assert.Equal(errorId is null ? new string[0] : new[] { errorId }, failures.Select(failure => failure.ErrorId).ToArray());
            Assert.Equal(message, failures.SingleOrDefault()?.Message);
            Assert.Equal(errorId is null ? null : value, failures.SingleOrDefault()?.Target);
        }

        [Fact]
        public void Fast_HasNo1080p()
        {
            ValidationFailure failure = Assert.Single(CreateTaskRequestValidator.Validate(Request("seedance2-fast", ("outputResolution", "1080p")), PriceTable.Default, null));
            Assert.Equal("InvalidOutputResolution", failure.ErrorId);
            Assert.Contains("seedance2-fast", failure.Message);
            Assert.Empty(ErrorIds(Request("seedance2-fast", ("outputResolution", "720p"))));
        }

        [Fact]
        public void ValuesWithoutAJsonForm_AreRefused_NamingThePart()
        {
            ValidationFailure failure = Assert.Single(CreateTaskRequestValidator.Validate(Request("seedance-20", ("extra", new Dictionary<string, object?> { ["when"] = DateTime.Now })), PriceTable.Default, null));
            Assert.Equal("InvalidAdditionalInput", failure.ErrorId);
            Assert.Contains("extra.when", failure.Message);
            Assert.Equal(new[] { "InvalidAdditionalInput" }, ErrorIds(Request("seedance-20", ("extra", double.NaN))));
        }

        [Fact]
        public void UnknownNames_AreSentAsGiven_WithAWarning()
        {
            CreateTaskRequest request = Request("seedance-20", ("cameraMotion", new Dictionary<string, object?> { ["pan"] = "left", ["speed"] = 1.5m }));
            Assert.Empty(ErrorIds(request));
            string warning = Assert.Single(CreateTaskRequestValidator.Warnings(request, PriceTable.Default));
            Assert.Contains("cameraMotion", warning);
            Assert.Contains("ignores", warning);

            using JsonDocument document = JsonDocument.Parse(CreateTaskBodyWriter.Write(request));
            JsonElement motion = document.RootElement.GetProperty("inputs").GetProperty("cameraMotion");
            Assert.Equal("left", motion.GetProperty("pan").GetString());
            Assert.Equal(1.5m, motion.GetProperty("speed").GetDecimal());
        }

        [Fact]
        public void OutputResolution_PricesAtTheTablesRateForIt()
        {
            PriceTable table = PriceTableFile.Parse(@"{ ""models"": { ""seedance-20"": { ""creditsPerSecond"": 40, ""outputResolution"": { ""1080p"": 90 } } } }", "mine.json");

            CreditCost cost = table.CostOf(Request("seedance-20", ("outputResolution", "1080p")));
            Assert.Equal(450m, cost.Credits); // 5 s x 90
            Assert.Contains("1080p rate", cost.Source);

            // The built-in catalog has the 1080p rate of the kinovi-ai/kinovi-models README (90 credits/s).
            Assert.Equal(450m, PriceTable.Default.CostOf(Request("seedance-20", ("outputResolution", "1080p"))).Credits);

            PriceTable withoutIt = PriceTableFile.Parse(@"{ ""models"": { ""m"": { ""creditsPerSecond"": 40 } } }", "mine.json");
            CreditCost unknownRate = withoutIt.CostOf("m", 5, "1080p", 0);
            Assert.Equal(200m, unknownRate.Credits);
            Assert.Contains("no 1080p rate", unknownRate.Source);
        }
    }
}
