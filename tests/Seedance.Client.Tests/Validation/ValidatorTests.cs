using System;
using System.Collections.Generic;
using System.Linq;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Validation;
using Xunit;

namespace Seedance.Client.Tests
{
    public class ValidatorTests
    {
        private static CreateTaskRequest Valid() => new CreateTaskRequest
        {
            Model = "seedance-20",
            Prompt = "A lighthouse at dusk, waves crashing",
            Ratio = "16:9",
            Duration = 8,
        };

        private static string[] Images(int count) => Enumerable.Range(1, count).Select(i => $"https://cdn.example/img{i}.png").ToArray();

        private static string[] Videos(int count) => Enumerable.Range(1, count).Select(i => $"https://cdn.example/vid{i}.mp4").ToArray();

        private static ValidationFailure Only(CreateTaskRequest request, string errorId)
        {
            IReadOnlyList<ValidationFailure> failures = CreateTaskRequestValidator.Validate(request, PriceTable.Default, null);
            ValidationFailure failure = Assert.Single(failures);
            Assert.Equal(errorId, failure.ErrorId);
            Assert.False(string.IsNullOrWhiteSpace(failure.Message));
            Assert.StartsWith(errorId + ": ", failure.ToString(), StringComparison.Ordinal);
            return failure;
        }

        public static IEnumerable<object[]> ValidRequests()
        {
            yield return new object[] { Valid() };
            yield return new object[] { new CreateTaskRequest { Prompt = "x", Model = "seedance2-fast", Ratio = "21:9", Duration = 4 } };
            yield return new object[] { new CreateTaskRequest { Prompt = "x", Duration = 15, Ratio = "3:4" } };
            yield return new object[] { new CreateTaskRequest { Prompt = new string('a', 4000) } };
            yield return new object[] { new CreateTaskRequest { Prompt = "x", ImageUrls = Images(9), VideoUrls = Videos(3) } };
            yield return new object[] { new CreateTaskRequest { Prompt = "x", ImageUrls = Images(2), Mode = "keyframe" } };
            yield return new object[] { new CreateTaskRequest { Prompt = "x", ImageUrls = Images(5), Mode = "reference" } };
            yield return new object[] { new CreateTaskRequest { Prompt = "x", ImageUrls = new[] { "http://cdn.example/a.png?sig=1&x=2" } } };
            yield return new object[] { new CreateTaskRequest { Prompt = "x", CallbackUri = new Uri("https://hooks.example/cb") } };
            yield return new object[] { new CreateTaskRequest { Prompt = "x", CallbackUri = new Uri("http://localhost:8080/cb") } };
        }

        [Theory]
        [MemberData(nameof(ValidRequests))]
        public void ValidRequests_HaveNoFailures(CreateTaskRequest request)
        {
            Assert.Empty(CreateTaskRequestValidator.Validate(request, PriceTable.Default, null));
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData("\t\n")]
        public void EmptyPrompt(string prompt)
        {
            CreateTaskRequest request = Valid();
            request.Prompt = prompt;
            ValidationFailure f = Only(request, "PromptEmpty");
            Assert.Equal("Prompt", f.ParameterName);
            Assert.Equal(prompt, f.Target);
        }

        [Fact]
        public void PromptTooLong_At4001_ButNotAt4000()
        {
            CreateTaskRequest request = Valid();
            request.Prompt = new string('p', 4000);
            Assert.Empty(CreateTaskRequestValidator.Validate(request, PriceTable.Default, null));

            request.Prompt = new string('p', 4001);
            ValidationFailure f = Only(request, "PromptTooLong");
            Assert.Equal("Prompt", f.ParameterName);
            Assert.Same(request.Prompt, f.Target);
            Assert.Contains("4001", f.Message);
            Assert.Contains("4000", f.Message);
        }

