using System;
using System.Collections.Generic;
using System.IO;
using System.Diagnostics;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Files;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;

namespace Seedance.Client.Workflows
{
    /// <summary>
    /// Every decision of one Save-SeedanceVideo about files: which file each video goes to (in a folder, named after its
    /// task's Name or id; or the one file -Path names), whether it is already saved (a re-run hands it on), whether a
    /// file already there is kept, and the download into place, fetching a fresh URL once when the old one answers
    /// 404/403. The command resolves -Path (provider paths, ShouldProcess for a new folder) and writes the results.
    /// </summary>
    public sealed class SaveWorkflow
    {
        private readonly string _given;
        private readonly bool _overwrite;
        private readonly TaskJournal _journal;
        private readonly Dictionary<string, string> _stemOwners = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        private int _singleFileTaken;

        /// <param name="fullPath">-Path resolved: a folder, or one file (<see cref="IsFolderPath"/>).</param>
        /// <param name="given">-Path as the user wrote it, for messages.</param>
        /// <param name="overwrite">-Force: replace a regular file already there.</param>
        public SaveWorkflow(string fullPath, string given, bool overwrite, TaskJournal journal)
        {
            FullPath = fullPath;
            IsFolder = IsFolderPath(given, fullPath);
            _given = given;
            _overwrite = overwrite;
            _journal = journal;
        }

        public string FullPath { get; }

        public bool IsFolder { get; }

        /// <summary>
        /// The folder videos land in: -Path itself, or the folder of a one-file -Path. The early-end warning's command
        /// saves there (a one-file -Path would take only one of the tasks it names).
        /// </summary>
        public string Folder => IsFolder ? FullPath : Path.GetDirectoryName(FullPath)!;

        /// <summary>-WhatIf: the folder would have been created, so a missing one refuses nothing (nothing is saved anyway).</summary>
        public bool WhatIf { get; set; }

        /// <summary>The review page kept up to date as videos are saved (-Gallery), or null.</summary>
        public Gallery.GalleryExport? Gallery { get; set; }

        /// <summary>
        /// Rule: -Path is a folder when it exists as one, ends with a separator, or does not exist and has no file
        /// extension (so './videos' is a folder, as users mean it); otherwise it names one file for one task.
        /// </summary>
        /// <param name="given">-Path as the user typed it (its trailing separator counts).</param>
        /// <param name="fullPath">The same, resolved to a file-system path.</param>
        public static bool IsFolderPath(string given, string fullPath) =>
            Directory.Exists(fullPath) ||
            given.EndsWith("/", StringComparison.Ordinal) || given.EndsWith("\\", StringComparison.Ordinal) ||
            (!File.Exists(fullPath) && Path.GetExtension(fullPath).Length == 0);

