using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Files;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Tests.TestSupport;
using Seedance.Client.Workflows;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>The file rules of a save, each named after the rule: which file, already saved, a file already there, a fresh URL.</summary>
    public class SaveWorkflowTests : OpenJournalTests
    {
        private const string OldUrl = "https://cdn.example.test/old/task_1.mp4";
        private const string FreshUrl = "https://cdn.example.test/fresh/task_1.mp4";
        private static readonly byte[] Video = { 0, 0, 0, 24, 102, 116, 121, 112, 1, 2, 3, 4 };

        private string Folder => _folder.Root;

        private SaveWorkflow InFolder(bool overwrite = false) => new SaveWorkflow(Folder, "./videos", overwrite, _journal);

        /// <summary>A video saved through the one entry point the command uses; its failure thrown, for the assertions.</summary>
        private static async Task<SaveOutcome> Save(SaveWorkflow save, SeedanceClient client, SaveOutcome planned)
        {
            SaveOutcome outcome = await save.SaveVideoAsync(client, planned, null, _ => { }, CancellationToken.None);
            return outcome.Failure is Exception failure ? throw failure : outcome;
        }

        /// <summary>Video 0 of <paramref name="task"/> planned to download to <paramref name="path"/>.</summary>
        private static SaveOutcome Planned(SeedanceTask task, string path) => new SaveOutcome(task, 0, path, SaveResult.Downloaded);

        private static SeedanceTask Finished(string id = "task_1", string? name = null, params string[] urls)
        {
            SeedanceTask task = new SeedanceTask(id) { Status = SeedanceTaskStatus.Success, Name = name };
            task.Videos = Array.ConvertAll(urls.Length == 0 ? new[] { OldUrl } : urls, url => new SeedanceVideo(url, null, null, "video/mp4"));
            return task;
        }

        private static SeedanceClient Client(FakeHttpHandler handler)
        {
            RetryPolicy once = new RetryPolicy { MaxAttempts = 1, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(1), MaxTotalTime = TimeSpan.FromSeconds(1) };
            SeedanceClientOptions options = new SeedanceClientOptions(new Uri("https://api.example.test/api/v1"), new ApiKey("sk-test-save-workflow"))
            {
                ReadRetry = once,
                CreateRetry = once,
                Clock = new VirtualClock(),
            };
            return new SeedanceClient(options, new HttpClient(handler), new HttpClient(handler));
        }

        private static HttpResponseMessage Mp4()
        {
            HttpResponseMessage response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Video) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            return response;
        }

        [Fact]
        public void AVideoIsNamedAfterItsRowName_OrItsId_AndASecondVideoGetsASuffix()
        {
            SaveWorkflow save = InFolder();

            Assert.Equal(Path.Combine(Folder, "task_1.mp4"), save.Plan(Finished(), 0, null).Path);
            Assert.Equal(Path.Combine(Folder, "task_1_2.mp4"), save.Plan(Finished(), 1, null).Path);
            Assert.Equal(Path.Combine(Folder, "kite.mp4"), save.Plan(Finished("task_2", "kite"), 0, null).Path);
        }

        [Fact]
        public void TwoTasksOfOneName_EachKeepAFileOfItsOwn()
        {
            SaveWorkflow save = InFolder();

            Assert.Equal(Path.Combine(Folder, "kite.mp4"), save.Plan(Finished("task_a", "kite"), 0, null).Path);
            Assert.Equal(Path.Combine(Folder, TaskFileName.ForAnotherTask("KITE", "task_b") + ".mp4"), save.Plan(Finished("task_b", "KITE"), 0, null).Path);
            Assert.Equal(Path.Combine(Folder, "kite.mp4"), save.Plan(Finished("task_a", "kite"), 0, null).Path);
        }

        [Fact]
        public void AFileAnotherTaskOwns_IsNeverThisTasksFile()
        {
            string path = Path.Combine(Folder, "kite.mp4");
            File.WriteAllBytes(path, Video);
            JournalTestData.Create(_journal, "task_a", name: "kite");
            _journal.RecordSaved("task_a", path, Video.Length);

            SaveOutcome target = InFolder(overwrite: true).Plan(Finished("task_b", "kite"), 0, _journal.Read());
            Assert.Equal(Path.Combine(Folder, TaskFileName.ForAnotherTask("kite", "task_b") + ".mp4"), target.Path);
        }

        [Fact]
        public void PathIsSingleFile_RefusesASecondVideo()
        {
            string file = Path.Combine(Folder, "one.mp4");
            SaveWorkflow save = new SaveWorkflow(file, "one.mp4", overwrite: false, _journal);

            Assert.Equal(file, save.Plan(Finished("task_a"), 0, null).Path);
            ProblemAssert.Is(SeedanceProblem.PathIsSingleFile, save.Plan(Finished("task_b"), 0, null).Failure);
        }

        [Fact]
        public void AnIdThatCannotBeAFileName_IsRefused()
        {
            ProblemAssert.Is(SeedanceProblem.InvalidTaskId, InFolder().Plan(Finished("../escape"), 0, null).Failure);
        }

        [Fact]
        public async Task TheFileAlreadyExists_IsKeptWithoutForce()
        {
            string path = Path.Combine(Folder, "task_1.mp4");
            File.WriteAllText(path, "mine");

            SaveOutcome found = InFolder().Plan(Finished(), 0, null);
            Assert.Equal(SaveResult.Found, found.Result);
            SeedanceException refused = await ProblemAssert.ThrowsAsync(SeedanceProblem.FileExists, () => Save(InFolder(), Client(ServingRanges(Video)), found));
            Assert.Equal(path, refused.Target);
            Assert.Contains("-Force", refused.Message);
            Assert.Equal("mine", File.ReadAllText(path));
            Assert.Equal(SaveResult.Downloaded, InFolder(overwrite: true).Plan(Finished(), 0, null).Result);
            Assert.Null(InFolder(overwrite: true).Plan(Finished(), 0, null).Failure);
            Assert.Null(SaveWorkflow.FileExists(Path.Combine(Folder, "absent.mp4"), overwrite: false));
            Assert.Contains("Nothing was created or paid for", SaveWorkflow.FileExists(path, overwrite: false)!.Message);
        }

        [Fact]
        public async Task AlreadySaved_WhenTheJournalSavedThisTaskToThisFileAtThisSize()
        {
            string path = Path.Combine(Folder, "task_1.mp4");
            File.WriteAllBytes(path, Video);
            JournalTestData.Create(_journal, "task_1");
            _journal.RecordSaved("task_1", path, Video.Length);

            SaveOutcome target = InFolder().Plan(Finished(), 0, _journal.Read());
            Assert.Equal(SaveResult.AlreadySaved, target.Result);

            File.WriteAllBytes(path, new byte[] { 1, 2, 3 }); // changed since: not the saved file, so it is kept as FileExists
            SaveOutcome changed = InFolder().Plan(Finished(), 0, _journal.Read());
            Assert.Equal(SaveResult.Found, changed.Result);
            await ProblemAssert.ThrowsAsync(SeedanceProblem.FileExists, () => Save(InFolder(), Client(ServingRanges(Video)), changed));
        }

        [Fact]
        public async Task AWholeVideoFoundWithoutItsJournalRecord_IsRecordedAsSaved_NotDownloaded()
        {
            // The kill between the rename into place and the journal's record: the file is whole, the record missing.
            string path = Path.Combine(Folder, "task_1.mp4");
            File.WriteAllBytes(path, Video);
            File.SetLastWriteTimeUtc(path, Modified.UtcDateTime);
            JournalTestData.Create(_journal, "task_1");
            FakeHttpHandler handler = ServingRanges(Video, Modified);

            SaveOutcome target = InFolder().Plan(Finished(), 0, _journal.Read());
            SaveOutcome saved = await Save(InFolder(), Client(handler), target);

            Assert.Equal(SaveResult.Found, saved.Result);
            Assert.Equal(path, saved.Path);
            Assert.Equal(Video.Length, saved.Bytes);
            RecordedRequest peek = Assert.Single(handler.Requests); // one ranged request for the start, never the whole video
            Assert.Equal(0, Assert.Single(peek.Range!.Ranges).From);
            Assert.Equal(path, Assert.Single(_journal.Read().FindTask("task_1")!.SavedFiles).Path);
            Assert.Equal(SaveResult.AlreadySaved, InFolder().Plan(Finished(), 0, _journal.Read()).Result); // and the next run hands it on
        }

        [Fact]
        public async Task AWholeVideoFoundWithTheJournalOff_IsHandedOn()
        {
            string path = Path.Combine(Folder, "task_1.mp4");
            File.WriteAllBytes(path, Video);
            SaveWorkflow off = new SaveWorkflow(Folder, "./videos", overwrite: false, TaskJournal.Disabled);

            SaveOutcome saved = await Save(off, Client(ServingRanges(Video)), off.Plan(Finished(), 0, null));

            Assert.Equal(SaveResult.Found, saved.Result);
            Assert.Null(saved.NotRecorded);
            Assert.Equal(Video, File.ReadAllBytes(path));
        }

        [Fact]
        public async Task AnIncompleteCopyOfTheVideo_IsNamedAsIncomplete_AndKept()
        {
            string path = Path.Combine(Folder, "task_1.mp4");
            byte[] half = new byte[Video.Length / 2];
            Array.Copy(Video, half, half.Length);
            File.WriteAllBytes(path, half);

            SeedanceException incomplete = await ProblemAssert.ThrowsAsync(SeedanceProblem.IncompleteVideoFile,
                () => Save(InFolder(), Client(ServingRanges(Video)), InFolder().Plan(Finished(), 0, null)));

            Assert.Equal(path, incomplete.Target);
            Assert.Contains($"{half.Length:N0} of its {Video.Length:N0} bytes", incomplete.Message);
            Assert.Contains("-Force", incomplete.Message);
            Assert.Equal(half, File.ReadAllBytes(path));
            Assert.Null(_journal.Read().FindTask("task_1"));
        }

        [Fact]
        public async Task AFoundFileIsCheckedAgainstAFreshUrl_WhenTheOldOneExpired()
        {
            string path = Path.Combine(Folder, "task_1.mp4");
            File.WriteAllBytes(path, Video);
            FakeHttpHandler fresh = ServingRanges(Video);
            FakeHttpHandler handler = new FakeHttpHandler((request, n) =>
                request.RequestUri!.AbsoluteUri == OldUrl ? FakeHttpHandler.Text(HttpStatusCode.NotFound, "expired")
                : request.RequestUri.AbsoluteUri == FreshUrl ? ServedRange(Video, request, null)
                : FakeHttpHandler.Json(HttpStatusCode.OK, $@"{{""taskId"":""task_1"",""status"":""success"",""output"":[{{""url"":""{FreshUrl}""}}]}}"));

            SaveOutcome saved = await Save(InFolder(), Client(handler), InFolder().Plan(Finished(), 0, null));

            Assert.Equal(SaveResult.Found, saved.Result);
            Assert.Equal(3, handler.Count); // old URL, the task read again, the fresh URL
        }

        [Fact]
        public async Task ASavedFileTakesTheVideosLastModified_TheValidatorALaterRunCompares()
        {
            string path = Path.Combine(Folder, "task_1.mp4");

            await Save(InFolder(), Client(ServingRanges(Video, Modified)), Planned(Finished(), path));

            Assert.Equal(Modified.UtcDateTime, File.GetLastWriteTimeUtc(path));
        }

        [Fact]
        public async Task AVideoAlreadySaved_IsHandedOnAtOnce_WithoutAskingTheService()
        {
            string path = Path.Combine(Folder, "task_1.mp4");
            File.WriteAllBytes(path, Video);
            JournalTestData.Create(_journal, "task_1");
            _journal.RecordSaved("task_1", path, Video.Length);
            FakeHttpHandler handler = ServingRanges(Video);

            SaveOutcome saved = await Save(InFolder(), Client(handler), InFolder().Plan(Finished(), 0, _journal.Read()));

            Assert.Equal(SaveResult.AlreadySaved, saved.Result);
            Assert.Equal(Video.Length, saved.Bytes);
            Assert.Equal(0, handler.Count);
            Assert.Contains("already saved", saved.Describe());
        }

        [Fact]
        public async Task ATaskCountsAsSavedOnceEveryOneOfItsVideosIs()
        {
            SeedanceTask task = Finished("task_1", null, OldUrl, FreshUrl);
            SaveWorkflow save = InFolder();
            SeedanceClient client = Client(Serving(Video));
            SaveOutcome[] targets = save.Plan(task, null).ToArray();
            Assert.Equal(2, targets.Length);

            SaveOutcome first = await save.SaveVideoAsync(client, targets[0], null, _ => { }, CancellationToken.None);
            Assert.Null(first.Failure);
            Assert.False(first.TaskSaved);
            SaveOutcome second = await save.SaveVideoAsync(client, targets[1], null, _ => { }, CancellationToken.None);
            Assert.Equal(Path.Combine(Folder, "task_1_2.mp4"), second.Path);
            Assert.True(second.TaskSaved);
        }

        [Fact]
        public async Task AVideoThatCannotBeSaved_IsTheOutcomesFailure_AndTheTaskIsNotSaved()
        {
            SeedanceTask task = Finished("task_1");
            SaveOutcome target = Assert.Single(new SaveWorkflow(Path.Combine(Folder, "nope"), "./nope", false, _journal).Plan(task, null));

            SaveOutcome refused = await InFolder().SaveVideoAsync(Client(Serving(Video)), target, null, _ => { }, CancellationToken.None);
            ProblemAssert.Is(SeedanceProblem.DestinationFolderNotFound, refused.Failure as SeedanceException);
            Assert.False(refused.TaskSaved);
            Assert.Null(refused.Path);
        }

        private static readonly DateTimeOffset Modified = new DateTimeOffset(2026, 11, 30, 8, 15, 0, TimeSpan.Zero);

        /// <summary>A files origin that honours Range (206 with Content-Range) and gives a Last-Modified when told one.</summary>
        private static FakeHttpHandler ServingRanges(byte[] content, DateTimeOffset? lastModified = null) =>
            new FakeHttpHandler((request, _) => ServedRange(content, request, lastModified));

        private static HttpResponseMessage ServedRange(byte[] content, HttpRequestMessage request, DateTimeOffset? lastModified)
        {
            RangeItemHeaderValue? range = request.Headers.Range?.Ranges.FirstOrDefault();
            HttpResponseMessage response;
            if (range?.From is long from)
            {
                long to = Math.Min(range.To ?? content.Length - 1, content.Length - 1);
                byte[] part = new byte[to - from + 1];
                Array.Copy(content, from, part, 0, part.Length);
                response = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent(part) };
                response.Content.Headers.ContentRange = new ContentRangeHeaderValue(from, to, content.Length);
            }
            else
            {
                response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(content) };
            }

            response.Content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            response.Content.Headers.LastModified = lastModified;
            return response;
        }

        [Fact]
        public async Task AnExpiredUrlIsFetchedAgainOnce()
        {
            FakeHttpHandler handler = new FakeHttpHandler((request, _) =>
                request.RequestUri!.AbsoluteUri == OldUrl ? FakeHttpHandler.Text(HttpStatusCode.Forbidden, "expired")
                : request.RequestUri.AbsoluteUri == FreshUrl ? Mp4()
                : FakeHttpHandler.Json(HttpStatusCode.OK, $@"{{""taskId"":""task_1"",""status"":""success"",""output"":[{{""url"":""{FreshUrl}""}}]}}"));
            string path = Path.Combine(Folder, "task_1.mp4");

            long bytes = (await Save(InFolder(), Client(handler), Planned(Finished(), path))).Bytes;

            Assert.Equal(Video.Length, bytes);
            Assert.Equal(Video, File.ReadAllBytes(path));
            Assert.Equal(3, handler.Count); // old URL, the task read again, the fresh URL
        }

        [Fact]
        public async Task AFileThatAppearedWhileSaving_IsKept()
        {
            string path = Path.Combine(Folder, "task_1.mp4");
            FakeHttpHandler handler = new FakeHttpHandler((_, _) =>
            {
                File.WriteAllText(path, "written by someone else meanwhile");
                return Mp4();
            });

            SeedanceException appeared = await ProblemAssert.ThrowsAsync(SeedanceProblem.FileExists, () => Save(InFolder(), Client(handler), Planned(Finished(), path)));
            Assert.Contains("appeared while downloading", appeared.Message);
            Assert.Equal("written by someone else meanwhile", File.ReadAllText(path));
        }

        [Fact]
        public void A_path_is_a_folder_when_it_is_one_ends_with_a_separator_or_is_missing_without_an_extension()
        {
            string existingFile = Path.Combine(Folder, "made");
            File.WriteAllText(existingFile, "x");
            Assert.True(SaveWorkflow.IsFolderPath("./x", Folder), "an existing folder");
            Assert.True(SaveWorkflow.IsFolderPath("./videos", Path.Combine(Folder, "videos")), "missing, no extension");
            Assert.True(SaveWorkflow.IsFolderPath("clips.v2/", Path.Combine(Folder, "clips.v2")), "a trailing separator, even with a dot");
            Assert.True(SaveWorkflow.IsFolderPath("clips.v2\\", Path.Combine(Folder, "clips.v2")), "a trailing backslash");
            Assert.False(SaveWorkflow.IsFolderPath("./intro.mp4", Path.Combine(Folder, "intro.mp4")), "missing, with an extension: one file");
            Assert.False(SaveWorkflow.IsFolderPath("./made", existingFile), "an existing file without an extension is that file");
        }

        [Fact]
        public void A_folder_that_takes_no_files_is_found_by_a_probe_that_leaves_nothing_behind()
        {
            string videos = Directory.CreateDirectory(Path.Combine(Folder, "videos")).FullName;
            Assert.Null(SaveWorkflow.CannotWriteTo(videos));
            Assert.Empty(Directory.GetFileSystemEntries(videos));
            Assert.Null(SaveWorkflow.CannotWriteTo(Path.Combine(Folder, "not-there-yet")));
            if (!OperatingSystem.IsWindows() && Environment.UserName != "root")
            {
                string locked = Directory.CreateDirectory(Path.Combine(Folder, "locked")).FullName;
                File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
                Assert.IsAssignableFrom<UnauthorizedAccessException>(SaveWorkflow.CannotWriteTo(locked));
            }
        }

        [Fact]
        public void ADestinationThatCannotWork_IsRefusedBeforeAnyTask_AndAFileThatStartsLikeAVideo_IsJudgedLater()
        {
            // The folder of a one-file -Path is missing.
            SeedanceException missing = Assert.IsType<SeedanceException>(new SaveWorkflow(Path.Combine(Folder, "nope", "one.mp4"), "nope/one.mp4", false, _journal).RefusedBeforeAnyTask());
            Assert.Equal(SeedanceProblem.DestinationFolderNotFound, missing.Problem);
            Assert.Equal("nope/one.mp4", missing.Target);

            // A one-file -Path holding a file that is not a video: kept, refused now; with -Force, replaced later.
            string notes = Path.Combine(Folder, "notes.mp4");
            File.WriteAllText(notes, "my notes");
            Assert.Equal(SeedanceProblem.FileExists, new SaveWorkflow(notes, "notes.mp4", false, _journal).RefusedBeforeAnyTask()?.Problem);
            Assert.Null(new SaveWorkflow(notes, "notes.mp4", true, _journal).RefusedBeforeAnyTask());

            // One that starts like an MP4 may be this very task's video from an earlier run: judged when the task arrives.
            string earlier = Path.Combine(Folder, "earlier.mp4");
            File.WriteAllBytes(earlier, Video);
            Assert.Null(new SaveWorkflow(earlier, "earlier.mp4", false, _journal).RefusedBeforeAnyTask());

            // A folder, existing or not yet created, that takes files.
            Assert.Null(InFolder().RefusedBeforeAnyTask());
            Assert.Null(new SaveWorkflow(Path.Combine(Folder, "later"), "./later", false, _journal).RefusedBeforeAnyTask());
            if (!OperatingSystem.IsWindows() && Environment.UserName != "root")
            {
                string locked = Directory.CreateDirectory(Path.Combine(Folder, "locked")).FullName;
                File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
                SeedanceException denied = Assert.IsType<SeedanceException>(new SaveWorkflow(locked, "./locked", false, _journal).RefusedBeforeAnyTask());
                Assert.Equal(SeedanceProblem.DestinationNotWritable, denied.Problem);
                Assert.Contains("Nothing was created or paid for", denied.Message);
            }
        }

        [Fact]
        public void AFolderNotCreated_RefusesEveryVideo_ButUnderWhatIfTheyArePlannedThere()
        {
            string later = Path.Combine(Folder, "later");
            SaveOutcome declined = new SaveWorkflow(later, "./later", false, _journal).Plan(Finished(), 0, null);
            Assert.Equal(SeedanceProblem.DestinationFolderNotFound, (declined.Failure as SeedanceException)?.Problem);

            SaveOutcome imagined = new SaveWorkflow(later, "./later", false, _journal) { WhatIf = true }.Plan(Finished(), 0, null);
            Assert.Null(imagined.Failure);
            Assert.Equal(Path.Combine(later, "task_1.mp4"), imagined.Path);
        }

        /// <summary>A second process's view of the same journal file: its own handle, cache and lock (flock is per open file).</summary>
        private TaskJournal SecondProcessJournal() => _clock.Open(_folder.JournalPath);

        private static FakeHttpHandler Serving(byte[] content) => new FakeHttpHandler((_, _) =>
        {
            HttpResponseMessage response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(content) };
            response.Content.Headers.ContentType = new MediaTypeHeaderValue("video/mp4");
            return response;
        });

        private static readonly byte[] VideoA = { 0, 0, 0, 24, 102, 116, 121, 112, 65, 65, 65, 65 };
        private static readonly byte[] VideoB = { 0, 0, 0, 24, 102, 116, 121, 112, 66, 66, 66, 66, 66 };

        [Fact]
        public async Task TwoProcesses_TwoNamesThatCleanAlike_WithForce_NeitherOverwritesTheOther_AndTheJournalSaysWhere()
        {
            // Both plan before either has saved (the race): both are told "promo_a.mp4".
            TaskJournal other = SecondProcessJournal();
            JournalTestData.Create(_journal, "task_a", name: "promo/a");
            JournalTestData.Create(other, "task_b", name: "promo:a");
            SaveWorkflow first = new SaveWorkflow(Folder, "./videos", overwrite: true, _journal);
            SaveWorkflow second = new SaveWorkflow(Folder, "./videos", overwrite: true, other);
            string planned = first.Plan(Finished("task_a", "promo/a"), 0, _journal.Read()).Path!;
            Assert.Equal(planned, second.Plan(Finished("task_b", "promo:a"), 0, other.Read()).Path);

            SaveOutcome a = await Save(first, Client(Serving(VideoA)), Planned(Finished("task_a", "promo/a"), planned));
            SaveOutcome b = await Save(second, Client(Serving(VideoB)), Planned(Finished("task_b", "promo:a"), planned));

            Assert.Equal(planned, a.Path);
            Assert.Equal(Path.Combine(Folder, TaskFileName.ForAnotherTask("promo_a", "task_b") + ".mp4"), b.Path);
            Assert.Equal(VideoA, File.ReadAllBytes(a.Path!));
            Assert.Equal(VideoB, File.ReadAllBytes(b.Path!));
            JournalSnapshot journal = SecondProcessJournal().Read();
            Assert.Equal("task_a", journal.OwnerOfSavedFile(a.Path!));
            Assert.Equal("task_b", journal.OwnerOfSavedFile(b.Path!));
            Assert.Equal(b.Path, Assert.Single(journal.FindTask("task_b")!.SavedFiles).Path);
        }

        [Fact]
        public async Task OneFilePathWithForce_NeverReplacesAFileAnotherTaskOwns_PlannedOrRaced()
        {
            string file = Path.Combine(Folder, "final.mp4");
            TaskJournal other = SecondProcessJournal();
            JournalTestData.Create(_journal, "task_a");
            JournalTestData.Create(other, "task_b");
            SaveWorkflow first = new SaveWorkflow(file, "final.mp4", overwrite: true, _journal);
            SaveWorkflow second = new SaveWorkflow(file, "final.mp4", overwrite: true, other);
            Assert.Equal(file, second.Plan(Finished("task_b"), 0, other.Read()).Path); // planned before task_a saved

            await Save(first, Client(Serving(VideoA)), Planned(Finished("task_a"), file));
            SaveOutcome raced = await Save(second, Client(Serving(VideoB)), Planned(Finished("task_b"), file));

            string own = Path.Combine(Folder, "final_task_b.mp4");
            Assert.Equal(own, raced.Path);
            Assert.Equal(VideoA, File.ReadAllBytes(file));
            Assert.Equal(VideoB, File.ReadAllBytes(own));

            // A later command with -Path final.mp4 -Force for task_b is told its own name before it downloads anything.
            SaveWorkflow later = new SaveWorkflow(file, "final.mp4", overwrite: true, SecondProcessJournal());
            Assert.Equal(own, later.Plan(Finished("task_b"), 0, _journal.Read()).Path);
        }
    }
}
