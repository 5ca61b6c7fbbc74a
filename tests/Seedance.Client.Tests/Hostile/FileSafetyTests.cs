using System;
using System.IO;
using System.Runtime.InteropServices;
using Seedance.Client.Files;
using Xunit;

namespace Seedance.Client.Tests.Hostile
{
    /// <summary>What sits at a final name, who owns a file, and which temporary files are stale: on the real file system.</summary>
    public sealed class FileSafetyTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "seedance-files-" + Guid.NewGuid().ToString("N"));

        public FileSafetyTests()
        {
            Directory.CreateDirectory(_folder);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private string In(string name) => Path.Combine(_folder, name);

        [DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
        private static extern int Mkfifo(string path, int mode);

        [Fact]
        public void ARegularFileOrNothing_IsAcceptable()
        {
            File.WriteAllText(In("video.mp4"), "x");
            Assert.Null(OwnedFiles.OtherThanRegularFile(In("video.mp4")));
            Assert.Null(OwnedFiles.OtherThanRegularFile(In("absent.mp4")));
        }

        [Fact]
        public void AFolder_IsRefused()
        {
            Directory.CreateDirectory(In("video.mp4"));
            SeedanceException e = ProblemAssert.Throws(SeedanceProblem.DestinationNotAFile, () => OwnedFiles.EnsureRegularFileOrAbsent(In("video.mp4")));
            Assert.Contains("is a directory, not a regular file", e.Message);
        }

        [Fact]
        public void AFifo_ADevice_AndALinkToThem_AreRefused_ALinkToAFileIsNot()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            Assert.Equal(0, Mkfifo(In("fifo.mp4"), 0x1A4));
            Assert.Contains("FIFO", OwnedFiles.OtherThanRegularFile(In("fifo.mp4")));
            Assert.Equal("character device", OwnedFiles.OtherThanRegularFile("/dev/null"));
            File.CreateSymbolicLink(In("null-link.mp4"), "/dev/null");
            Assert.Equal("character device", OwnedFiles.OtherThanRegularFile(In("null-link.mp4")));
            File.WriteAllText(In("real.mp4"), "x");
            File.CreateSymbolicLink(In("file-link.mp4"), In("real.mp4"));
            Assert.Null(OwnedFiles.OtherThanRegularFile(In("file-link.mp4")));
            File.CreateSymbolicLink(In("dangling.mp4"), In("nowhere.mp4"));
            Assert.Null(OwnedFiles.OtherThanRegularFile(In("dangling.mp4")));
        }

        [Fact]
        public void UnixFileStatus_GivesTypeModeAndOwner()
        {
            if (OperatingSystem.IsWindows())
            {
                return;
            }

            File.WriteAllText(In("key"), "x");
            File.SetUnixFileMode(In("key"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            UnixFileStatus status = UnixFileStatus.Of(In("key"))!;
            Assert.True(status.IsRegularFile);
            Assert.Equal(0x180, status.Permissions);
            Assert.False(status.IsGroupOrOtherAccessible);
            Assert.Equal(UnixFileStatus.CurrentUser, status.Owner);
            File.SetUnixFileMode(In("key"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
            Assert.True(UnixFileStatus.Of(In("key"))!.IsGroupOrOtherAccessible);
            File.CreateSymbolicLink(In("link"), In("key"));
            Assert.True(UnixFileStatus.OfLink(In("link"))!.IsSymbolicLink);
            Assert.True(UnixFileStatus.Of(In("link"))!.IsRegularFile);
            Assert.Null(UnixFileStatus.Of(In("absent")));
        }

        [Fact]
        public void StaleDownloads_RemovesOnlyTheDestinationsOwnOldTemporaryFiles()
        {
            DateTime old = DateTime.UtcNow.AddDays(-2);
            string stale = In(".task_a.mp4.0123abcd.partial");
            string fresh = In(".task_a.mp4.89abcdef.partial");
            string anotherDestinations = In(".task_b.mp4.0123abcd.partial");
            string longerName = In(".task_a.mp4.x.0123abcd.partial");
            string notOurs = In(".notes.partial");
            string alsoNotOurs = In("task_a.mp4.0123abcd.partial");
            string video = In("task_d.mp4");
            foreach (string path in new[] { stale, fresh, anotherDestinations, longerName, notOurs, alsoNotOurs, video })
            {
                File.WriteAllText(path, "x");
                File.SetLastWriteTimeUtc(path, path == fresh ? DateTime.UtcNow.AddHours(-1) : old);
            }

            Directory.CreateDirectory(In(".task_a.mp4.fedcba98.partial"));

            Assert.Equal(1, TemporaryFiles.RemoveStaleDownloads(In("task_a.mp4")));

            Assert.False(File.Exists(stale));
            foreach (string path in new[] { fresh, anotherDestinations, longerName, notOurs, alsoNotOurs, video })
            {
                Assert.True(File.Exists(path), path);
            }

            Assert.True(Directory.Exists(In(".task_a.mp4.fedcba98.partial")));
        }

        [Fact]
        public void TemporaryNames_HaveTheShapeTheCleanerRemoves()
        {
            string download = TemporaryFiles.DownloadPathFor(In("task_1.mp4"));
            string write = TemporaryFiles.WritePathFor(In("key"));
            Assert.Equal(_folder, Path.GetDirectoryName(download));
            foreach (string path in new[] { download, write })
            {
                File.WriteAllText(path, "x");
                File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddDays(-2));
            }

            Assert.Equal(1, TemporaryFiles.RemoveStaleDownloads(In("task_1.mp4")));
            Assert.Equal(1, TemporaryFiles.RemoveStaleWrites(In("key")));
            Assert.False(File.Exists(download));
            Assert.False(File.Exists(write));
        }

        [Fact]
        public void AWholeFileWrite_RemovesItsOwnStaleTemporaryFiles_NotAnotherFilesOrAFreshOne()
        {
            string stale = In("key.0123abcd.tmp");
            string fresh = In("key.89abcdef.tmp");
            string anotherFiles = In("settings.0123abcd.tmp");
            string anotherFilesWithTheSamePrefix = In("key.x.0123abcd.tmp");
            foreach (string path in new[] { stale, fresh, anotherFiles, anotherFilesWithTheSamePrefix })
            {
                File.WriteAllText(path, "x");
                File.SetLastWriteTimeUtc(path, path == fresh ? DateTime.UtcNow.AddMinutes(-1) : DateTime.UtcNow.AddHours(-1));
            }

            OwnedFiles.WriteWhole(In("key"), new byte[] { 1 }, ownerOnly: true);

            Assert.False(File.Exists(stale));
            Assert.True(File.Exists(fresh));
            Assert.True(File.Exists(anotherFiles));
            Assert.True(File.Exists(anotherFilesWithTheSamePrefix));
            Assert.Equal(new byte[] { 1 }, File.ReadAllBytes(In("key")));
        }
    }
}