        [Theory]
        [InlineData("seedance-99")]
        [InlineData("seedance3-pro")]
        public void UnknownModel_IsSentWithOneWarning_NamingTheCatalog(string model)
        {
            CreateTaskRequest request = Valid();
            request.Model = model;
            request.Duration = 45;
            request.Prompt = new string('a', 50000);
            Assert.Empty(CreateTaskRequestValidator.Validate(request, PriceTable.Default, null));
            string warning = Assert.Single(CreateTaskRequestValidator.Warnings(request, PriceTable.Default));
            Assert.Contains($"'{model}' is not in the catalog", warning);
            Assert.Contains("limits unchecked", warning);
            Assert.Contains("price unknown", warning);
            Assert.Contains("seedance2-5-extend", warning);
        }

        [Theory]
        [InlineData("5:4")]
        [InlineData("16x9")]
        [InlineData("")]
        public void InvalidRatio(string ratio)
        {
            CreateTaskRequest request = Valid();
            request.Ratio = ratio;
            ValidationFailure f = Only(request, "InvalidRatio");
            Assert.Equal("Ratio", f.ParameterName);
            Assert.Equal(ratio, f.Target);
            Assert.Contains("16:9", f.Message);
            Assert.Contains("21:9", f.Message);
        }

        [Theory]
        [InlineData(3)]
        [InlineData(16)]
        [InlineData(0)]
        [InlineData(-1)]
        public void InvalidDuration(int duration)
        {
            CreateTaskRequest request = Valid();
            request.Duration = duration;
            ValidationFailure f = Only(request, "InvalidDuration");
            Assert.Equal("Duration", f.ParameterName);
            Assert.Equal(duration, f.Target);
        }

        [Fact]
        public void TooManyImages_At10()
        {
            CreateTaskRequest request = Valid();
            request.ImageUrls = Images(10);
            ValidationFailure f = Only(request, "TooManyImages");
            Assert.Equal("Image", f.ParameterName);
            Assert.Same(request.ImageUrls, f.Target);
            Assert.Contains("10", f.Message);
        }

        [Fact]
        public void TooManyVideos_At4()
        {
            CreateTaskRequest request = Valid();
            request.VideoUrls = Videos(4);
            ValidationFailure f = Only(request, "TooManyVideos");
            Assert.Equal("Video", f.ParameterName);
            Assert.Same(request.VideoUrls, f.Target);
        }

        [Theory]
        [InlineData("omni")]
        [InlineData("Keyframe")]
        [InlineData("")]
        public void InvalidMode(string mode)
        {
            CreateTaskRequest request = Valid();
            request.Mode = mode;
            ValidationFailure f = Only(request, "InvalidMode");
            Assert.Equal("Mode", f.ParameterName);
            Assert.Equal(mode, f.Target);
        }

        [Fact]
        public void KeyframeTooManyImages_ThreeImagesInKeyframeMode()
        {
            CreateTaskRequest request = Valid();
            request.ImageUrls = Images(3);
            request.Mode = "keyframe";
            ValidationFailure f = Only(request, "KeyframeTooManyImages");
            Assert.Equal("Image", f.ParameterName);
            Assert.Same(request.ImageUrls, f.Target);

            request.Mode = null;
            Assert.Empty(CreateTaskRequestValidator.Validate(request, PriceTable.Default, null));
        }

        [Fact]
        public void KeyframeWithVideo()
        {
            CreateTaskRequest request = Valid();
            request.ImageUrls = Images(1);
            request.VideoUrls = Videos(1);
            request.Mode = "keyframe";
            ValidationFailure f = Only(request, "KeyframeWithVideo");
            Assert.Equal("Video", f.ParameterName);
            Assert.Same(request.VideoUrls, f.Target);
        }

        [Theory]
        [InlineData("/home/me/pictures/cat.png")]
        [InlineData("./x.png")]
        [InlineData("../x.png")]
        [InlineData(".\\x.png")]
        [InlineData("file:///x")]
        [InlineData("file:///C:/pics/x.png")]
        [InlineData("~/x")]
        [InlineData("C:\\Users\\me\\cat.png")]
        [InlineData("d:/pics/cat.png")]
        [InlineData("\\\\server\\share\\cat.png")]
        public void LocalImagePath_IsLocalFileNotSupported(string path)
        {
            CreateTaskRequest request = Valid();
            request.ImageUrls = new[] { "https://cdn.example/ok.png", path };
            ValidationFailure f = Only(request, "LocalFileNotSupported");
            Assert.Equal("Image", f.ParameterName);
            Assert.Equal(path, f.Target);
            Assert.Contains(path, f.Message);
        }

