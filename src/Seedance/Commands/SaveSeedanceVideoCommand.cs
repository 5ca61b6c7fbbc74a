using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// Save-SeedanceVideo: downloads the videos of finished tasks, several at once, each renamed into place only when complete.
    /// User help (synopsis, parameters, examples): docs/en-US/Save-SeedanceVideo.md, the one source of that text.
    /// </summary>
    [Cmdlet(VerbsData.Save, "SeedanceVideo", SupportsShouldProcess = true, DefaultParameterSetName = ByObjectSet, HelpUri = HelpLinks.Docs + "Save-SeedanceVideo.md")]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveSeedanceVideoCommand : SeedanceApiCmdlet
    {
        private const string ByObjectSet = "InputObject";
        private const string ByIdSet = "TaskId";
        private static readonly TimeSpan ProgressRefresh = TimeSpan.FromMilliseconds(250);

        private readonly DownloadBatch _batch = new DownloadBatch();
        private SaveDestination? _destination;
        private SemaphoreSlim? _throttle;

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByObjectSet)]
        public SeedanceTask[] InputObject { get; set; } = Array.Empty<SeedanceTask>();

        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(TaskIdCompleter))]
        public string[] TaskId { get; set; } = Array.Empty<string>();

        /// <summary>
        /// A folder (the file is &lt;Name&gt;.mp4 in it for a task with a row Name, else &lt;taskId&gt;.mp4): an existing folder, a path ending with a separator, or a
        /// path without a file extension, created when missing. A path with an extension names one file, for one
        /// task. Default: the current location. Taken literally (no wildcards).
        /// </summary>
        [Parameter(Position = 0)]
        [Alias("Destination", "LiteralPath", "PSPath", "LP")]
        public string? Path { get; set; }

        /// <summary>Overwrite an existing file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>How many files download at once.</summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int ThrottleLimit { get; set; } = 4;

        private protected override JournalUse JournalUse => JournalUse.Optional;

        protected override void BeginProcessing()
        {
            // Resolved and, for a folder, created here, on the pipeline thread and before any upstream command has
            // processed a row: a destination that cannot work fails before a single task is paid for.
            _destination = SaveDestination.Resolve(this, Path, Force.IsPresent);
            _throttle = new SemaphoreSlim(ThrottleLimit);
            base.BeginProcessing();
        }

        protected override async Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            SeedanceClient client = RequireClient(pipeline);
            DrawProgress(pipeline);
            SeedanceTask[] tasks = ParameterSetName == ByIdSet
                ? await LookUpAsync(pipeline, client, cancellationToken).ConfigureAwait(false)
                : InputObject;
            foreach (SeedanceTask task in tasks)
            {
                if (task is not null)
                {
                    await StartSavingAsync(pipeline, client, task).ConfigureAwait(false);
                }
            }

            DrawProgress(pipeline);
        }

        protected override async Task EndProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            DrawProgress(pipeline);
            while (!await Background.WhenIdleAsync(ProgressRefresh, cancellationToken).ConfigureAwait(false))
            {
                DrawProgress(pipeline);
            }

            foreach (ProgressRecord record in _batch.CompleteAll())
            {
                pipeline.WriteProgress(record);
            }
        }

        /// <summary>
        /// An error that ends the command (e.g. a failed download with -ErrorAction Stop) leaves the bars drawn so far
        /// on screen, and closing records still queued are never written: close them all.
        /// </summary>
        protected override void OnFailed(Exception error, ErrorRecord? cause)
        {
            foreach (ProgressRecord record in _batch.CompleteAll())
            {
                WriteProgress(record);
            }

            base.OnFailed(error, cause);
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                _throttle?.Dispose();
            }
        }

        private void DrawProgress(IPipelineOutput output)
        {
            foreach (ProgressRecord record in _batch.Progress())
            {
                output.WriteProgress(record);
            }
        }

        /// <summary>The tasks of -TaskId, looked up all at once; an id that cannot be read is an error for that id.</summary>
        private async Task<SeedanceTask[]> LookUpAsync(AsyncPipeline pipeline, SeedanceClient client, CancellationToken cancellationToken)
        {
            List<Task<SeedanceTask?>> lookups = new List<Task<SeedanceTask?>>();
            foreach (string id in TaskId)
            {
                if (string.IsNullOrWhiteSpace(id))
                {
                    pipeline.WriteError(SeedanceErrors.EmptyTaskId(id));
                    continue;
                }

                string trimmed = id.Trim();
                lookups.Add(LookUpOneAsync(pipeline, client, trimmed, cancellationToken));
            }

            SeedanceTask?[] found = await Task.WhenAll(lookups).ConfigureAwait(false);
            return found.Where(task => task is not null).Select(task => task!).ToArray();
        }

        private async Task<SeedanceTask?> LookUpOneAsync(AsyncPipeline pipeline, SeedanceClient client, string id, CancellationToken cancellationToken)
        {
            try
            {
                SeedanceTask task = await client.GetTaskAsync(id, cancellationToken).ConfigureAwait(false);
                Journal.Status(task, pipeline);
                CommandJournal.CarryOver(task, Journal.Find(id, pipeline)); // its Name names the file
                return task;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                pipeline.WriteError(SeedanceErrors.ForTask(ErrorFrom(e, id), id));
                return null;
            }
        }

        /// <summary>
        /// Checks one task and asks (ShouldProcess) for each of its files here, in the block; the downloads then run
        /// in the background while input keeps coming, and the task counts as saved once all its files are.
        /// </summary>
        private async Task StartSavingAsync(AsyncPipeline pipeline, SeedanceClient client, SeedanceTask task)
        {
            BatchLedger? ledger = JoinLedgerOf(task);
            if (ledger is not null && _destination!.IsFolder)
            {
                // So the warning of an early end can give a command that finishes the batch into this very folder.
                ledger.SaveFolder ??= _destination.FullPath;
            }

            if (task.Status != SeedanceTaskStatus.Success || task.Videos.Count == 0)
            {
                pipeline.WriteError(SeedanceErrors.TaskNotSucceeded(task));
                return;
            }

            FilesOfTask files = new FilesOfTask(task.Videos.Count, () => ledger?.MarkSaved(task.TaskId));
            JournalSnapshot? journal = Journal.Snapshot(pipeline);
            JournalTaskSummary? known = journal?.FindTask(task.TaskId);
            for (int index = 0; index < task.Videos.Count; index++)
            {
                string? path = _destination!.FileFor(task, index, file => journal?.OwnerOfSavedFile(file), out ErrorRecord? refused);
                if (path is null)
                {
                    pipeline.WriteError(refused!);
                    continue;
                }

                if (!Force.IsPresent && IsAlreadySaved(known, path))
                {
                    // A re-run of a finished batch: this very file was saved from this task (the journal says where, and
                    // its size still matches), so it is handed on as it is, not downloaded again and not an error.
                    pipeline.WriteVerbose($"'{path}' is already saved from task {task.TaskId} (task journal); not downloaded again.");
                    pipeline.Invoke(() => WriteSavedFile(path, task));
                    files.OneSaved();
                    continue;
                }

                if (File.Exists(path) && !Force.IsPresent)
                {
                    pipeline.WriteError(SeedanceErrors.Create("FileExists", ErrorCategory.ResourceExists, path,
                        $"The file '{path}' for task {task.TaskId} already exists. Use -Force to overwrite it, or -Path to choose another place."));
                    continue;
                }

                if (!await pipeline.ShouldProcessAsync(path, $"Save video of Seedance task {task.TaskId}").ConfigureAwait(false))
                {
                    continue;
                }

                int videoIndex = index;
                DownloadBatch.Transfer transfer = _batch.Queue($"Saving {task.TaskId}");
                _ = Background.Start(token => SaveVideoAsync(client, task, videoIndex, path, files, transfer, token));
            }
        }

        private async Task SaveVideoAsync(SeedanceClient client, SeedanceTask task, int index, string path, FilesOfTask files, DownloadBatch.Transfer transfer, CancellationToken cancellationToken)
        {
            await _throttle!.WaitAsync(cancellationToken).ConfigureAwait(false);
            transfer.Started();
            try
            {
                System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
                long bytes = await DownloadAsync(client, task, index, path, transfer, cancellationToken).ConfigureAwait(false);
                Journal.Saved(task.TaskId, path, bytes, Background);
                double seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
                Background.WriteVerbose(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                    "Saved {0} to '{1}': {2:N0} bytes in {3:0.0} s ({4:0.0} MiB/s).", task.TaskId, path, bytes, seconds, bytes / 1048576.0 / seconds));
                Background.Invoke(() => WriteSavedFile(path, task));
                files.OneSaved();
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                ErrorRecord error = SeedanceErrors.ForTask(ErrorForFailedTransfer(e, task, path), task.TaskId);
                Journal.Failure(task.TaskId, error, e, Background);

                Background.WriteError(error);
            }
            finally
            {
                _throttle.Release();
                Background.WriteProgress(_batch.End(transfer));
            }
        }

        private async Task<long> DownloadAsync(SeedanceClient client, SeedanceTask task, int index, string destination, IProgress<DownloadProgress> progress, CancellationToken cancellationToken)
        {
            try
            {
                return await client.Downloader.DownloadAsync(new Uri(task.Videos[index].Url), destination, Force.IsPresent, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (SeedanceApiException e) when (e.Kind == SeedanceErrorKind.NotFound || e.Kind == SeedanceErrorKind.Forbidden)
            {
                // Output URLs can expire or be re-signed: ask the API once for a fresh one and try once more. Also
                // when the URL comes back unchanged: the 404/403 may have been passing (storage or CDN), and a file
                // that is really gone costs one more request before the same error is reported.
                Background.WriteVerbose($"The video URL of {task.TaskId} answered {(int)e.StatusCode}; fetching the task again for a fresh URL.");
                SeedanceTask fresh = await client.GetTaskAsync(task.TaskId, cancellationToken).ConfigureAwait(false);
                Journal.Status(fresh, Background);
                if (fresh.Videos.Count <= index)
                {
                    throw;
                }

                return await client.Downloader.DownloadAsync(new Uri(fresh.Videos[index].Url), destination, Force.IsPresent, progress, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>The saved file as the provider shows it (PSPath and co., like Get-Item), tied back to its task.</summary>
        private void WriteSavedFile(string path, SeedanceTask task)
        {
            foreach (PSObject item in SessionState.InvokeProvider.Item.Get(new[] { path }, true, true))
            {
                item.Properties.Add(new PSNoteProperty("TaskId", task.TaskId));

                // The task's Name (a CSV row's key); FileInfo has a Name of its own, the file name.
                item.Properties.Add(new PSNoteProperty("TaskName", task.Name));
                item.Properties.Add(new PSNoteProperty("Prompt", task.Prompt));
                WriteObject(item);
            }
        }

        /// <summary>Whether the journal says this task was saved to exactly this file, and the file is still there at that size.</summary>
        private static bool IsAlreadySaved(JournalTaskSummary? known, string path)
        {
            if (known is null)
            {
                return false;
            }

            FileInfo file = new FileInfo(path);
            StringComparison comparison = Environment.OSVersion.Platform == PlatformID.Win32NT ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
            return file.Exists && known.SavedFiles.Any(saved => string.Equals(saved.Path, file.FullName, comparison) && saved.Bytes == file.Length);
        }

        /// <summary>Counts the files of one task; when the last one is saved, the task is saved.</summary>
        private sealed class FilesOfTask
        {
            private readonly Action _allSaved;
            private int _left;

            public FilesOfTask(int count, Action allSaved)
            {
                _left = count;
                _allSaved = allSaved;
            }

            public void OneSaved()
            {
                if (Interlocked.Decrement(ref _left) == 0)
                {
                    _allSaved();
                }
            }
        }

        private ErrorRecord ErrorForFailedTransfer(Exception error, SeedanceTask task, string path)
        {
            if (error is IOException && !(error is FileNotFoundException) && !Force.IsPresent && File.Exists(path))
            {
                return SeedanceErrors.Create("FileExists", ErrorCategory.ResourceExists, path,
                    $"The file '{path}' appeared while downloading; it was kept. Use -Force to overwrite it.");
            }

            return ErrorFrom(error, error is SeedanceException ? (object)task : path);
        }
    }
}
