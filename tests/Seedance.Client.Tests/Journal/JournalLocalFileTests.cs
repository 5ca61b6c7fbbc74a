using System;
using System.Linq;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Uploads;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>
    /// Issue 16: a row's local file is uploaded to a new URL on every run, so the journal keeps each file's path and
    /// SHA-256 beside the request and compares a row's materials by those (Name reuse, FailedBefore, unnamed repeats).
    /// </summary>
    public sealed class JournalLocalFileTests : OpenJournalTests
    {
        private static readonly string CatHash = new string('a', 64);
        private static readonly string OtherHash = new string('b', 64);

        /// <summary>A request whose one image came from /data/cat.png with <paramref name="sha256"/>, uploaded to <paramref name="uploadedTo"/>.</summary>
        private static CreateTaskRequest WithCat(string uploadedTo, string sha256, string path = "/data/cat.png")
        {
            CreateTaskRequest request = JournalTestData.Request();
            request.ImageUrls = new[] { "https://cdn.example.com/a.png", uploadedTo };
            request.LocalFiles = new[] { new MaterialFile(MaterialKind.Image, 1, path, sha256) };
            return request;
        }

        private void FailedForAnInputReason(CreateTaskRequest request)
        {
            _journal.RecordCreated(_journal.ReserveCreate(request, "row-1", 200m), "task_bad");
            _clock.Advance(TimeSpan.FromSeconds(10));
            SeedanceTask task = JournalTestData.Task("task_bad", SeedanceTaskStatus.Fail, 0m);
            task.Error = new SeedanceTaskError("2038", "Your input text violates platform rules.");
            _journal.RecordStatus(task);
        }

        [Fact]
        public void SameMaterials_ALocalFileComparesByPathAndHash_NeverByTheUrlItWasUploadedTo()
        {
            Assert.True(JournalRequests.SameMaterials(WithCat("https://up.example/run1.png", CatHash), WithCat("https://up.example/run2.png", CatHash)));
            Assert.True(JournalRequests.SameVideo(WithCat("https://up.example/run1.png", CatHash), WithCat("/data/cat.png", CatHash)));
        }

        [Fact]
        public void SameMaterials_AChangedFile_OrAnotherPath_IsAChangedRequest()
        {
            Assert.False(JournalRequests.SameMaterials(WithCat("https://up.example/1.png", CatHash), WithCat("https://up.example/1.png", OtherHash)));
            Assert.False(JournalRequests.SameMaterials(WithCat("https://up.example/1.png", CatHash), WithCat("https://up.example/1.png", CatHash, "/data/dog.png")));
        }

        [Fact]
        public void SameMaterials_ALocalFileNeverEqualsAUrl_SoARequestJournaledWithoutFiles_Is_Created()
        {
            // 0.1.0 journaled only the uploaded URL: a row with a local file does not match it (created, never refused on a guess).
            CreateTaskRequest journaledBy010 = WithCat("https://up.example/1.png", CatHash);
            journaledBy010.LocalFiles = Array.Empty<MaterialFile>();
            Assert.False(JournalRequests.SameMaterials(journaledBy010, WithCat("https://up.example/1.png", CatHash)));
        }

        [Fact]
        public void TheIntentKeepsEachLocalFile_BesideTheRequest_AndReadsItBack()
        {
            JournalTestData.Create(_journal, "task_plain", "plain");
            _journal.RecordCreated(_journal.ReserveCreate(WithCat("https://up.example/1.png", CatHash), "row-1", 200m), "task_cat");

            string intent = _folder.Lines().Last(line => line.Contains("\"type\":\"intent\""));
            Assert.Contains("\"files\":[{\"kind\":\"image\",\"index\":1,\"path\":\"/data/cat.png\",\"sha256\":\"" + CatHash + "\"}]", intent);
            Assert.DoesNotContain("\"files\"", _folder.Lines().First(line => line.Contains("\"type\":\"intent\"")));

            MaterialFile file = _clock.Open(_folder.JournalPath).Read().FindTask("task_cat")!.Request!.LocalFiles.Single();
            Assert.Equal((MaterialKind.Image, 1, "/data/cat.png", CatHash), (file.Kind, file.Index, file.Path, file.Sha256));
        }

        [Theory]
        [InlineData("{\"kind\":\"image\",\"index\":5,\"path\":\"/data/cat.png\",\"sha256\":\"" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\"}")]
        [InlineData("{\"kind\":\"image\",\"index\":0,\"path\":\"/data/cat.png\",\"sha256\":\"not a hash\"}")]
        [InlineData("{\"kind\":\"sound\",\"index\":0,\"path\":\"/data/cat.png\",\"sha256\":\"" + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" + "\"}")]
        [InlineData("\"/data/cat.png\"")]
        public void ADamagedFileEntry_IsLeftOut_SoItsMaterialComparesByUrl(string entry)
        {
            _folder.AppendRaw("{\"v\":1,\"type\":\"intent\",\"time\":\"2026-11-25T10:00:00.000Z\",\"intent\":\"i1\",\"name\":\"row-1\",\"credits\":200,\"pid\":1,\"host\":\"box\"," +
                "\"request\":{\"model\":\"seedance-20\",\"prompt\":\"A fox\",\"images\":[\"https://up.example/1.png\"],\"ratio\":\"16:9\",\"duration\":5}," +
                "\"files\":[" + entry + "]}\n");

            JournalSnapshot read = _journal.Read();

            Assert.Empty(read.Problems);
            Assert.Empty(read.FindByName("row-1").Task!.Request!.LocalFiles);
        }

        [Fact]
        public void WouldFailAgain_AnUnchangedLocalFile_UploadedToANewUrl_IsRefused_AChangedOneIsCreated()
        {
            FailedForAnInputReason(WithCat("https://up.example/run1.png", CatHash));

            // Checked before the upload (the path stands for the file), and reserved after it (a new URL): refused both times.
            Assert.Equal(JournalReservationOutcome.FailedBefore, _journal.CheckCreate("row-1", null, WithCat("/data/cat.png", CatHash)).Outcome);
            Assert.Equal(JournalReservationOutcome.FailedBefore, _journal.ReserveCreate(WithCat("https://up.example/run2.png", CatHash), "row-1", 200m).Outcome);

            Assert.Equal(JournalReservationOutcome.Reserved, _journal.ReserveCreate(WithCat("https://up.example/run2.png", OtherHash), "row-1", 200m).Outcome);
        }

        [Fact]
        public void AnUnnamedRepeat_WithAnUnchangedLocalFile_MatchesItsEarlierCreate()
        {
            _journal.RecordCreated(_journal.ReserveCreate(WithCat("https://up.example/run1.png", CatHash), null, 200m), "task_unnamed");
            _clock.Advance(TimeSpan.FromMinutes(2));

            Assert.Equal("task_unnamed", _journal.CheckCreate(null, null, WithCat("/data/cat.png", CatHash)).SameUnnamed?.TaskId);
            Assert.Null(_journal.CheckCreate(null, null, WithCat("/data/cat.png", OtherHash)).SameUnnamed);
        }
    }
}