        [Fact]
        public void AbsolutePathOfThisPlatform_IsLocalFileNotSupported()
        {
            string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "seedance-missing.png");
            CreateTaskRequest request = Valid();
            request.VideoUrls = new[] { path };
            ValidationFailure f = Only(request, "LocalFileNotSupported");
            Assert.Equal("Video", f.ParameterName);
            Assert.Equal(path, f.Target);
        }

        [Theory]
        [InlineData("ftp://cdn.example/x.png")]
        [InlineData("not a url")]
        [InlineData("cdn.example/x.png")]
        [InlineData("mailto:me@example.com")]
        public void NonWebUrl_IsInvalidMaterialUrl(string value)
        {
            CreateTaskRequest request = Valid();
            request.ImageUrls = new[] { value };
            ValidationFailure f = Only(request, "InvalidMaterialUrl");
            Assert.Equal("Image", f.ParameterName);
            Assert.Equal(value, f.Target);
        }

        [Fact]
        public void InvalidVideoUrl_NamesTheVideoParameter()
        {
            CreateTaskRequest request = Valid();
            request.VideoUrls = new[] { "ftp://cdn.example/x.mp4" };
            ValidationFailure f = Only(request, "InvalidMaterialUrl");
            Assert.Equal("Video", f.ParameterName);
        }

        [Fact]
        public void EachBadUrl_IsReportedOnItsOwn()
        {
            CreateTaskRequest request = Valid();
            request.ImageUrls = new[] { "ftp://a/x.png", "https://cdn.example/fine.png", "./y.png" };
            request.VideoUrls = new[] { "not a url" };

            IReadOnlyList<ValidationFailure> failures = CreateTaskRequestValidator.Validate(request, PriceTable.Default, null);

            Assert.Equal(3, failures.Count);
            Assert.Equal(new object?[] { "ftp://a/x.png", "./y.png", "not a url" }, failures.Select(f => f.Target).ToArray());
            Assert.Equal(new[] { "InvalidMaterialUrl", "LocalFileNotSupported", "InvalidMaterialUrl" }, failures.Select(f => f.ErrorId).ToArray());
            Assert.Equal(new[] { "Image", "Image", "Video" }, failures.Select(f => f.ParameterName).ToArray());
        }

        [Fact]
        public void RelativeCallback_IsInvalidCallbackUri()
        {
            CreateTaskRequest request = Valid();
            request.CallbackUri = new Uri("/hooks/seedance", UriKind.Relative);
            ValidationFailure f = Only(request, "InvalidCallbackUri");
            Assert.Equal("CallbackUri", f.ParameterName);
            Assert.Equal(request.CallbackUri.OriginalString, f.Target);
        }

        [Theory]
        [InlineData("ftp://hooks.example/cb")]
        [InlineData("file:///tmp/cb")]
        public void NonHttpCallback_IsInvalidCallbackUri(string uri)
        {
            CreateTaskRequest request = Valid();
            request.CallbackUri = new Uri(uri);
            ValidationFailure f = Only(request, "InvalidCallbackUri");
            Assert.Equal("CallbackUri", f.ParameterName);
            Assert.Contains(uri, f.Message);
        }

        [Fact]
        public void SeveralProblems_AreAllReported()
        {
            CreateTaskRequest request = new CreateTaskRequest
            {
                Prompt = "",
                Model = "seedance-20",
                Ratio = "5:4",
                Duration = 16,
                ImageUrls = Images(10),
                VideoUrls = Videos(4),
            };

            string[] ids = CreateTaskRequestValidator.Validate(request, PriceTable.Default, null).Select(f => f.ErrorId).ToArray();

            Assert.Equal(
                new[] { "InvalidDuration", "InvalidRatio", "PromptEmpty", "TooManyImages", "TooManyVideos" },
                ids.OrderBy(i => i, StringComparer.Ordinal).ToArray());
        }

