using System;
using System.Linq;
using Seedance.Client.Http;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Validation;
using Xunit;

namespace Seedance.Client.Tests.Hostile
{
    /// <summary>Inputs that only waste money: refused (with their own ErrorIds) or warned, before anything is sent.</summary>
    public sealed class WasteValidatorTests
    {
        private static CreateTaskRequest With(string? image = null, string? callback = null, string prompt = "a fox @1") => new CreateTaskRequest
        {
            Prompt = prompt,
            ImageUrls = image is null ? Array.Empty<string>() : new[] { image },
            CallbackUri = callback is null ? null : new Uri(callback),
        };

        [Theory]
        [InlineData("\u200b\u200b")]
        [InlineData("\ufeff\u2060\u00ad")]
        [InlineData("\u0007\u001b")]
        [InlineData(" \u3000\u3164\u2800 ")]
        public void APromptWithNothingVisible_IsEmpty(string prompt)
        {
            ValidationFailure failure = Assert.Single(CreateTaskRequestValidator.Validate(With(prompt: prompt), PriceTable.Default, null));
            Assert.Equal("PromptEmpty", failure.ErrorId);
        }

        [Theory]
        [InlineData("https://cdn.example.com/my cat.png", "UrlHasWhitespace")]
        [InlineData("https://cdn.example.com/a.png\thttps://cdn.example.com/b.png", "UrlHasWhitespace")]
        [InlineData("https://cdn.example.com/a.pnghttps://cdn.example.com/b.png", "UrlHasSecondScheme")]
        [InlineData("https://https://cdn.example.com/a.png", "UrlHasSecondScheme")]
        [InlineData("HTTPS://cdn.example.com/x/HTTP://y/a.png", "UrlHasSecondScheme")]
        [InlineData("https://bob:s3cret@cdn.example.com/a.png", "UrlHasCredentials")]
        [InlineData("https://bob@cdn.example.com/a.png", "UrlHasCredentials")]
        [InlineData("https:/\\cdn.example.com/a.png", "InvalidMaterialUrl")]             // .NET reads https:/\ as https://: not judged, refused
        [InlineData("https:/\\bob:s3cret@cdn.example.com/a.png", "InvalidMaterialUrl")]
        [InlineData("HTTPS:/\\\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/a.png", "InvalidMaterialUrl")]
        [InlineData("http:\\/cdn.example.com\u3002evil/a.png", "InvalidMaterialUrl")]
        [InlineData("https://cdn.example.com\\a.png", "InvalidMaterialUrl")]
        public void AMaterialUrlThatWastesMoney_IsRefused(string url, string errorId)
        {
            ValidationFailure failure = Assert.Single(CreateTaskRequestValidator.Validate(With(url), PriceTable.Default, null));
            Assert.Equal(errorId, failure.ErrorId);
            Assert.Equal("Image", failure.ParameterName);
            Assert.DoesNotContain("s3cret", failure.Message);
            Assert.DoesNotContain("s3cret", (string)failure.Target!);
        }

        [Theory]
        [InlineData("https://hooks.example.com/a b", "UrlHasWhitespace")]
        [InlineData("https://hook:s3cret@hooks.example.com/x", "UrlHasCredentials")]
        public void ACallbackThatWastesMoney_IsRefused(string url, string errorId)
        {
            ValidationFailure failure = Assert.Single(CreateTaskRequestValidator.Validate(With(callback: url), PriceTable.Default, null));
            Assert.Equal(errorId, failure.ErrorId);
            Assert.Equal("CallbackUri", failure.ParameterName);
            Assert.DoesNotContain("s3cret", failure.Message);
        }

