using System;
using System.Collections.Generic;
using System.IO;
using Seedance.Client.Gallery;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>Which of a task's journaled saves its card on the page shows; the page Save-SeedanceVideo -Gallery keeps while the batch runs.</summary>
    public sealed class GalleryExportTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "seedance-gallery-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        private readonly List<string> _warnings = new List<string>();

        public GalleryExportTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, true);

        private string Saved(string name, bool exists)
        {
            string path = Path.Combine(_folder, name);
            if (exists)
            {
                File.WriteAllText(path, "video");
            }

            return path;
        }

        [Fact]
        public void TheLastSaveInThePagesFolderThatIsStillThere_IsShown()
        {
            GalleryExport page = GalleryExport.Open(_folder, null, 0.01m);
            string kept = Saved("fox.mp4", exists: true);
            string deleted = Saved("fox_2.mp4", exists: false);

            Assert.Equal(kept, page.SavedVideoOf(new[] { kept, deleted }));
        }

        [Fact]
        public void WhenNoneIsThere_TheLastSaveInThePagesFolderIsShown_AsMissing()
        {
            GalleryExport page = GalleryExport.Open(_folder, null, 0.01m);

            Assert.Equal(Saved("b.mp4", false), page.SavedVideoOf(new[] { Saved("a.mp4", false), Saved("b.mp4", false) }));
        }

        [Fact]
        public void ACopySavedElsewhere_IsNotBesideThePage()
        {
            GalleryExport page = GalleryExport.Open(_folder, null, 0.01m);
            string elsewhere = Path.Combine(Path.GetTempPath(), "elsewhere-" + Guid.NewGuid().ToString("N").Substring(0, 8) + ".mp4");
            string sibling = _folder + "-sibling" + Path.DirectorySeparatorChar + "fox.mp4"; // shares the folder's name as a prefix

            Assert.Null(page.SavedVideoOf(new[] { elsewhere, sibling }));
            Assert.Null(page.SavedVideoOf(Array.Empty<string>()));
        }

        private static SeedanceTask Task(string id, string name, string status) =>
            new SeedanceTask(id) { Name = name, Status = status, CreatedAt = DateTimeOffset.UnixEpoch };

        [Fact]
        public void EveryTaskOfTheBatchIsOnThePage_AlsoThoseThatNeverReachTheSave()
        {
            GalleryExport page = GalleryExport.Open(_folder, "batch", 0.005m);
            SeedanceTask[] batch = { Task("task_fox", "fox", SeedanceTaskStatus.Success), Task("task_failed", "whale", SeedanceTaskStatus.Fail) };

            page.Arrived(batch[0], () => batch, _warnings.Add);

            string html = File.ReadAllText(page.PagePath);
            Assert.Contains("fox", html);
            Assert.Contains("whale", html); // failed upstream: it never came to the save, and is on the page
            Assert.Empty(_warnings);
        }

        [Fact]
        public void APageThatCannotBeWritten_WhileTheBatchRuns_IsAWarning_NotAnError()
        {
            GalleryExport page = GalleryExport.Open(_folder, "batch", 0.005m);
            Directory.CreateDirectory(page.PagePath); // a folder where the page goes: it cannot be written

            page.Arrived(Task("task_fox", "fox", SeedanceTaskStatus.Success), null, _warnings.Add);

            Assert.Contains("could not be written", Assert.Single(_warnings));
        }
    }
}