        [Fact]
        public void Warnings_ForReferencesBeyondTheMaterials_NameNAndTheCounts()
        {
            CreateTaskRequest request = Valid();
            request.ImageUrls = Images(2);
            request.VideoUrls = Videos(1);
            request.Prompt = "@1 and @2 dance in front of @3, then @5 appears; @5 again";

            string warning = Assert.Single(CreateTaskRequestValidator.Warnings(request, PriceTable.Default));

            Assert.Contains("@5", warning);
            Assert.Contains("3 material(s)", warning);
            Assert.Contains("2 image(s)", warning);
            Assert.Contains("1 video(s)", warning);
        }

        [Fact]
        public void Warnings_OnePerDistinctOutOfRangeReference()
        {
            CreateTaskRequest request = Valid();
            request.ImageUrls = Images(1);
            request.Prompt = "@0 then @1 then @2 then @4 then @2";

            IReadOnlyList<string> warnings = CreateTaskRequestValidator.Warnings(request, PriceTable.Default);

            Assert.Equal(3, warnings.Count);
            Assert.Contains("@0", warnings[0]);
            Assert.Contains("@2", warnings[1]);
            Assert.Contains("@4", warnings[2]);
        }

        [Fact]
        public void Warnings_WithoutMaterials_AnyReferenceWarns()
        {
            CreateTaskRequest request = Valid();
            request.Prompt = "use @1 as the hero";
            string warning = Assert.Single(CreateTaskRequestValidator.Warnings(request, PriceTable.Default));
            Assert.Contains("@1", warning);
            Assert.Contains("0 material(s)", warning);
        }

        [Theory]
        [InlineData("@1 and @2 and @3")]
        [InlineData("no references at all")]
        [InlineData("mail me at someone@example.com")]
        [InlineData("")]
        public void Warnings_NoneWhenWithinRange(string prompt)
        {
            CreateTaskRequest request = Valid();
            request.ImageUrls = Images(2);
            request.VideoUrls = Videos(1);
            request.Prompt = prompt;
            Assert.Empty(CreateTaskRequestValidator.Warnings(request, PriceTable.Default));
        }

        [Theory]
        [InlineData("https://cdn.example/a.png", true)]
        [InlineData("http://cdn.example/a.png", true)]
        [InlineData("HTTPS://CDN.EXAMPLE/A.PNG", true)]
        [InlineData("ftp://cdn.example/a.png", false)]
        [InlineData("/tmp/a.png", false)]
        [InlineData("https:///nohost", false)]
        [InlineData(null, false)]
        public void IsWebUrl(string? value, bool expected)
        {
            Assert.Equal(expected, UrlChecks.IsWebUrl(value, out Uri? uri));
            if (expected)
            {
                Assert.NotNull(uri);
                Assert.Equal(new Uri(value!), uri);
            }
        }

        [Theory]
        [InlineData("8", 8)]
        [InlineData(" 8 ", 8)]
        [InlineData("8s", 8)]
        [InlineData("8 S", 8)]
        [InlineData("15", 15)]
        [InlineData("8.0", 8)]
        [InlineData("3", 3)]
        [InlineData("-1", -1)]
        public void ParseDuration_AcceptsWholeSeconds_RangeIsTheValidatorsJob(string text, int expected)
        {
            Assert.Null(InputParser.ParseDuration(text, out int seconds));
            Assert.Equal(expected, seconds);
        }

        [Theory]
        [InlineData("abc", "not a number")]
        [InlineData("8.5", "not a whole number")]
        [InlineData("", "empty")]
        [InlineData("   ", "empty")]
        [InlineData(null, "empty")]
        [InlineData("5 6", "not a number")]
        [InlineData("s", "not a number")]
        [InlineData("99999999999", "out of range")]
        public void ParseDuration_RefusesWithTheTextAsGiven(string? text, string why)
        {
            ValidationFailure? f = InputParser.ParseDuration(text, out _);
            Assert.NotNull(f);
            Assert.Equal("InvalidDuration", f!.ErrorId);
            Assert.Equal("Duration", f.ParameterName);
            Assert.Equal(text, f.Target);
            Assert.Contains(why, f.Message);
            Assert.Contains("from 4 to 15", f.Message);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("  ")]
        public void ParseCallbackUri_BlankMeansNone(string? text)
        {
            Assert.Null(InputParser.ParseCallbackUri(text, out Uri? uri));
            Assert.Null(uri);
        }