        [Theory]
        [InlineData("https:/\\hooks.example.com/cb", "InvalidCallbackUri")]
        [InlineData("https:/\\\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/cb", "InvalidCallbackUri")]
        [InlineData("https:\\/hooks.example.com/x.pnghttps://b.example/y.png", "InvalidCallbackUri")]
        [InlineData("https:/\\hook:s3cret@hooks.example.com/x", "InvalidCallbackUri")]
        public void ACallbackNotWrittenAsAPlainWebUrl_IsRefusedAsGiven(string url, string errorId)
        {
            Assert.True(UrlChecks.IsWebUrl(url, out _)); // .NET takes each as an https URL: the gate must judge it, not skip it
            ValidationFailure failure = InputParser.ParseCallbackUri(url, out Uri? parsed)!;
            Assert.Null(parsed);
            Assert.Equal(errorId, failure.ErrorId);
            Assert.Equal("CallbackUri", failure.ParameterName);
            Assert.DoesNotContain("s3cret", failure.Message);
            Assert.DoesNotContain("s3cret", (string)failure.Target!);
        }

        [Theory]
        [InlineData("https://images.example.com/fetch?url=https://cdn.example.com/a.png")]
        [InlineData("https://cdn.example.com/a%20b.png")]
        [InlineData("https://cdn.example.com/a.png#https://x")]
        public void UrlsThatOnlyLookOdd_AreAccepted(string url)
        {
            Assert.Empty(CreateTaskRequestValidator.Validate(With(url), PriceTable.Default, null));
        }

        [Theory]
        [InlineData("http://127.0.0.1/a.png", "loopback")]
        [InlineData("http://127.8.9.1/a.png", "loopback")]
        [InlineData("http://localhost:8080/a.png", "localhost")]
        [InlineData("http://media.localhost/a.png", "localhost")]
        [InlineData("http://[::1]/a.png", "loopback")]
        [InlineData("http://[::ffff:192.168.0.1]/a.png", "private")]
        [InlineData("http://10.0.0.1/a.png", "private")]
        [InlineData("http://172.31.255.1/a.png", "private")]
        [InlineData("http://192.168.100.2/a.png", "private")]
        [InlineData("http://169.254.169.254/a.png", "link-local")]
        [InlineData("http://[fe80::1]/a.png", "link-local")]
        [InlineData("http://[fd12:3456::1]/a.png", "unique-local")]
        [InlineData("http://100.64.0.1/a.png", "carrier-grade")]
        [InlineData("http://nas.local/a.png", ".local")]
        [InlineData("http://files.corp.internal/a.png", ".internal")]
        [InlineData("http://fileserver/a.png", "without a domain")]
        public void AMaterialTheServiceCannotReach_IsWarned(string url, string where)
        {
            string warning = Assert.Single(CreateTaskRequestValidator.Warnings(With(url), PriceTable.Default));
            Assert.Contains("cannot reach", warning);
            Assert.Contains(where, warning);
        }

        [Theory]
        [InlineData("http://172.32.0.1/a.png")]
        [InlineData("http://8.8.8.8/a.png")]
        [InlineData("https://cdn.example.com/a.png")]
        [InlineData("http://[2001:db8::1]/a.png")]
        public void APublicMaterial_IsNotWarned(string url)
        {
            Assert.Empty(CreateTaskRequestValidator.Warnings(With(url), PriceTable.Default));
        }

        [Theory]
        [InlineData("http://127.0.0.1:5080/api/v1", "http://127.0.0.1:6000/a.png", 0)]      // the emulator and its own files: both here
        [InlineData("http://localhost:5080/api/v1", "http://[::1]:6000/a.png", 0)]
        [InlineData("http://[::1]:5080/api/v1", "http://localhost/a.png", 0)]
        [InlineData("http://localhost:5080/api/v1", "http://10.0.0.1/a.png", 1)]            // not the service's to reach from here either
        [InlineData("http://10.0.0.5/api/v1", "http://127.0.0.1/a.png", 1)]                // a service elsewhere never reaches this loopback
        [InlineData("https://seedance2-pro.com/api/v1", "http://127.0.0.1/a.png", 1)]
        public void AMaterialIsWarnedOnlyWhenTheServiceItselfCannotReachIt(string apiBaseUri, string url, int warnings)
        {
            // Issue 18: the demo's own first command warned that the emulator's loopback materials would be charged and fail.
            Assert.Equal(warnings, CreateTaskRequestValidator.Warnings(With(url), PriceTable.Default, new Uri(apiBaseUri)).Count);
            Assert.Equal(warnings, CreateTaskRequestValidator.Warnings(With(callback: url, prompt: "a fox"), PriceTable.Default, new Uri(apiBaseUri)).Count);
        }

