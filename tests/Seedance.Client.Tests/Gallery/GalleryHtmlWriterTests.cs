using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Seedance.Client.Gallery;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>The review page: untrusted text escaped, totals right, cards in batch order, missing files shown.</summary>
    public class GalleryHtmlWriterTests
    {
        private static readonly DateTimeOffset Start = new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);

        /// <summary>A page in a folder that does not exist: no rows remembered, nothing written.</summary>
        private static GalleryExport NewPage() =>
            GalleryExport.Open(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "seedance-no-page-" + Guid.NewGuid().ToString("N")), "t", 0.01m);

        [Fact]
        public void Prompts_Names_AndServiceWords_AreText_NeverMarkup()
        {
            GalleryRow saved = Saved("a", "<script>alert(1)</script><img src=x onerror=alert(2)>", 0);
            saved.Name = "row \"one\" <b>";
            GalleryRow failed = Failed("b", "fine", 1, "2038", "Bad <a href='https://evil.example/'>words</a> & more");

            string html = Html(new[] { saved, failed }, _ => true);

            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img src=x", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<a href", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;", html);
            Assert.Contains("row &quot;one&quot; &lt;b&gt;", html);
            Assert.Contains("Bad &lt;a href=&#39;https://evil.example/&#39;&gt;words&lt;/a&gt; &amp; more", html);
        }

        [Fact]
        public void FileNames_BecomeRelativeUrls_EachSegmentEncoded_SoNoAttributeOrSchemeCanBreakOut()
        {
            GalleryRow row = Saved("a", "p", 0);
            row.VideoFile = "x\" onerror=\"alert(1) #1?.mp4";
            row.PosterFile = "javascript:alert(1).png";

            string html = Html(new[] { row }, _ => true);

            Assert.Contains("src=\"x%22%20onerror%3D%22alert%281%29%20%231%3F.mp4\"", html.Replace("%28", "%28"));
            Assert.Contains("poster=\"javascript%3Aalert%281%29.png\"", html);
            Assert.DoesNotContain("onerror=\"", html);
        }

        [Fact]
        public void ControlAndBidiCharacters_AreDropped()
        {
            Assert.Equal("abc\nd", GalleryHtmlWriter.Escape("a\u0007b\u202Ec\nd\u0000"));
        }

        [Fact]
        public void Totals_CountOutcomes_AndCreditsOfRowsThatDidNotFail_AtThePriceTablesRate()
        {
            GalleryRow fox = Saved("fox", "p", 0, credits: 200m);
            GalleryRow whale = Saved("whale", "p", 1, credits: 320m);
            GalleryRow bad = Failed("bad", "p", 2, "2038", "no", credits: 160m);
            GalleryRow later = Saved("later", "p", 3, credits: 160m);
            later.VideoFile = null;
            GalleryRow gone = Saved("gone", "p", 4, credits: 200m);
            GalleryRow running = new GalleryRow("t-run") { Name = "run", Status = SeedanceTaskStatus.Generating, Credits = 120m, CreatedAt = Start.AddMinutes(5) };

            string html = GalleryHtmlWriter.Write("b", new[] { fox, whale, bad, later, gone, running }, 0.004m, Start, file => file != "gone.mp4");

            Assert.Equal(
                new[] { GalleryOutcome.Saved, GalleryOutcome.Saved, GalleryOutcome.Failed, GalleryOutcome.NotSaved, GalleryOutcome.FileMissing, GalleryOutcome.NotFinished },
                Regex.Matches(html, "data-outcome=\"(\\w+)\"").Cast<Match>().Select(match => (GalleryOutcome)Enum.Parse(typeof(GalleryOutcome), match.Groups[1].Value)));
            Assert.Contains("data-total=\"rows\">6<", html);
            Assert.Contains("data-total=\"succeeded\">4<", html);
            Assert.Contains("data-total=\"failed\">1<", html);
            Assert.Contains("data-total=\"unsaved\">3<", html);
            Assert.Contains("data-total=\"credits\">1,000<", html);
            Assert.Contains("data-total=\"usd\">$4.00<", html);
            Assert.Contains("200 cr · $0.80", html);
        }

        [Fact]
        public void AMissingFile_IsACardThatSaysSo_NotDropped_AndHasNoVideo()
        {
            GalleryRow gone = Saved("gone", "p", 0);

            string html = Html(new[] { gone }, _ => false);

            Assert.Contains("data-outcome=\"FileMissing\"", html);
            Assert.Contains("File missing", html);
            Assert.Contains("gone.mp4", html);
            Assert.DoesNotContain("<video", html);
        }

        [Fact]
        public void AFailedRow_ShowsItsClass_Code_AndTheServicesWords_InsteadOfAVideo()
        {
            string html = Html(new[] { Failed("bad", "p", 0, "2038", "Input text violates platform rules") }, _ => true);

            Assert.Contains("Input refused", html);
            Assert.Contains("code 2038", html);
            Assert.Contains("Input text violates platform rules", html);
            Assert.DoesNotContain("<video", html);
        }

        [Fact]
        public void Cards_AreInBatchOrder_AndARerunTakesItsRowsPlace()
        {
            GalleryExport rows = NewPage();
            rows.Upsert(Saved("second", "p", 2));
            rows.Upsert(Saved("first", "p", 1));
            rows.Upsert(Failed("third", "p", 3, "500", "try again"));

            GalleryRow rerun = Saved("third", "p again", 10);
            rerun.Name = "THIRD"; // a Name is a key whatever its case
            rows.Upsert(rerun);

            Assert.Equal(new[] { "first", "second", "THIRD" }, rows.Ordered().Select(row => row.Name));
            Assert.Equal(SeedanceTaskStatus.Success, rows.Ordered()[2].Status);
            Assert.Equal(3, rows.Ordered().Count);

            string html = Html(rows.Ordered(), _ => true);
            Assert.True(html.IndexOf(">first<", StringComparison.Ordinal) < html.IndexOf(">second<", StringComparison.Ordinal));
            Assert.True(html.IndexOf(">second<", StringComparison.Ordinal) < html.IndexOf(">THIRD<", StringComparison.Ordinal));
        }

        [Fact]
        public void TheSameTaskAgainWithoutItsFile_KeepsTheFile_AndAnOlderTaskDoesNotReplaceANewerOne()
        {
            GalleryExport rows = NewPage();
            rows.Upsert(Saved("fox", "p", 5));
            GalleryRow again = Saved("fox", "p", 5);
            again.VideoFile = null;
            rows.Upsert(again);
            Assert.Equal("fox.mp4", rows.Ordered().Single().VideoFile);

            GalleryRow older = Failed("fox", "p", 1, "500", "old");
            older = new GalleryRow("t-old") { Name = "fox", Status = SeedanceTaskStatus.Fail, CreatedAt = Start };
            rows.Upsert(older);
            Assert.Equal("t-fox", rows.Ordered().Single().TaskId);
        }

        [Fact]
        public void ThePage_LoadsNothingFromTheNetwork_AndHasNoScript()
        {
            string html = Html(new[] { Saved("a", "p", 0) }, _ => true);

            Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';", html);
            Assert.DoesNotMatch(new Regex("https?://", RegexOptions.IgnoreCase), html);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        }

        [Theory]
        [InlineData("2038", "Input text violates platform rules", "Input refused", "Input")]
        [InlineData("500", "Generation failed. Please try again.", "Transient failure", "Transient")]
        [InlineData("1001", "The generated video did not pass review", "Output moderation", "OutputModeration")]
        [InlineData(null, "Task execution failed", "Failed, reason unknown", "Unknown")]
        public void AFailedCard_NamesItsClass_ByTheModulesOneFailureTable(string? code, string message, string label, string failureClass)
        {
            GalleryRow row = Failed("bad", "p", 0, code!, message);
            row.ErrorCode = code;

            string html = Html(new[] { row }, _ => true);

            Assert.Contains($"data-failure-class=\"{failureClass}\"><p class=\"class\">{label}</p>", html);
            Assert.Contains(GalleryHtmlWriter.Escape(FailureClasses.AdviceFor(failureClass)), html);
        }

        private static string Html(IReadOnlyList<GalleryRow> rows, Func<string, bool> exists) =>
            GalleryHtmlWriter.Write("batch", rows, 0.005m, Start, exists);

        private static GalleryRow Saved(string name, string prompt, int minute, decimal credits = 200m) => new GalleryRow("t-" + name)
        {
            Name = name,
            Status = SeedanceTaskStatus.Success,
            Prompt = prompt,
            Model = "seedance-20",
            DurationSeconds = 5,
            Width = 1280,
            Height = 720,
            Seed = 3000000001,
            Credits = credits,
            CreatedAt = Start.AddMinutes(minute),
            CompletedAt = Start.AddMinutes(minute + 2),
            VideoFile = name + ".mp4",
        };

        private static GalleryRow Failed(string name, string prompt, int minute, string code, string message, decimal credits = 160m) => new GalleryRow("t-" + name)
        {
            Name = name,
            Status = SeedanceTaskStatus.Fail,
            Prompt = prompt,
            Credits = credits,
            CreatedAt = Start.AddMinutes(minute),
            ErrorCode = code,
            ErrorMessage = message,
        };
    }
}
