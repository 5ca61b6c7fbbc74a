using System;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client;
using Seedance.Client.Http;
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

        private DownloadBatch? _batch;
        private string _destination = string.Empty;
        private bool _destinationIsFolder;
        private int _savedToSingleFile;

        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByObjectSet)]
        public SeedanceTask[] InputObject { get; set; } = Array.Empty<SeedanceTask>();

        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
        [Alias("Id")]
        public string[] TaskId { get; set; } = Array.Empty<string>();

        /// <summary>A folder (the file is &lt;taskId&gt;.mp4 in it) or, for one task, a file name. Default: the current location.</summary>
        [Parameter(Position = 0)]
        [Alias("Destination", "LiteralPath")]
        public string? Path { get; set; }

        /// <summary>Overwrite an existing file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>How many files download at once.</summary>
        [Parameter]
        [ValidateRange(1, 32)]
        public int ThrottleLimit { get; set; } = 4;

        protected override void BeginProcessing()
        {
            // Resolved here, on the pipeline thread, against PowerShell's current location (not the process's).
            string path = Path ?? ".";
            _destination = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            _destinationIsFolder = Directory.Exists(_destination) || path.EndsWith("/", StringComparison.Ordinal) || path.EndsWith("\\", StringComparison.Ordinal);
            base.BeginProcessing();
        }

        protected override async Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            SeedanceClient client = RequireClient(pipeline);
            _batch ??= new DownloadBatch(ThrottleLimit, StopToken);
            if (ParameterSetName == ByIdSet)
            {
                foreach (string id in TaskId)
                {
                    try
                    {
                        await QueueAsync(pipeline, client, await client.GetTaskAsync(id, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
                    }
                    catch (SeedanceException e)
                    {
                        pipeline.WriteError(ErrorFrom(e, id));
                    }
                }
            }
            else
            {
                foreach (SeedanceTask task in InputObject)
                {
                    if (task is not null)
                    {
                        await QueueAsync(pipeline, client, task).ConfigureAwait(false);
                    }
                }
            }

            EmitFinished(pipeline);
        }

        protected override async Task EndProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            if (_batch is null)
            {
                return;
            }

            while (_batch.HasPending)
            {
                await _batch.WaitForFinishedAsync(ProgressRefresh).ConfigureAwait(false);
                EmitFinished(pipeline);
            }

            ProgressRecord? batchDone = _batch.CompleteBatchProgress();
            if (batchDone is not null)
            {
                pipeline.WriteProgress(batchDone);
            }
        }

        /// <summary>Ctrl+C: end the transfers now and let them remove their temporary files before the prompt returns.</summary>
        protected override void OnStopped()
        {
            _batch?.Dispose();
            _batch = null;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _batch?.Dispose();
                _batch = null;
            }

            base.Dispose(disposing);
        }

        /// <summary>
        /// An error that ends the command (e.g. a failed download with -ErrorAction Stop) leaves the bars drawn so far
        /// on screen, and closing records still queued are never written: close them all.
        /// </summary>
        protected override void OnFailed()
        {
            if (_batch is null)
            {
                return;
            }

            foreach (ProgressRecord record in _batch.CompleteAllProgress())
            {
                WriteProgress(record);
            }
        }

        /// <summary>Checks one task and starts a transfer per video; the transfers run on while input keeps coming.</summary>
        private async Task QueueAsync(AsyncPipeline pipeline, SeedanceClient client, SeedanceTask task)
        {
            if (task.Status != SeedanceTaskStatus.Success || task.Videos.Count == 0)
            {
                pipeline.WriteError(SeedanceErrors.Create("TaskNotSucceeded", ErrorCategory.InvalidOperation, task,
                    $"Task {task.TaskId} has no video to save: its status is {task.StatusText ?? task.Status.ToString()}. Wait for it with Wait-SeedanceTask first."));
                return;
            }

            for (int index = 0; index < task.Videos.Count; index++)
            {
                string? destination = DestinationFor(pipeline, task, index);
                if (destination is null)
                {
                    continue;
                }

                if (File.Exists(destination) && !Force.IsPresent)
                {
                    pipeline.WriteError(SeedanceErrors.Create("FileExists", ErrorCategory.ResourceExists, destination,
                        $"The file '{destination}' already exists. Use -Force to overwrite it, or -Path to choose another place."));
                    continue;
                }

                if (!await pipeline.ShouldProcessAsync(destination, $"Save video of Seedance task {task.TaskId}").ConfigureAwait(false))
                {
                    continue;
                }

                int videoIndex = index;
                _batch!.Start($"Saving {task.TaskId}", task, (progress, stop) => DownloadAsync(client, task, videoIndex, destination, progress, stop));
            }
        }

        private async Task<FileInfo> DownloadAsync(SeedanceClient client, SeedanceTask task, int index, string destination, IProgress<DownloadProgress> progress, CancellationToken cancellationToken)
        {
            try
            {
                await client.Downloader.DownloadAsync(new Uri(task.Videos[index].Url), destination, Force.IsPresent, progress, cancellationToken).ConfigureAwait(false);
            }
            catch (SeedanceApiException e) when (e.Kind == SeedanceErrorKind.NotFound || e.Kind == SeedanceErrorKind.Forbidden)
            {
                // Output URLs can expire or be re-signed: ask the API once for a fresh one and try once more. Also
                // when the URL comes back unchanged: the 404/403 may have been passing (storage or CDN), and a file
                // that is really gone costs one more request before the same error is reported.
                WriteVerboseFromBackground($"The video URL of {task.TaskId} answered {(int)e.StatusCode}; fetching the task again for a fresh URL.");
                SeedanceTask fresh = await client.GetTaskAsync(task.TaskId, cancellationToken).ConfigureAwait(false);
                if (fresh.Videos.Count <= index)
                {
                    throw;
                }

                await client.Downloader.DownloadAsync(new Uri(fresh.Videos[index].Url), destination, Force.IsPresent, progress, cancellationToken).ConfigureAwait(false);
            }

            return new FileInfo(destination);
        }

        /// <summary>Writes what has finished (files, or errors) and redraws the progress of what is still running.</summary>
        private void EmitFinished(AsyncPipeline pipeline)
        {
            DownloadBatch batch = _batch!;
            foreach (DownloadBatch.Transfer transfer in batch.TakeFinished())
            {
                pipeline.WriteProgress(DownloadBatch.CompleteProgress(transfer));

                if (transfer.File is not null)
                {
                    string path = transfer.File.FullName;

                    // Through the provider, so the object carries PSPath & co. like Get-Item's output.
                    pipeline.Invoke(() => WriteObject(SessionState.InvokeProvider.Item.Get(new[] { path }, true, true), true));
                }
                else if (transfer.Error is not null && !(transfer.Error is OperationCanceledException))
                {
                    pipeline.WriteError(ErrorForFailedTransfer(transfer));
                }
            }

            foreach (ProgressRecord record in batch.Progress())
            {
                pipeline.WriteProgress(record);
            }
        }

        private ErrorRecord ErrorForFailedTransfer(DownloadBatch.Transfer transfer)
        {
            Exception error = transfer.Error!;
            SeedanceTask task = (SeedanceTask)transfer.ErrorTarget;
            if (error is IOException && !(error is FileNotFoundException) && !Force.IsPresent && !_destinationIsFolder && File.Exists(_destination))
            {
                return SeedanceErrors.Create("FileExists", ErrorCategory.ResourceExists, _destination,
                    $"The file '{_destination}' appeared while downloading; it was kept. Use -Force to overwrite it.");
            }

            return ErrorFrom(error, error is SeedanceException ? (object)task : _destination);
        }

        /// <summary>Folder → &lt;taskId&gt;.mp4 in it; anything else is a file name whose folder must exist.</summary>
        private string? DestinationFor(AsyncPipeline pipeline, SeedanceTask task, int index)
        {
            string fileName = task.TaskId + (index == 0 ? string.Empty : "_" + (index + 1)) + ".mp4";
            if (_destinationIsFolder)
            {
                if (!Directory.Exists(_destination))
                {
                    pipeline.WriteError(SeedanceErrors.Create("DestinationFolderNotFound", ErrorCategory.ObjectNotFound, Path ?? _destination,
                        $"The folder '{_destination}' does not exist. Create it first (New-Item -ItemType Directory)."));
                    return null;
                }

                return System.IO.Path.Combine(_destination, fileName);
            }

            string? folder = System.IO.Path.GetDirectoryName(_destination);
            if (folder is null || !Directory.Exists(folder))
            {
                pipeline.WriteError(SeedanceErrors.Create("DestinationFolderNotFound", ErrorCategory.ObjectNotFound, Path ?? _destination,
                    $"The folder '{folder}' for '{_destination}' does not exist. Create it first (New-Item -ItemType Directory)."));
                return null;
            }

            if (Interlocked.Increment(ref _savedToSingleFile) > 1)
            {
                pipeline.WriteError(SeedanceErrors.Create("PathIsSingleFile", ErrorCategory.InvalidArgument, task,
                    $"-Path '{Path}' names one file, but more than one video came in. Give a folder to save several videos."));
                return null;
            }

            return _destination;
        }
    }
}
