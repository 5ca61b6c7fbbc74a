using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Seedance.Client.Gallery;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>The page Save-SeedanceVideo -Gallery keeps while the batch runs.</summary>
    public sealed class LiveGalleryTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "seedance-live-gallery-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        private readonly List<string> _warnings = new List<string>();

        public LiveGalleryTests() => Directory.CreateDirectory(_folder);

        public void Dispose() => Directory.Delete(_folder, true);

        private static SeedanceTask Task(string id, string name, string status) =>
            new SeedanceTask(id) { Name = name, Status = status, CreatedAt = DateTimeOffset.UnixEpoch };

        [Fact]
        public void EveryTaskOfTheBatchIsOnThePage_AlsoThoseThatNeverReachTheSave()
        {
            LiveGallery page = new LiveGallery(GalleryExport.Open(_folder, "batch", 0.005m));
            SeedanceTask[] batch = { Task("task_fox", "fox", SeedanceTaskStatus.Success), Task("task_failed", "whale", SeedanceTaskStatus.Fail) };

            page.Arrived(batch[0], () => batch, _warnings.Add);

            string html = File.ReadAllText(page.PagePath);
            Assert.Contains("fox", html);
            Assert.Contains("whale", html); // failed upstream: it never came to the save, and is on the page
            Assert.Empty(_warnings);
        }

        [Fact]
        public void APageThatCannotBeWritten_IsAWarning_NotAnError()
        {
            LiveGallery page = new LiveGallery(GalleryExport.Open(_folder, "batch", 0.005m));
            Directory.CreateDirectory(page.PagePath); // a folder where the page goes: it cannot be written

            page.Arrived(Task("task_fox", "fox", SeedanceTaskStatus.Success), null, _warnings.Add);

            Assert.Contains("could not be written", Assert.Single(_warnings));
        }
    }
}