        /// <summary>
        /// Rule: a folder the videos cannot be written to is found before anything is paid for, by writing and deleting
        /// a probe file (permissions alone do not tell: ACLs, read-only mounts, quotas). The failure, or null when the
        /// folder takes files (or is not there yet: nothing to probe).
        /// </summary>
        public static Exception? CannotWriteTo(string folder)
        {
            if (!Directory.Exists(folder))
            {
                return null;
            }

            string probe = Path.Combine(folder, ".seedance-write-test-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            try
            {
                using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
                {
                }

                return null;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return e;
            }
        }

        /// <summary>
        /// Rule: a destination that cannot work is refused before anything upstream is created and paid for: a one-file
        /// -Path whose folder is missing, a folder that takes no files (<see cref="CannotWriteTo"/>), or a one-file -Path
        /// that already holds a file, unless the file starts like a video (MP4 or MOV): that may be this very task's
        /// video, saved by an earlier run (the journal says so) or placed just before a kill took the record with it, and
        /// it is judged against the service's video when the task arrives (<see cref="Plan"/>), as a file found in a
        /// folder is. A re-run of a one-file save must not fail on the file it saved. Null when the destination can work.
        /// </summary>
        public SeedanceException? RefusedBeforeAnyTask()
        {
            if (!IsFolder && !Directory.Exists(Folder))
            {
                return Problems.DestinationFolderNotFound(_given,
                    $"The folder '{Folder}' for '{FullPath}' does not exist. Create it first (New-Item -ItemType Directory), or give a folder as -Path.");
            }

            if (!IsFolder && FileExists(FullPath, _overwrite) is SeedanceException exists && !StartsLikeAVideo(FullPath))
            {
                return exists;
            }

            return CannotWriteTo(Folder) is Exception e ? Problems.DestinationNotWritable(_given, Folder, e) : null;
        }

        private static bool StartsLikeAVideo(string path)
        {
            try
            {
                Uploads.MediaFormat? format = Uploads.MediaSignature.DetectFile(path);
                return format == Uploads.MediaFormat.Mp4 || format == Uploads.MediaFormat.QuickTime;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return false;
            }
        }

        /// <summary>
        /// Rule: a file already at the name is kept unless -Force, decided here only: before anything is paid for (a
        /// -Path file, no <paramref name="taskId"/>), for a video whose file holds something else (<paramref name="notItsVideo"/>
        /// says why), and when one appeared during the download (neither). Null when the name is free or may be replaced.
        /// </summary>
        public static SeedanceException? FileExists(string path, bool overwrite, string? taskId = null, string? notItsVideo = null) =>
            overwrite || !File.Exists(path) ? null : FileExistsError(path, taskId, notItsVideo);

        /// <summary>The one FileExists error of a save (<see cref="FileExists"/>), also where the file is known to be there.</summary>
        private static SeedanceException FileExistsError(string path, string? taskId, string? notItsVideo) =>
            Problems.FileExists(path, taskId is null
                ? $"The file '{path}' already exists. Nothing was created or paid for; use -Force to overwrite it, or -Path to choose another place."
                : notItsVideo is null ? $"The file '{path}' appeared while downloading; it was kept. Use -Force to overwrite it."
                : $"The file '{path}' for task {taskId} already exists and is not its video ({notItsVideo}). Use -Force to overwrite it, or -Path to choose another place.");

        /// <summary>
        /// Rule: a video is already saved when the journal says this task was saved to exactly this file and the file is
        /// still there at that size (a re-run of a finished batch hands it on instead of downloading it again).
        /// </summary>
        public static bool AlreadySaved(JournalTaskSummary? known, string path)
        {
            if (known is null)
            {
                return false;
            }

            FileInfo file = new FileInfo(path);
            return file.Exists && known.SavedFiles.Any(saved => OwnedFiles.PathComparer.Equals(saved.Path, file.FullName) && saved.Bytes == file.Length);
        }

        /// <summary>Where video <paramref name="index"/> of <paramref name="task"/> goes, whether it is there already, or why it cannot be saved.</summary>
        /// <param name="journal">The task journal now (null: off or unreadable): what it saved, and which task owns a file.</param>
        public SaveOutcome Plan(SeedanceTask task, int index, JournalSnapshot? journal)
        {
            SaveOutcome Refused(SeedanceException refusal) => new SaveOutcome(task, index, null, SaveResult.Downloaded) { Failure = refusal };

            // The folder was not created (declined under -Confirm): every video is an error, nothing is downloaded.
            if (IsFolder && !WhatIf && !Directory.Exists(FullPath))
            {
                return Refused(Problems.DestinationFolderNotFound(_given, $"The folder '{FullPath}' does not exist. Create it first (New-Item -ItemType Directory)."));
            }

            string path;
            if (IsFolder)
            {
                // The row's Name names the file when the task has one (made safe: it is the user's text); otherwise the
                // id, which comes from the service: it names the file, never the place (no "..", separators, devices).
                // Rule: a file another task owns (the journal says which task was last saved to it) is never this task's
                // file, with or without -Force: this task gets a name of its own.
                try
                {
                    string stem = StemFor(task);
                    string suffix = (index == 0 ? string.Empty : "_" + (index + 1)) + ".mp4";
                    path = TaskFileName.PathInFolder(FullPath, stem, suffix);
                    if (AnotherOwner(journal, path, task.TaskId) is not null)
                    {
                        path = TaskFileName.PathInFolder(FullPath, TaskFileName.ForAnotherTask(stem, task.TaskId), suffix);
                    }
                }
                catch (SeedanceException e) when (e.Problem == SeedanceProblem.InvalidTaskId)
                {
                    return Refused(e);
                }
            }
            else if (Interlocked.Increment(ref _singleFileTaken) > 1)
            {
                return Refused(Problems.PathIsSingleFile(_given, task.TaskId));
            }
            else
            {
                // One file: with -Force too, a file the journal says holds another task's video is not replaced.
                // Without -Force, the one file the user named holding another task's video is kept, as FileExists: saving
                // this task under another name without a word would leave a script reading the old video there.
                string? owner = AnotherOwner(journal, FullPath, task.TaskId);
                if (owner is not null && FileExists(FullPath, _overwrite, task.TaskId, $"it holds the video of task {owner}") is SeedanceException taken)
                {
                    return Refused(taken);
                }

                path = owner is not null ? TaskFileName.NameForAnotherTask(FullPath, task.TaskId) : FullPath;
            }

            if (!_overwrite && AlreadySaved(journal?.FindTask(task.TaskId), path))
            {
                return new SaveOutcome(task, index, path, SaveResult.AlreadySaved, new FileInfo(path).Length);
            }

            // A file the journal does not record as this task's: perhaps its own video, placed just before a kill took the
            // record with it (see SaveFoundAsync); never replaced without -Force.
            return new SaveOutcome(task, index, path, !_overwrite && File.Exists(path) ? SaveResult.Found : SaveResult.Downloaded);
        }

        /// <summary>
        /// Every video of a succeeded task planned (<see cref="Plan(SeedanceTask, int, JournalSnapshot?)"/>), sharing one count:
        /// the task counts as saved once every one of its videos is (<see cref="SaveOutcome.TaskSaved"/>).
        /// </summary>
        public IReadOnlyList<SaveOutcome> Plan(SeedanceTask task, JournalSnapshot? journal)
        {
            StrongBox<int> left = new StrongBox<int>(task.Videos.Count);
            SaveOutcome[] planned = Enumerable.Range(0, task.Videos.Count).Select(index => Plan(task, index, journal)).ToArray();
            Array.ForEach(planned, video => video.Left = left);
            return planned;
        }

        /// <summary>
        /// One planned video saved, and what became of it: never throws but for cancellation (a refusal or a failure is the
        /// outcome's). A video already saved is handed on at once (nothing asked of the service); a file found at its name
        /// is checked (<see cref="SaveFoundAsync"/>); any other is downloaded. A video saved is on the review page (<see cref="Gallery"/>) before it is handed on, and stays saved
        /// when Ctrl+C comes during the page's update.
        /// </summary>
        /// <param name="warn">Where a review page that could not be written is said.</param>
        public async Task<SaveOutcome> SaveVideoAsync(SeedanceClient client, SaveOutcome planned, IProgress<DownloadProgress>? progress, Action<string> warn, CancellationToken cancellationToken)
        {
            Stopwatch clock = Stopwatch.StartNew();
            SaveOutcome saved;
            try
            {
                saved = planned.Failure is not null ? throw planned.Failure
                    : planned.Result == SaveResult.AlreadySaved ? planned
                    : planned.Result == SaveResult.Found ? await SaveFoundAsync(client, planned.Task, planned.Index, planned.Path!, cancellationToken).ConfigureAwait(false)
                    : await DownloadAsync(client, planned.Task, planned.Index, planned.Path!, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                return new SaveOutcome(planned.Task, planned.Index, e is SeedanceException ? null : planned.Path, planned.Result) { Failure = e };
            }

            saved.Took = clock.Elapsed;
            saved.TaskSaved = planned.Left is null || Interlocked.Decrement(ref planned.Left.Value) == 0;
            try
            {
                await (Gallery?.SavedAsync(saved.Task, saved.Index, saved.Path!, client.Downloader, warn, cancellationToken) ?? Task.CompletedTask).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return saved;
        }

        /// <summary>
        /// A file at the video's name that the journal does not record as saved from this task: the service is asked
        /// for the video's length, validator and first bytes (a ranged request, not a download), and the file is judged
        /// by <see cref="ExistingVideoFile.Judge"/>. The whole video is recorded as saved (the journal's place-and-record
        /// step, with nothing to move) and handed on; an incomplete copy or another file is an error, and is kept.
        /// </summary>
        /// <exception cref="SeedanceException">IncompleteVideoFile: The file is the start of the video, cut short.</exception>
        /// <exception cref="SeedanceException">FileExists: The file is not (provably) this video, or another task took the name meanwhile.</exception>
        private async Task<SaveOutcome> SaveFoundAsync(SeedanceClient client, SeedanceTask task, int index, string path, CancellationToken cancellationToken)
        {
            OwnedFiles.EnsureRegularFileOrAbsent(Path.GetFullPath(path));
            FileInfo file = new FileInfo(path);
            byte[] start = ExistingVideoFile.ReadStart(path);
            ServedObject served = await WithFreshUrlOnceAsync(
                client, task, index, url => client.Downloader.PeekAsync(url, "the video", ExistingVideoFile.StartLength, cancellationToken), cancellationToken).ConfigureAwait(false);
            switch (ExistingVideoFile.Judge(file.Length, file.LastWriteTimeUtc, start, served, out string? why))
            {
                case ExistingFileVerdict.WholeVideo:
                    string placed = _journal.PlaceSaved(
                        task.TaskId, path, file.Length, taken => throw FileExistsError(taken, task.TaskId, "another task's video was saved to it meanwhile"), _ => { }, out JournalException? notRecorded);
                    return new SaveOutcome(task, index, placed, SaveResult.Found, file.Length, notRecorded);
                case ExistingFileVerdict.Incomplete:
                    throw Problems.IncompleteVideoFile(path, task.TaskId, file.Length, served.Length!.Value);
                default:
                    throw FileExistsError(path, task.TaskId, why);
            }
        }

        /// <summary>
        /// Downloads video <paramref name="index"/> into place (a .partial file renamed when complete); returns the bytes.
        /// An expired URL is refreshed once (<see cref="WithFreshUrlOnceAsync"/>).
        /// </summary>
        /// <remarks>
        /// The rename into place and the journal's saved record are one step under the journal lock (TaskJournal.PlaceSaved):
        /// when another process saved another task to <paramref name="path"/> meanwhile, this video gets a name of its own
        /// (<see cref="SaveOutcome.Path"/> says which).
        /// </remarks>
        /// <exception cref="SeedanceException">FileExists: A file appeared at the name during the download: it was kept.</exception>
        private async Task<SaveOutcome> DownloadAsync(SeedanceClient client, SeedanceTask task, int index, string path, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
        {
            JournalException? notRecorded = null;
            string Place(string temporaryPath, ServedObject served) => _journal.PlaceSaved(
                task.TaskId, path, served.Length!.Value, taken => TaskFileName.NameForAnotherTask(taken, task.TaskId), target => MoveIntoPlace(temporaryPath, target, served), out notRecorded);

            try
            {
                (long bytes, string saved) = await WithFreshUrlOnceAsync(
                    client, task, index, url => client.Downloader.DownloadAsync(url, "the video", path, Place, progress, cancellationToken), cancellationToken).ConfigureAwait(false);
                return new SaveOutcome(task, index, saved, SaveResult.Downloaded, bytes, notRecorded);
            }
            catch (IOException e) when (!(e is FileNotFoundException) && FileExists(path, _overwrite, task.TaskId) is SeedanceException appeared)
            {
                throw appeared;
            }
        }

        /// <summary>
        /// Rule: output URLs can expire or be re-signed: on a 404/403 the task is read once more (its new state
        /// journaled) and its fresh URL tried once. Also when the URL comes back unchanged: the 404/403 may have been
        /// passing (storage or CDN), and a file that is really gone costs one more request before the same error.
        /// </summary>
        private async Task<T> WithFreshUrlOnceAsync<T>(SeedanceClient client, SeedanceTask task, int index, Func<Uri, Task<T>> fetch, CancellationToken cancellationToken)
        {
            try
            {
                return await fetch(new Uri(task.Videos[index].Url)).ConfigureAwait(false);
            }
            catch (SeedanceApiException e) when (e.ErrorId is "VideoNotFound" or "VideoUrlForbidden")
            {
                SeedanceTask fresh = await client.GetTaskAsync(task.TaskId, cancellationToken).ConfigureAwait(false);
                RecordStatus(fresh);
                if (fresh.Videos.Count <= index)
                {
                    throw;
                }

                return await fetch(new Uri(fresh.Videos[index].Url)).ConfigureAwait(false);
            }
        }

        /// <summary>
        /// The rename into place, then the file's time set to the video's Last-Modified (as wget does): the validator a
        /// later run compares when it finds the file without its journal record. Best effort: a file whose time cannot be
        /// set is still saved (it is only not recognised later without the record).
        /// </summary>
        private void MoveIntoPlace(string temporaryPath, string target, ServedObject served)
        {
            VideoDownloader.MoveIntoPlace(temporaryPath, target, _overwrite);
            if (served.LastModified is DateTimeOffset modified)
            {
                try
                {
                    File.SetLastWriteTimeUtc(target, modified.UtcDateTime);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException)
                {
                }
            }
        }

        /// <summary>The task whose video the journal says the file holds (the newest save to it), when it is another task; else null.</summary>
        private static string? AnotherOwner(JournalSnapshot? journal, string path, string taskId) =>
            journal?.OwnerOfSavedFile(path) is string owner && owner != taskId ? owner : null;

        /// <summary>
        /// The file name stem of a task's videos in the folder (<see cref="TaskFileName.StemOf"/>). Two tasks of
        /// one Name in one command (the journal off, or a Name that differs only in case) must not share a file, so the
        /// second gets "&lt;Name&gt;_&lt;taskId&gt;": each paid video keeps a file of its own, and the names still sort together.
        /// </summary>
        private string StemFor(SeedanceTask task)
        {
            string? stem = TaskFileName.Stem(task.Name);
            if (stem is null)
            {
                return task.TaskId;
            }

            lock (_stemOwners)
            {
                if (!_stemOwners.TryGetValue(stem, out string? owner))
                {
                    _stemOwners[stem] = task.TaskId;
                    return stem;
                }

                return owner == task.TaskId ? stem : TaskFileName.ForAnotherTask(stem, task.TaskId);
            }
        }

        private void RecordStatus(SeedanceTask fresh)
        {
            try
            {
                _journal.RecordStatus(fresh);
            }
            catch (JournalException)
            {
                // Only a newer state of a task the journal has; the save goes on, and the command says a journal it
                // cannot write when it records the saved file.
            }
        }
    }

    /// <summary>
    /// One video's save: as <see cref="SaveWorkflow.Plan(SeedanceTask, int, JournalSnapshot?)"/> planned it (the file, already
    /// saved, a file found there to check, or the refusal), then what became of it (<see cref="SaveWorkflow.SaveVideoAsync"/>):
    /// saved (where: the planned file, or a name of its own when another task took that one; its size; how), or the failure
    /// that left it unsaved.
    /// </summary>
    public sealed class SaveOutcome
    {
        internal SaveOutcome(SeedanceTask task, int index, string? path, SaveResult result, long bytes = 0, JournalException? notRecorded = null)
        {
            Task = task;
            Index = index;
            Path = path;
            Result = result;
            Bytes = bytes;
            NotRecorded = notRecorded;
        }

        public SeedanceTask Task { get; }

        public int Index { get; }

        /// <summary>
        /// How it came to be saved: downloaded now, already saved (the journal's record), or found whole and recorded now.
        /// Planned: to download, nothing to do, or a file found at the name to check against the service first.
        /// </summary>
        public SaveResult Result { get; }

        /// <summary>The file saved; for a failure, the file a local file error is about (null: the task is what failed).</summary>
        public string? Path { get; }

        public long Bytes { get; }

        /// <summary>How long the save took (zero for a file handed on as it was).</summary>
        public TimeSpan Took { get; internal set; }

        /// <summary>Why the task journal has no record of this save (it could not be written), or null when it has one or is off.</summary>
        public JournalException? NotRecorded { get; }

        /// <summary>The refusal or failure of a video not saved (nothing was written under its name); null when it is saved.</summary>
        public Exception? Failure { get; internal set; }

        /// <summary>This was the last of its task's videos to be saved: the task counts as saved now.</summary>
        public bool TaskSaved { get; internal set; }

        /// <summary>Written at once, with no question asked: a refusal, or a file already saved. Otherwise the service is asked (ShouldProcess first).</summary>
        public bool IsSettled => Failure is not null || Result == SaveResult.AlreadySaved;

        /// <summary>How many of the task's videos are not saved yet, shared by its planned videos.</summary>
        internal StrongBox<int>? Left { get; set; }

        /// <summary>What -Verbose says of it.</summary>
        public string Describe()
        {
            string taskId = Task.TaskId;
            if (Result == SaveResult.AlreadySaved)
            {
                return $"'{Path}' is already saved from task {taskId} (task journal); not downloaded again.";
            }

            if (Result == SaveResult.Found)
            {
                return $"'{Path}' was already there without a journal record, and is the whole video of task {taskId} ({Bytes:N0} bytes, its start and time as the service serves it): recorded as saved, not downloaded again.";
            }

            double seconds = Math.Max(Took.TotalSeconds, 0.001);
            return string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "Saved {0} to '{1}': {2:N0} bytes in {3:0.0} s ({4:0.0} MiB/s).", taskId, Path, Bytes, seconds, Bytes / 1048576.0 / seconds);
        }
    }

    /// <summary>How a video came to be saved (the SaveResult of Save-SeedanceVideo's output).</summary>
    public enum SaveResult
    {
        Downloaded,

        /// <summary>The journal saved this task to this file, still at its size: handed on as it is.</summary>
        AlreadySaved,

        /// <summary>The whole video was at its name without a journal record (checked against the service), and is recorded now.</summary>
        Found,
    }
}