        [Theory]
        [InlineData("http://127.0.0.1/cb")]
        [InlineData("http://[::1]/cb")]
        [InlineData("https://[::ffff:127.0.0.1]/cb")]
        [InlineData("http://0x7f.1/cb")]
        [InlineData("http://2130706433/cb")]
        [InlineData("http://10.0.0.1/cb")]
        public void ALoopbackOrPrivateCallback_InAnyNotation_IsWarnedAndSent_WhenTheServiceIsElsewhere(string callback)
        {
            Assert.Null(InputParser.ParseCallbackUri(callback, out Uri? uri));
            CreateTaskRequest request = new CreateTaskRequest { Prompt = "a fox", CallbackUri = uri };
            Assert.Empty(CreateTaskRequestValidator.Validate(request, PriceTable.Default, null));
            string warning = Assert.Single(CreateTaskRequestValidator.Warnings(request, PriceTable.Default, new Uri("https://seedance2-pro.com/api/v1")));
            Assert.Contains("cannot reach", warning);
        }

        [Fact]
        public void AMaterialUrlWithAControlCharacter_IsRefused_AsACallbackIs()
        {
            ValidationFailure f = Assert.Single(CreateTaskRequestValidator.Validate(With("https://cdn.example.com/a\u001b[2J.png"), PriceTable.Default, null));
            Assert.Equal("UrlHasControlCharacter", f.ErrorId);
            Assert.Equal("Image", f.ParameterName);
        }

        // Callback gate (attack 7, G3): every case below was sent before, unchanged or altered.
        [Theory]
        [InlineData("https://ok.example/cb%0d%0aX-Injected:1", "UrlHasControlCharacter")]
        [InlineData("https://ok.example/cb%07", "UrlHasControlCharacter")]
        [InlineData("https://ok.example/cb?x=%1B%5B2J", "UrlHasControlCharacter")]
        [InlineData("https://ok.example/cb%7f", "UrlHasControlCharacter")]
        [InlineData("https://ok.example/cb%00", "UrlHasControlCharacter")]
        [InlineData("https://ok.example/cb\u0085", "UrlHasWhitespace")]
        [InlineData("https://ok.example/cb\u2028", "UrlHasWhitespace")]
        [InlineData("https://ok.example/cb\u00a0", "UrlHasWhitespace")]
        [InlineData("https://ok.example\u3002evil/cb", "UrlHostNotAscii")]
        [InlineData("https://ok.example\uff0eevil/cb", "UrlHostNotAscii")]
        [InlineData("https://ok.example\uff61evil:8443/cb", "UrlHostNotAscii")]
        [InlineData("https://\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/cb", "UrlHostNotAscii")]
        public void ACallbackWithAnEncodedControl_ATrailingUnicodeSpace_OrANonAsciiHost_IsRefused_NeverSent(string text, string errorId)
        {
            ValidationFailure? f = InputParser.ParseCallbackUri(text, out Uri? uri);
            Assert.Null(uri);
            Assert.Equal(errorId, f!.ErrorId);
            Assert.Equal("CallbackUri", f.ParameterName);
            Assert.Equal(text, f.Target);
        }

