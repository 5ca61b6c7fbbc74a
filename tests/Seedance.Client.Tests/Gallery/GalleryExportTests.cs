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
        public void APageThatCannotBeWritten_IsSaidOnce_UntilItIsWrittenAgain()
        {
            // Save -Gallery writes the page as each task comes: a page past its limit must not warn once per task (trial 7).
            GalleryExport page = GalleryExport.Open(_folder, "batch", 0.005m, 4096);
            for (int i = 0; i < 40; i++)
            {
                page.Arrived(Task("task_" + i, "row " + i, SeedanceTaskStatus.Success), null, _warnings.Add);
            }

            Assert.Single(_warnings);
            Assert.Contains("could not be written", _warnings[0]);
        }

        [Fact]
        public void TheDataFileIsNeverWrittenLargerThanItsReaderTakes_AtTheLimitNothingIsWritten()
        {
            // A 4 KiB limit stands in for the real 32 MiB (about 30,000 rows): the export reads and writes with one limit.
            const long limit = 4096;
            GalleryExport page = GalleryExport.Open(_folder, "batch", 0.005m, limit);
            page.Add(Task("task_0", "row 0", SeedanceTaskStatus.Success), null);
            page.Write(DateTimeOffset.UnixEpoch);
            string dataPath = Path.Combine(_folder, GalleryExport.DataFileName);
            byte[] data = File.ReadAllBytes(dataPath);
            string html = File.ReadAllText(page.PagePath);

            for (int i = 1; i < 40; i++)
            {
                page.Add(Task("task_" + i, "row " + i, SeedanceTaskStatus.Success), null);
            }

            IOException refused = Assert.Throws<IOException>(() => page.Write(DateTimeOffset.UnixEpoch.AddHours(1)));
            Assert.Contains("nothing was written", refused.Message);
            Assert.Equal(data, File.ReadAllBytes(dataPath));
            Assert.Equal(html, File.ReadAllText(page.PagePath));
            Assert.Single(GalleryExport.Open(_folder, null, 0.005m, limit).Ordered()); // the next export still reads its own file
        }

        [Fact]
        public void WhatTheWriterWrites_TheReaderReadsBack_UpToTheLimit()
        {
            GalleryRow[] rows = new GalleryRow[20];
            for (int i = 0; i < rows.Length; i++)
            {
                rows[i] = new GalleryRow("task_" + i) { Prompt = new string('p', 100) };
            }

            long limit = GalleryDataFile.Serialize("t", rows).Length;
            string path = Path.Combine(_folder, GalleryExport.DataFileName);
            File.WriteAllBytes(path, GalleryDataFile.Serialize("t", rows, limit));
            Assert.Equal(20, GalleryDataFile.Read(path, limit).Rows.Count);
            IOException refused = Assert.Throws<IOException>(() => GalleryDataFile.Serialize("t", rows, limit - 1));
            // Both sizes exactly: one byte over the limit must not read as "32 MiB, more than the 32 MiB" (trial 7).
            Assert.Contains($"would be {limit:N0} bytes, more than the {limit - 1:N0} bytes", refused.Message);
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
