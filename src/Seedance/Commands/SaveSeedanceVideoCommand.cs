using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client;
using Seedance.Client.Gallery;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Workflows;
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
        private readonly TaskNotFoundMessages _notFound = new TaskNotFoundMessages();

        private const string ByObjectSet = "InputObject";
        private const string ByIdSet = "TaskId";
        private const string DownloadedResult = "Downloaded";
        private const string AlreadySavedResult = "AlreadySaved";
        private const string FoundResult = "Found";
        private static readonly TimeSpan ProgressRefresh = TimeSpan.FromMilliseconds(250);

        private readonly DownloadBatch _batch = new DownloadBatch();
        private SaveDestination? _destination;
        private SaveWorkflow? _workflow;
        private SemaphoreSlim? _throttle;
        private GalleryExport? _gallery;
        private PaidTasks? _galleryBatch;

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

        /// <summary>Write the review page (index.html, as Export-SeedanceGallery does) in the folder, updated as each task comes and each file is saved.</summary>
        [Parameter]
        public SwitchParameter Gallery { get; set; }

        private protected override JournalUse JournalUse => JournalUse.Optional;

        protected override void BeginProcessing()
        {
            // Resolved and, for a folder, created here, on the pipeline thread and before any upstream command has
            // processed a row: a destination that cannot work fails before a single task is paid for.
            _destination = SaveDestination.Resolve(this, Path, Force.IsPresent);
            _throttle = new SemaphoreSlim(ThrottleLimit);
            if (Gallery.IsPresent)
            {
                OpenGallery();
            }

            base.BeginProcessing();
            if (_destination.IsFolder)
            {
                AnnounceSaveFolder(_destination.FullPath);
            }

            _workflow = _destination.Workflow(Journal.Journal);
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

            if (_gallery is not null)
            {
                WriteGallery(pipeline);
            }
        }

        /// <summary>
        /// An error that ends the command (e.g. a failed download with -ErrorAction Stop) leaves the bars drawn so far
        /// on screen, and closing records still queued are never written: close them all.
        /// </summary>
        protected override void OnEndedEarly(bool stopped, ErrorRecord? cause)
        {
            if (!stopped)
            {
                CloseProgress(_batch.CompleteAll());
            }

            base.OnEndedEarly(stopped, cause);
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
                // One line per unknown id, the base-URI advice once, and "did you mean -Name fox?" for a journal Name.
                pipeline.WriteError(_notFound.Shorten(SeedanceErrors.ForTask(ErrorFrom(e, id), id), id, TaskNotFoundMessages.IsJournalName(Journal.Snapshot(pipeline), id)));
                return null;
            }
        }

        /// <summary>
        /// Checks one task and asks (ShouldProcess) for each of its files here, in the block; the downloads then run
        /// in the background while input keeps coming, and the task counts as saved once all its files are.
        /// </summary>
        private async Task StartSavingAsync(AsyncPipeline pipeline, SeedanceClient client, SeedanceTask task)
        {
            PaidTasks? ledger = JoinPaidTasksOf(task);
            ledger?.SaveReached();
            if (ledger is not null && _destination!.IsFolder)
            {
                // So the warning of an early end can give a command that finishes the batch into this very folder.
                ledger.SaveFolder ??= _destination.FullPath;
            }

            if (_gallery is not null)
            {
                // On the page at once (a failure with its words, a success as not saved yet), then filled in as files land.
                _galleryBatch ??= ledger;
                _gallery.Add(task, null);
                WriteGallery(pipeline);
            }

            if (task.Status != SeedanceTaskStatus.Success || task.Videos.Count == 0)
            {
                pipeline.WriteError(SeedanceErrors.TaskNotSucceeded(task));
                return;
            }

            FilesOfTask files = new FilesOfTask(task.Videos.Count, () => ledger?.MarkSaved(task.TaskId));
            JournalSnapshot? journal = Journal.Snapshot(pipeline);
            for (int index = 0; index < task.Videos.Count; index++)
            {
                if (_destination!.FolderMissing() is ErrorRecord missing)
                {
                    pipeline.WriteError(missing);
                    continue;
                }

                SaveTarget target = _workflow!.Plan(task, index, journal);
                if (target.Refusal is not null)
                {
                    pipeline.WriteError(ErrorFrom(target.Refusal, task));
                    continue;
                }

                string path = target.Path!;
                if (target.AlreadySaved)
                {
                    // A re-run of a finished batch: this very file was saved from this task (the journal says where, and
                    // its size still matches), so it is handed on as it is, not downloaded again and not an error.
                    pipeline.WriteVerbose($"'{path}' is already saved from task {task.TaskId} (task journal); not downloaded again.");
                    await ShowOnGalleryAsync(pipeline, client, task, index, path, CancellationToken.None).ConfigureAwait(false);
                    pipeline.Invoke(() => WriteSavedFile(path, task, AlreadySavedResult));
                    files.OneSaved();
                    continue;
                }

                if (!await pipeline.ShouldProcessAsync(path, $"Save video of Seedance task {task.TaskId}").ConfigureAwait(false))
                {
                    continue;
                }

                int videoIndex = index;
                DownloadBatch.Transfer transfer = _batch.Queue($"Saving {task.TaskId}");
                _ = Background.Start(token => SaveVideoAsync(client, task, videoIndex, target, files, transfer, token));
            }
        }

        private async Task SaveVideoAsync(SeedanceClient client, SeedanceTask task, int index, SaveTarget target, FilesOfTask files, DownloadBatch.Transfer transfer, CancellationToken cancellationToken)
        {
            string path = target.Path!;
            await _throttle!.WaitAsync(cancellationToken).ConfigureAwait(false);
            transfer.Started();
            try
            {
                System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
                SavedVideo saved = await _workflow!.SaveAsync(client, task, index, target, transfer, cancellationToken).ConfigureAwait(false);
                long bytes = saved.Bytes;
                path = saved.Path; // another process may have taken the planned name meanwhile: the journal recorded this one
                Journal.NotRecorded(saved.NotRecorded, Background);
                double seconds = Math.Max(clock.Elapsed.TotalSeconds, 0.001);
                Background.WriteVerbose(saved.Found
                    ? $"'{path}' was already there without a journal record, and is the whole video of task {task.TaskId} ({bytes:N0} bytes, its start and time as the service serves it): recorded as saved, not downloaded again."
                    : string.Format(System.Globalization.CultureInfo.InvariantCulture,
                        "Saved {0} to '{1}': {2:N0} bytes in {3:0.0} s ({4:0.0} MiB/s).", task.TaskId, path, bytes, seconds, bytes / 1048576.0 / seconds));
                try
                {
                    // On the page before the file goes down the pipeline: whoever gets the file finds its card there.
                    await ShowOnGalleryAsync(Background, client, task, index, path, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    // Saved is saved, also when Ctrl+C came during the page's update.
                    Background.Invoke(() => WriteSavedFile(path, task, saved.Found ? FoundResult : DownloadedResult));
                    files.OneSaved();
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                ErrorRecord error = SeedanceErrors.ForTask(ErrorFrom(e, e is SeedanceException ? (object)task : path), task.TaskId);
                Background.WriteError(error);
            }
            finally
            {
                _throttle.Release();
                Background.WriteProgress(_batch.End(transfer));
            }
        }

        /// <summary>The review page of -Gallery in the destination's folder, with the rows it already has; -WhatIf writes none.</summary>
        private void OpenGallery()
        {
            string folder = _destination!.IsFolder ? _destination.FullPath : System.IO.Path.GetDirectoryName(_destination.FullPath)!;
            try
            {
                GalleryExport gallery = GalleryExport.Open(folder, null, Configuration.PriceTable.UsdPerCredit);
                _gallery = ShouldProcess(gallery.PagePath, "Write the review page as videos are saved") ? gallery : null;
            }
            catch (GalleryDataException e)
            {
                // Before any upstream command has processed a row: the page's remembered rows are not written over.
                ThrowTerminatingError(SeedanceErrors.Record(e, "GalleryDataUnreadable", ErrorCategory.InvalidData, e.Path));
            }
        }

        /// <summary>A saved file's card (the first video of a task; its poster fetched beside it), then the page written again.</summary>
        private async Task ShowOnGalleryAsync(IPipelineOutput output, SeedanceClient client, SeedanceTask task, int index, string path, CancellationToken cancellationToken)
        {
            if (_gallery is null || index != 0)
            {
                return;
            }

            await _gallery.AddWithPosterAsync(task, path, client.Downloader, output.WriteWarning, cancellationToken).ConfigureAwait(false);
            WriteGallery(output);
        }

        /// <summary>
        /// Writes the page, with every task of this pipeline's batch the ledger knows: rows that never reach this command
        /// (failed tasks are errors upstream, rows still running, rows filtered out) are on it too. A page that cannot be
        /// written is a warning: the videos matter more, and they keep coming.
        /// </summary>
        private void WriteGallery(IPipelineOutput output)
        {
            try
            {
                foreach (SeedanceTask known in _galleryBatch?.Tasks() ?? Array.Empty<SeedanceTask>())
                {
                    _gallery!.Add(known, null);
                }

                _gallery!.Write(DateTimeOffset.Now);
            }
            catch (Exception e) when (!(e is OutOfMemoryException))
            {
                output.WriteWarning($"The review page '{_gallery!.PagePath}' could not be written: {e.Message}");
            }
        }

        /// <summary>
        /// The saved file as the provider shows it (PSPath and co., like Get-Item), tied back to its task, with how it came
        /// to be saved (SaveResult): Downloaded, AlreadySaved (the journal's record) or Found (whole, without a record; recorded now).
        /// </summary>
        private void WriteSavedFile(string path, SeedanceTask task, string result)
        {
            foreach (PSObject item in SessionState.InvokeProvider.Item.Get(new[] { path }, true, true))
            {
                item.Properties.Add(new PSNoteProperty("TaskId", task.TaskId));

                // The task's Name (a CSV row's key); FileInfo has a Name of its own, the file name.
                item.Properties.Add(new PSNoteProperty("TaskName", task.Name));
                item.Properties.Add(new PSNoteProperty("Prompt", task.Prompt));
                item.Properties.Add(new PSNoteProperty("SaveResult", result));
                WriteObject(item);
            }
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
    }
}
