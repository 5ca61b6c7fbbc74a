using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Seedance.Client.Gallery;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>The page's data file: rows survive a round trip; a hostile or broken file is refused or cleaned, never trusted.</summary>
    public sealed class GalleryDataFileTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "seedance-gallery-" + Guid.NewGuid().ToString("N").Substring(0, 8));

        public GalleryDataFileTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, true);

        [Fact]
        public void Rows_RoundTrip()
        {
            GalleryRow row = new GalleryRow("task_1")
            {
                Name = "fox", Status = SeedanceTaskStatus.Success, Prompt = "A fox <b>", Model = "seedance-20", DurationSeconds = 5,
                Width = 1280, Height = 720, Seed = 4294967295, Credits = 200.5m, CreatedAt = DateTimeOffset.UnixEpoch.AddDays(20000),
                CompletedAt = DateTimeOffset.UnixEpoch.AddDays(20000).AddMinutes(3), VideoFile = "fox.mp4", PosterFile = "fox.last-frame.png",
                FirstCreatedAt = DateTimeOffset.UnixEpoch.AddDays(19999), Sequence = 7,
            };
            string path = Path.Combine(_folder, GalleryExport.DataFileName);
            File.WriteAllBytes(path, GalleryDataFile.Serialize("t", new[] { row }));

            (string? title, IReadOnlyList<GalleryRow> rows) = GalleryDataFile.Read(path);
            GalleryRow back = rows.Single();
            Assert.Equal("t", title);

            Assert.Equal("fox", back.Name);
            Assert.Equal("A fox <b>", back.Prompt);
            Assert.Equal(4294967295, back.Seed);
            Assert.Equal(200.5m, back.Credits);
            Assert.Equal(row.CompletedAt, back.CompletedAt);
            Assert.Equal(row.FirstCreatedAt, back.FirstCreatedAt);
            Assert.Equal(7, back.Sequence);
            Assert.Equal("fox.last-frame.png", back.PosterFile);
            Assert.Equal(TimeSpan.FromMinutes(3), back.TimeTaken());
        }

        [Theory]
        [InlineData("/etc/passwd")]
        [InlineData("C:/Windows/x.mp4")]
        [InlineData("https://evil.example/x.mp4")]
        [InlineData("a\\b.mp4")]
        [InlineData("a//b.mp4")]
        [InlineData("./a.mp4")]
        public void AFileReferenceThatIsNotAPlainRelativePath_IsDropped_TheRowKept(string reference)
        {
            string path = Write("{\"format\":\"seedance-gallery\",\"version\":1,\"rows\":[{\"taskId\":\"t1\",\"status\":\"Success\",\"videoFile\":" + Json(reference) + "}]}");

            GalleryRow row = GalleryDataFile.Read(path).Rows.Single();

            Assert.Null(row.VideoFile);
            Assert.Equal("t1", row.TaskId);
        }

        [Fact]
        public void AVideoInASiblingFolder_IsAPlainRelativePath()
        {
            Assert.True(GalleryDataFile.IsPlainRelativePath("../other/fox.mp4"));
            Assert.Equal("../other/fox.mp4", GalleryExport.RelativePath(Path.Combine(_folder, "page"), Path.Combine(_folder, "other", "fox.mp4")));
            Assert.Equal("fox.mp4", GalleryExport.RelativePath(_folder, Path.Combine(_folder, "fox.mp4")));
        }

        [Theory]
        [InlineData("not json")]
        [InlineData("{\"format\":\"something-else\",\"version\":1,\"rows\":[]}")]
        [InlineData("{\"format\":\"seedance-gallery\",\"version\":99,\"rows\":[]}")]
        [InlineData("[1,2,3]")]
        public void AFileThatIsNotOurs_IsRefused_SoItsRowsAreNotWrittenOver(string content)
        {
            string path = Write(content);

            SeedanceException e = ProblemAssert.Is(SeedanceProblem.GalleryDataUnreadable, Assert.Throws<SeedanceException>(() => GalleryDataFile.Read(path)));

            Assert.Equal(path, e.Target);
            ProblemAssert.Is(SeedanceProblem.GalleryDataUnreadable, Assert.Throws<SeedanceException>(() => GalleryExport.Open(_folder, null, 0.005m)));
        }

        [Fact]
        public void ADataFileWithAByteThatIsNotUtf8_IsRefused_NotReadWithAReplacementCharacter()
        {
            // Read with U+FFFD, the title would be written back changed on the next export: the file is not ours to rewrite.
            string path = Path.Combine(_folder, GalleryExport.DataFileName);
            byte[] page = GalleryDataFile.Serialize("TITLE", Array.Empty<GalleryRow>());
            int title = Encoding.UTF8.GetString(page).IndexOf("TITLE", StringComparison.Ordinal);
            page[title] = 0xFF;
            File.WriteAllBytes(path, page);

            SeedanceException e = ProblemAssert.Is(SeedanceProblem.GalleryDataUnreadable, Assert.Throws<SeedanceException>(() => GalleryDataFile.Read(path)));
            Assert.Contains("not utf-8 text", e.Message);
            Assert.Equal(page, File.ReadAllBytes(path));
        }

        [Fact]
        public void ADataFileInUtf16WithItsMark_AsWindowsPowerShellWritesText_IsRead()
        {
            string path = Path.Combine(_folder, GalleryExport.DataFileName);
            string page = Encoding.UTF8.GetString(GalleryDataFile.Serialize("t\u00e9", Array.Empty<GalleryRow>()));
            File.WriteAllBytes(path, Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(page)).ToArray());

            Assert.Equal("t\u00e9", GalleryDataFile.Read(path).Title);
        }

        [Fact]
        public async System.Threading.Tasks.Task AFifoAsTheDataFile_IsRefused_NotWaitedOn()
        {
            if (System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows))
            {
                return;
            }

            string path = Path.Combine(_folder, GalleryExport.DataFileName);
            using (System.Diagnostics.Process mkfifo = System.Diagnostics.Process.Start("mkfifo", path)!)
            {
                mkfifo.WaitForExit();
            }

            System.Threading.Tasks.Task<SeedanceException> open = System.Threading.Tasks.Task.Run(() => ProblemAssert.Is(SeedanceProblem.GalleryDataUnreadable, Assert.Throws<SeedanceException>(() => GalleryExport.Open(_folder, null, 0.005m))));
            Assert.Same(open, await System.Threading.Tasks.Task.WhenAny(open, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(30))));
            Assert.Contains("FIFO", (await open).Message);
        }

        [Fact]
        public void ADataFileOverTheCap_IsRefused_WithoutReadingItAll()
        {
            string path = Path.Combine(_folder, GalleryExport.DataFileName);
            using (FileStream file = File.Create(path))
            {
                file.SetLength(1L << 30); // 1 GiB, sparse
            }

            Assert.Contains("larger than", ProblemAssert.Is(SeedanceProblem.GalleryDataUnreadable, Assert.Throws<SeedanceException>(() => GalleryDataFile.Read(path))).Message);
        }

        [Fact]
        public void WrongTypes_AndOverlongText_AreCleaned()
        {
            string path = Write("{\"format\":\"seedance-gallery\",\"version\":1,\"rows\":[{\"taskId\":\"t1\",\"seed\":\"12\",\"width\":-5,\"credits\":\"lots\",\"prompt\":\"" + new string('p', 30000) + "\"},{\"taskId\":5},7]}");

            GalleryRow row = GalleryDataFile.Read(path).Rows.Single();

            Assert.Null(row.Seed);
            Assert.Null(row.Width);
            Assert.Null(row.Credits);
            Assert.Equal(20000, row.Prompt!.Length);
        }

        [Fact]
        public void AnExport_RemembersRows_AndAReExportShowsARowWhoseFileIsGoneAsMissing()
        {
            File.WriteAllBytes(Path.Combine(_folder, "fox.mp4"), new byte[] { 0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70 });
            GalleryExport first = GalleryExport.Open(_folder, "promo", 0.005m);
            first.Add(new SeedanceTask("task_fox") { Name = "fox", Status = SeedanceTaskStatus.Success, CreatedAt = DateTimeOffset.UnixEpoch }, null);
            first.Write(DateTimeOffset.UnixEpoch);
            Assert.Contains("data-outcome=\"Saved\"", File.ReadAllText(first.PagePath));

            File.Delete(Path.Combine(_folder, "fox.mp4"));
            GalleryExport second = GalleryExport.Open(_folder, null, 0.005m);
            Assert.Equal("promo", second.Title); // remembered, not the folder's name
            second.Add(new SeedanceTask("task_whale") { Name = "whale", Status = SeedanceTaskStatus.Fail, CreatedAt = DateTimeOffset.UnixEpoch.AddSeconds(1) }, null);
            second.Write(DateTimeOffset.UnixEpoch);

            string html = File.ReadAllText(second.PagePath);
            Assert.Contains("data-outcome=\"FileMissing\"", html);
            Assert.Contains("data-outcome=\"Failed\"", html);
            Assert.Equal(new[] { "fox", "whale" }, GalleryDataFile.Read(Path.Combine(_folder, GalleryExport.DataFileName)).Rows.Select(row => row.Name));
            Assert.Empty(Directory.GetFiles(_folder, "*.tmp"));
        }

        private string Write(string content)
        {
            string path = Path.Combine(_folder, GalleryExport.DataFileName);
            File.WriteAllText(path, content, Encoding.UTF8);
            return path;
        }

        private static string Json(string text) => "\"" + text.Replace("\\", "\\\\") + "\"";
    }
}
