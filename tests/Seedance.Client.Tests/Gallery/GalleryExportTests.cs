using System;
using System.IO;
using Seedance.Client.Gallery;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>Which of a task's journaled saves its card on the page shows.</summary>
    public sealed class GalleryExportTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "seedance-gallery-" + Guid.NewGuid().ToString("N").Substring(0, 8));

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
    }
}
