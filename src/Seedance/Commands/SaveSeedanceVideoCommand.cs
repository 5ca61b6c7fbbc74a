using System;
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
    /// The decisions (which file, already saved, a file found there, an expired URL, the move into place) are
    /// <see cref="SaveWorkflow"/>'s; this binds -Path, asks ShouldProcess and writes the outcomes.
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
        private SaveWorkflow? _workflow;
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

        /// <summary>Write the review page (index.html, as Export-SeedanceGallery does) in the folder, updated as each task comes and each file is saved.</summary>
        [Parameter]
        public SwitchParameter Gallery { get; set; }

        private protected override JournalUse JournalUse => JournalUse.Optional;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();

            // Settled (a folder created) on the pipeline thread before any upstream command has processed a row: a
            // destination that cannot work fails before a single task is paid for.
            string given = string.IsNullOrEmpty(Path) ? "." : Path!;
            _workflow = new SaveWorkflow(FileSystemPaths.ResolveDestination(this, given, "videos"), given, Force.IsPresent, Journal);
            _workflow.WhatIf = _workflow.IsFolder && !CreateFolder(_workflow.FullPath, given);
            if (_workflow.RefusedBeforeAnyTask() is SeedanceException refused)
            {
                ThrowTerminatingError(SeedanceErrors.FromException(refused, given));
            }

            _throttle = new SemaphoreSlim(ThrottleLimit);
            if (Gallery.IsPresent)
            {
                // Null under -WhatIf: then the page is not written.
                GalleryExport gallery = FileSystemPaths.OpenGallery(this, _workflow.Folder, null, Configuration.PriceTable.UsdPerCredit);
                _workflow.Gallery = ShouldProcess(gallery.PagePath, "Write the review page as videos are saved") ? gallery : null;
            }

            AnnounceSaveFolder(_workflow.Folder);
        }

        protected override async Task ProcessRecordAsync(PipelineOutput pipeline, CancellationToken cancellationToken)
        {
            SeedanceClient client = RequireClient(pipeline);
            DrawProgress(pipeline);
            SeedanceTask?[] tasks = ParameterSetName == ByObjectSet ? InputObject
                : await Task.WhenAll(TaskIds(pipeline, TaskId).Select(given =>
                    ReadTaskAsync(client, given.Id, given.Known, given.IsJournalName, pipeline, cancellationToken))).ConfigureAwait(false);
            foreach (SeedanceTask? task in tasks)
            {
                if (task is not null)
                {
                    await StartSavingAsync(pipeline, client, task).ConfigureAwait(false);
                }
            }

            DrawProgress(pipeline);
        }

        protected override async Task EndProcessingAsync(PipelineOutput pipeline, CancellationToken cancellationToken)
        {
            DrawProgress(pipeline);
            while (!await Background.WhenIdleAsync(ProgressRefresh, cancellationToken).ConfigureAwait(false))
            {
                DrawProgress(pipeline);
            }

            _workflow!.Gallery?.Write(pipeline.WriteWarning);
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                _throttle?.Dispose();
            }
        }

        /// <summary>Creates the folder -Path names (ShouldProcess); false when -WhatIf only said it would (then nothing is downloaded either).</summary>
        private bool CreateFolder(string full, string given)
        {
            const string Action = "Create folder for Seedance videos";
            if (Directory.Exists(full))
            {
                return true;
            }

            if (!ShouldProcess($"Performing the operation \"{Action}\" on target \"{full}\".", $"Create the folder '{full}'?", Action, out ShouldProcessReason reason))
            {
                return reason != ShouldProcessReason.WhatIf || Directory.Exists(full);
            }

            try
            {
                Directory.CreateDirectory(full);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is NotSupportedException)
            {
                ThrowTerminatingError(SeedanceErrors.Record(e, "DestinationFolderNotCreated", given,
                    $"The folder '{full}' for the videos could not be created: {e.Message} Nothing was created or paid for; choose a folder you can write to (-Path)."));
            }

            return true;
        }

        private void DrawProgress(PipelineOutput output) => Array.ForEach(_batch.Progress().ToArray(), output.WriteProgress);

        /// <summary>
        /// Plans each video of one task and asks (ShouldProcess) for each file here, in the block; the downloads then run
        /// in the background while input keeps coming. A refusal or a file already saved is written at once.
        /// </summary>
        private async Task StartSavingAsync(PipelineOutput pipeline, SeedanceClient client, SeedanceTask task)
        {
            PaidTasks? ledger = JoinPaidTasksOf(task);
            ledger?.SaveReached(_workflow!.Folder);

            _workflow!.Gallery?.Arrived(task, ledger is null ? null : ledger.Tasks, pipeline.WriteWarning);
            if (task.Status != SeedanceTaskStatus.Success || task.Videos.Count == 0)
            {
                pipeline.WriteError(SeedanceErrors.TaskNotSucceeded(task));
                return;
            }

            foreach (SaveOutcome target in _workflow!.Plan(task, ReadJournal(pipeline.WriteWarning)))
            {
                if (target.IsSettled)
                {
                    // A refusal, or a re-run of a finished batch: a video already saved is handed on as it is, not downloaded again.
                    Write(pipeline, ledger, await _workflow.SaveVideoAsync(client, target, null, pipeline.WriteWarning, CancellationToken.None).ConfigureAwait(false));
                }
                else if (await pipeline.ShouldProcessAsync(target.Path!, $"Save video of Seedance task {task.TaskId}").ConfigureAwait(false))
                {
                    DownloadBatch.Transfer transfer = _batch.Queue($"Saving {task.TaskId}");
                    _ = Background.Start(token => SaveInBackgroundAsync(client, target, ledger, transfer, token));
                }
            }
        }

        private async Task SaveInBackgroundAsync(SeedanceClient client, SaveOutcome target, PaidTasks? ledger, DownloadBatch.Transfer transfer, CancellationToken cancellationToken)
        {
            await _throttle!.WaitAsync(cancellationToken).ConfigureAwait(false);
            transfer.Started();
            try
            {
                Write(Background, ledger, await _workflow!.SaveVideoAsync(client, target, transfer, Background.WriteWarning, cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                _throttle.Release();
                _batch.End(Background, transfer);
            }
        }

        /// <summary>
        /// A video's outcome written: an error, or the saved file said (-Verbose) and handed down the pipeline as the provider
        /// shows it (PSPath and co., like Get-Item), tied back to its task (TaskName: the row's Name; FileInfo has a Name of its own) and how.
        /// </summary>
        private void Write(PipelineOutput output, PaidTasks? ledger, SaveOutcome outcome)
        {
            SeedanceTask task = outcome.Task;
            if (outcome.Failure is Exception failure)
            {
                output.WriteError(SeedanceErrors.ForTask(ErrorFrom(failure, outcome.Path ?? (object)task), task.TaskId));
                return;
            }

            JournalFailed(outcome.NotRecorded, output.WriteWarning);
            output.WriteVerbose(outcome.Describe());
            output.Invoke(() =>
            {
                foreach (PSObject item in SessionState.InvokeProvider.Item.Get(new[] { outcome.Path! }, true, true))
                {
                    item.Properties.Add(new PSNoteProperty("TaskId", task.TaskId));
                    item.Properties.Add(new PSNoteProperty("TaskName", task.Name));
                    item.Properties.Add(new PSNoteProperty("Prompt", task.Prompt));
                    item.Properties.Add(new PSNoteProperty("SaveResult", outcome.Result.ToString()));
                    WriteObject(item);
                }
            });
            if (outcome.TaskSaved)
            {
                ledger?.MarkSaved(task.TaskId);
            }
        }
    }
}