        [Theory]
        [InlineData("https://hooks.example/cb?job=7")]
        [InlineData(" http://localhost:8080/cb ")]
        public void ParseCallbackUri_AcceptsAbsoluteHttp(string text)
        {
            Assert.Null(InputParser.ParseCallbackUri(text, out Uri? uri));
            Assert.Equal(new Uri(text.Trim()), uri);
        }

        [Theory]
        [InlineData("https://hooks.example.com/my hook", "UrlHasWhitespace")]
        [InlineData("https://https://hooks.example.com/cb", "UrlHasSecondScheme")]
        [InlineData("https://hook:s3cret@hooks.example.com/cb", "UrlHasCredentials")]
        public void ParseCallbackUri_RefusesAMisshapenUrl_AsTheValidatorDoes(string text, string errorId)
        {
            ValidationFailure? f = InputParser.ParseCallbackUri(text, out Uri? uri);
            Assert.Null(uri);
            Assert.Equal(errorId, f!.ErrorId);
            Assert.Equal("CallbackUri", f.ParameterName);
            Assert.DoesNotContain("s3cret", f.Message);
        }

        [Theory]
        [InlineData("https://hooks.example/cb\u0007")]
        [InlineData("https://hooks.example/\u202Ecb")]
        [InlineData("https://hooks.example/cb\u001b]0;owned\u0007")]
        public void ParseCallbackUri_RefusesAControlCharacter_NeverSendsItPercentEncoded(string text)
        {
            ValidationFailure? f = InputParser.ParseCallbackUri(text, out Uri? uri);
            Assert.Null(uri);
            Assert.Equal("UrlHasControlCharacter", f!.ErrorId);
            Assert.Equal("CallbackUri", f.ParameterName);
            Assert.Equal(text, f.Target);
            Assert.DoesNotContain(f.Message, c => char.IsControl(c) || c == '\u202E');
        }

        [Fact]
        public void ParseCallbackUri_RefusesACallbackOverTheCap_WithTheTextAsGiven()
        {
            string prefix = "https://hooks.example/cb?x=";
            string atCap = prefix + new string('a', InputParser.MaxCallbackLength - prefix.Length);
            Assert.Null(InputParser.ParseCallbackUri(atCap, out Uri? accepted));
            Assert.NotNull(accepted);

            string over = atCap + "a";
            ValidationFailure? f = InputParser.ParseCallbackUri(over, out Uri? uri);
            Assert.Null(uri);
            Assert.Equal("CallbackUriTooLong", f!.ErrorId);
            Assert.Equal("CallbackUri", f.ParameterName);
            Assert.Equal(over, f.Target);
            Assert.Contains("2,049", f.Message);
            Assert.DoesNotContain(over, f.Message);
        }

        [Theory]
        [InlineData("hooks/seedance")]
        [InlineData("ftp://hooks.example/cb")]
        [InlineData("https://")]
        [InlineData("http://exa mple.com/cb")]
        public void ParseCallbackUri_RefusesWithTheTextAsGiven(string text)
        {
            ValidationFailure? f = InputParser.ParseCallbackUri(text, out Uri? uri);
            Assert.Null(uri);
            Assert.NotNull(f);
            Assert.Equal("InvalidCallbackUri", f!.ErrorId);
            Assert.Equal("CallbackUri", f.ParameterName);
            Assert.Equal(text, f.Target);
            Assert.Contains("https://", f.Message);
        }

        [Fact]
        public void Messages_SayWhatToDo()
        {
            CreateTaskRequest request = Valid();
            request.Prompt = new string('p', 4003);
            Assert.Contains("Shorten it by 3 characters", Only(request, "PromptTooLong").Message);

            request = Valid();
            request.ImageUrls = Images(11);
            Assert.Contains("Remove 2 of them", Only(request, "TooManyImages").Message);

            request = Valid();
            request.Duration = 3;
            Assert.Contains("from 4 to 15", Only(request, "InvalidDuration").Message);

            request = Valid();
            request.ImageUrls = new[] { "not a url" };
            Assert.Contains("https://", Only(request, "InvalidMaterialUrl").Message);
        }
    }
}