        [Theory]
        [InlineData("https://cdn.example.com/a%0a.png", "UrlHasControlCharacter")]
        [InlineData("https://cdn.example.com/a.png\u2028", "UrlHasWhitespace")]
        [InlineData("https://cdn.example.com/a.png\u0085", "UrlHasWhitespace")]
        [InlineData("https://cdn.example\u3002evil/a.png", "UrlHostNotAscii")]
        public void AMaterialUrl_GoesThroughTheSameGate_AsACallback(string value, string errorId)
        {
            string[] materials = InputParser.SplitMaterials(new[] { value });
            Assert.Equal(new[] { value }, materials);
            ValidationFailure f = Assert.Single(CreateTaskRequestValidator.Validate(With(materials[0]), PriceTable.Default, null));
            Assert.Equal(errorId, f.ErrorId);
            Assert.Equal("Image", f.ParameterName);
            Assert.Equal(value, f.Target);
        }

        [Fact]
        public void ANonAsciiHost_IsNamedWithTheAsciiFormToWrite_AndADotLookalike_WithTheHostItWouldReach()
        {
            Assert.Contains("'xn--e1afmkfd.xn--p1ai'", InputParser.ParseCallbackUri("https://\u043f\u0440\u0438\u043c\u0435\u0440.\u0440\u0444/cb", out _)!.Message);
            Assert.Contains("'ok.example.evil'", InputParser.ParseCallbackUri("https://ok.example\u3002evil/cb", out _)!.Message);
        }

        [Theory]
        [InlineData("https://xn--e1afmkfd.xn--p1ai/cb")]
        [InlineData("https://ok.example/a%20b%41%e9%2F?q=%7E")]
        [InlineData(" https://ok.example/cb\t\r\n")]
        [InlineData("https://ok.example/\u732b")]
        public void ACallbackWithPlainEscapesAnAsciiHostOrCsvSpaceAround_IsTaken(string text)
        {
            Assert.Null(InputParser.ParseCallbackUri(text, out Uri? uri));
            Assert.NotNull(uri);
        }

        [Fact]
        public void ACallbackTheServiceCannotReach_IsWarned()
        {
            string warning = Assert.Single(CreateTaskRequestValidator.Warnings(With(callback: "http://localhost:9000/hook", prompt: "a fox"), PriceTable.Default));
            Assert.Contains("callback", warning);
            Assert.Contains("cannot reach", warning);
        }

        [Fact]
        public void TheSameMaterialTwice_IsWarnedOnce_NamingBothReferences()
        {
            CreateTaskRequest request = new CreateTaskRequest
            {
                Prompt = "a fox @1 @2 @3",
                ImageUrls = new[] { "https://cdn.example.com/a.png", "https://CDN.Example.com/a.png" },
                VideoUrls = new[] { "https://cdn.example.com/a.png" },
            };

            string warning = Assert.Single(CreateTaskRequestValidator.Warnings(request, PriceTable.Default));
            Assert.Contains("more than once", warning);
            Assert.Contains("@1 and @2 and @3", warning);
        }

        [Theory]
        [InlineData("https://seedance.example.com/api/v1?region=eu", "query")]
        [InlineData("https://seedance.example.com/api/v1#x", "fragment")]
        [InlineData("https://admin:hunter2@seedance.example.com/api/v1", "user info")]
        [InlineData("http://me@127.0.0.1:8080/api/v1", "user info")]
        public void ABaseUriWithAQueryFragmentOrUserInfo_IsRefused(string uri, string what)
        {
            string? problem = BaseUriPolicy.Check(new Uri(uri));
            Assert.Contains(what, problem);
            Assert.DoesNotContain("hunter2", problem);
            Assert.DoesNotContain("hunter2", BaseUriPolicy.Displayable(new Uri(uri)));
        }

        [Fact]
        public void APlainBaseUri_IsStillAccepted()
        {
            Assert.Null(BaseUriPolicy.Check(new Uri("https://seedance2-pro.com/api/v1")));
            Assert.Null(BaseUriPolicy.Check(new Uri("http://127.0.0.1:5000/api/v1/")));
        }
    }
}
