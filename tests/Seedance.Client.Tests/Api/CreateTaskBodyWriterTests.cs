using System;
using System.Linq;
using System.Text.Json;
using Seedance.Client.Json;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests
{
    public class CreateTaskBodyWriterTests
    {
        private static JsonElement Write(CreateTaskRequest request)
        {
            using JsonDocument document = JsonDocument.Parse(CreateTaskBodyWriter.Write(request));
            return document.RootElement.Clone();
        }

        private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

        [Fact]
        public void TextOnlyRequest_HasExactlyThePrimaryShape()
        {
            JsonElement root = Write(new CreateTaskRequest
            {
                Model = "seedance-20",
                Prompt = "A cat on a skateboard",
                Ratio = "9:16",
                Duration = 8,
            });

            Assert.Equal(new[] { "model", "inputs" }, root.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.Equal("seedance-20", root.GetProperty("model").GetString());
            JsonElement inputs = root.GetProperty("inputs");
            Assert.Equal(new[] { "prompt", "ratio", "duration" }, inputs.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.Equal("A cat on a skateboard", inputs.GetProperty("prompt").GetString());
            Assert.Equal("9:16", inputs.GetProperty("ratio").GetString());
            Assert.Equal(JsonValueKind.String, inputs.GetProperty("duration").ValueKind);
            Assert.Equal("8s", inputs.GetProperty("duration").GetString());
        }

        [Theory]
        [InlineData(4, "4s")]
        [InlineData(5, "5s")]
        [InlineData(15, "15s")]
        public void Duration_IsWrittenAsSecondsString(int seconds, string expected)
        {
            JsonElement root = Write(new CreateTaskRequest { Prompt = "x", Duration = seconds });
            Assert.Equal(expected, root.GetProperty("inputs").GetProperty("duration").GetString());
        }

        [Fact]
        public void Duration_IgnoresCurrentCulture()
        {
            System.Globalization.CultureInfo saved = System.Globalization.CultureInfo.CurrentCulture;
            try
            {
                // A culture with non-ASCII digits must not change the wire format.
                System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("ar-SA");
                JsonElement root = Write(new CreateTaskRequest { Prompt = "x", Duration = 10 });
                Assert.Equal("10s", root.GetProperty("inputs").GetProperty("duration").GetString());
            }
            finally
            {
                System.Globalization.CultureInfo.CurrentCulture = saved;
            }
        }

        [Fact]
        public void ImagesOnly_WritesUrls_AndNoVideoUrls()
        {
            JsonElement root = Write(new CreateTaskRequest
            {
                Prompt = "x",
                ImageUrls = new[] { "https://cdn.example/a.png", "https://cdn.example/b.png" },
            });

            JsonElement inputs = root.GetProperty("inputs");
            Assert.Equal(new[] { "https://cdn.example/a.png", "https://cdn.example/b.png" }, Strings(inputs.GetProperty("urls")));
            Assert.False(inputs.TryGetProperty("videoUrls", out _));
        }

        [Fact]
        public void VideosOnly_WritesVideoUrls_AndNoUrls()
        {
            JsonElement root = Write(new CreateTaskRequest
            {
                Prompt = "x",
                VideoUrls = new[] { "https://cdn.example/v.mp4" },
            });

            JsonElement inputs = root.GetProperty("inputs");
            Assert.Equal(new[] { "https://cdn.example/v.mp4" }, Strings(inputs.GetProperty("videoUrls")));
            Assert.False(inputs.TryGetProperty("urls", out _));
        }

        [Fact]
        public void EmptyMaterialLists_AreNotWritten()
        {
            JsonElement inputs = Write(new CreateTaskRequest
            {
                Prompt = "x",
                ImageUrls = Array.Empty<string>(),
                VideoUrls = Array.Empty<string>(),
            }).GetProperty("inputs");

            Assert.False(inputs.TryGetProperty("urls", out _));
            Assert.False(inputs.TryGetProperty("videoUrls", out _));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(2)]
        public void Mode_IsAbsent_ForUpToTwoImagesWithoutVideo(int images)
        {
            JsonElement inputs = Write(new CreateTaskRequest
            {
                Prompt = "x",
                ImageUrls = Enumerable.Range(1, images).Select(i => $"https://cdn.example/{i}.png").ToArray(),
            }).GetProperty("inputs");

            Assert.False(inputs.TryGetProperty("mode", out _));
            Assert.False(Write(new CreateTaskRequest { Prompt = "x" }).TryGetProperty("mode", out _));
        }

        [Fact]
        public void Mode_IsReference_WithMoreThanTwoImages()
        {
            JsonElement inputs = Write(new CreateTaskRequest
            {
                Prompt = "x",
                ImageUrls = new[] { "https://c.example/1.png", "https://c.example/2.png", "https://c.example/3.png" },
            }).GetProperty("inputs");

            Assert.Equal("reference", inputs.GetProperty("mode").GetString());
        }

        [Fact]
        public void Mode_IsReference_WithAnyVideo()
        {
            JsonElement inputs = Write(new CreateTaskRequest
            {
                Prompt = "x",
                ImageUrls = new[] { "https://c.example/1.png" },
                VideoUrls = new[] { "https://c.example/v.mp4" },
            }).GetProperty("inputs");

            Assert.Equal("reference", inputs.GetProperty("mode").GetString());
        }

        [Theory]
        [InlineData("keyframe")]
        [InlineData("reference")]
        public void ExplicitMode_IsWrittenAsGiven(string mode)
        {
            JsonElement inputs = Write(new CreateTaskRequest
            {
                Prompt = "x",
                ImageUrls = new[] { "https://c.example/1.png" },
                Mode = mode,
            }).GetProperty("inputs");

            Assert.Equal(mode, inputs.GetProperty("mode").GetString());
        }

        [Fact]
        public void ExplicitKeyframe_WinsOverTheImageCountDefault()
        {
            JsonElement inputs = Write(new CreateTaskRequest
            {
                Prompt = "x",
                ImageUrls = new[] { "https://c.example/1.png", "https://c.example/2.png", "https://c.example/3.png" },
                Mode = "keyframe",
            }).GetProperty("inputs");

            Assert.Equal("keyframe", inputs.GetProperty("mode").GetString());
        }

        [Fact]
        public void CallbackUrl_IsWrittenAtTopLevel_OnlyWhenSet()
        {
            JsonElement without = Write(new CreateTaskRequest { Prompt = "x" });
            Assert.False(without.TryGetProperty("callBackUrl", out _));
            Assert.False(without.GetProperty("inputs").TryGetProperty("callBackUrl", out _));

            JsonElement with = Write(new CreateTaskRequest { Prompt = "x", CallbackUri = new Uri("https://hooks.example/seedance?id=7") });
            Assert.Equal("https://hooks.example/seedance?id=7", with.GetProperty("callBackUrl").GetString());
            Assert.False(with.GetProperty("inputs").TryGetProperty("callBackUrl", out _));
        }

        [Theory]
        [InlineData("She said \"hello\" and left \\ quietly")]
        [InlineData("日本語のプロンプト — café, naïve, emoji 🎬🐈")]
        [InlineData("line one\nline two\ttab <script>&amp;</script>")]
        [InlineData("@1 walks toward @2's house")]
        public void Prompt_RoundTripsExactly(string prompt)
        {
            JsonElement root = Write(new CreateTaskRequest { Prompt = prompt });
            Assert.Equal(prompt, root.GetProperty("inputs").GetProperty("prompt").GetString());
        }

        [Fact]
        public void FastModel_IsWrittenAsGiven()
        {
            JsonElement root = Write(new CreateTaskRequest { Prompt = "x", Model = "seedance2-fast" });
            Assert.Equal("seedance2-fast", root.GetProperty("model").GetString());
        }
    }
}
