using System;
using System.IO;
using System.Linq;
using Seedance.Client.Validation;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>Material cells as users write them: several URLs in one CSV cell, blank cells, local names with spaces.</summary>
    public class InputParserTests
    {
        [Theory]
        [InlineData("https://a/1.png;https://a/2.png")]
        [InlineData("https://a/1.png; https://a/2.png;")]
        [InlineData("https://a/1.png,https://a/2.png")]
        [InlineData("https://a/1.png , HTTPS://a/2.png")]
        [InlineData("https://a/1.png https://a/2.png")]
        [InlineData("https://a/1.png\r\nhttps://a/2.png\n")]
        [InlineData("  https://a/1.png\t\thttps://a/2.png  ")]
        public void SplitMaterials_ReadsSeveralUrlsInOneCell(string cell)
        {
            string[] parts = InputParser.SplitMaterials(new[] { cell });

            Assert.Equal(2, parts.Length);
            Assert.Equal("https://a/1.png", parts[0]);
            Assert.Equal("https://a/2.png", parts[1], ignoreCase: true);
        }

        [Theory]
        [InlineData("https://cdn.example/w_100,h_50/cat.png")]
        [InlineData("https://cdn.example/a,b,c.png")]
        public void SplitMaterials_KeepsACommaInsideAUrl(string cell)
        {
            Assert.Equal(new[] { cell }, InputParser.SplitMaterials(new[] { cell }));
        }

        [Fact]
        public void SplitMaterials_SplitsASemicolonBeforeAnythingElse_SoABadSecondUrlIsSeen()
        {
            Assert.Equal(new[] { "https://a/1.png", "ftp://a/2.png" }, InputParser.SplitMaterials(new[] { "https://a/1.png;ftp://a/2.png" }));
        }

        [Theory]
        [InlineData("https://cdn.example/my cat.png")]
        [InlineData("https://cdn.example/a\n.mp4")]
        public void SplitMaterials_KeepsWhitespaceInsideAUrl_ForTheValidatorToRefuse(string cell)
        {
            Assert.Equal(new[] { cell }, InputParser.SplitMaterials(new[] { cell }));
        }

        [Theory]
        [InlineData("./my cat.png")]
        [InlineData("C:\\clips\\a,b.mp4")]
        public void SplitMaterials_NeverSplitsALocalFileNameAtSpacesOrCommas(string path)
        {
            Assert.Equal(new[] { path }, InputParser.SplitMaterials(new[] { path }));
        }

        [Theory]
        [InlineData("./cat.png;./dog.png")]
        [InlineData("cat.png; dog.png")]
        [InlineData("/no/such/take 1;/no/such/take 2")]
        public void SeveralLocalPathsInOneCell_AreSplitAtSemicolons_AsTheDocsSay(string cell)
        {
            Assert.Equal(2, InputParser.SplitMaterials(new[] { cell }).Length);
        }

        [Fact]
        public void AFileThatExistsUnderANameWithASemicolon_IsOneMaterial_AsAFileInfoArrivesAsItsPath()
        {
            string folder = Path.Combine(Path.GetTempPath(), "seedance-split-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(folder);
            try
            {
                string path = Path.Combine(folder, "take 1; take 2.mp4");
                File.WriteAllText(path, "x");
                Assert.Equal(new[] { path }, InputParser.SplitMaterials(new[] { path }));
            }
            finally
            {
                Directory.Delete(folder, recursive: true);
            }
        }

        [Fact]
        public void SplitMaterials_DropsBlankCellsAndValues()
        {
            Assert.Empty(InputParser.SplitMaterials(new[] { string.Empty, "   ", null, "https://a/1.png;;"}.Skip(0).Take(3)));
            Assert.Equal(new[] { "https://a/1.png" }, InputParser.SplitMaterials(new[] { "https://a/1.png;;" }));
            Assert.Empty(InputParser.SplitMaterials(null));
        }

        [Fact]
        public void SplitMaterials_KeepsSeveralValuesInOrder()
        {
            Assert.Equal(
                new[] { "https://a/1.png", "https://a/2.png", "https://a/3.png" },
                InputParser.SplitMaterials(new[] { "https://a/1.png", "https://a/2.png;https://a/3.png" }));
        }

        [Theory]
        [InlineData(null, "5")]
        [InlineData("", "5")]
        [InlineData("   ", "5")]
        [InlineData(" 8 ", "8")]
        public void OrDefault_TreatsABlankCellAsTheDefault(string? value, string expected)
        {
            Assert.Equal(expected, InputParser.OrDefault(value, "5"));
        }
    }
}
