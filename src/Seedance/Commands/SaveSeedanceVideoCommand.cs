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
    /// <para type="synopsis">Downloads the video of finished Seedance tasks.</para>
    /// <para type="description">
    /// Streams to a temporary file beside the destination and renames it into place only when complete, so no
    /// partial file ever has the final name. Given a folder, the file is &lt;taskId&gt;.mp4 in it. The download
    /// carries no Authorization header: the key is only ever sent to the API host.
    /// </para>
    /// </summary>
    [Cmdlet(VerbsData.Save, "SeedanceVideo", SupportsShouldProcess = true, DefaultParameterSetName = ByObjectSet)]
    [OutputType(typeof(FileInfo))]
    public sealed class SaveSeedanceVideoCommand : SeedanceApiCmdlet
    {
        private const string ByObjectSet = "InputObject";
        private const string ByIdSet = "TaskId";

        private int _activityId = 100;
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

        protected override async Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            if (ParameterSetName == ByIdSet)
            {
                SeedanceClient client = RequireClient(pipeline);
                foreach (string id in TaskId)
                {
                    SeedanceTask task;
                    try
                    {
                        task = await client.GetTaskAsync(id, cancellationToken).ConfigureAwait(false);
                    }
                    catch (SeedanceException e)
                    {
                        pipeline.WriteError(ErrorFrom(e, id));
                        continue;
                    }

                    await SaveAsync(pipeline, task, cancellationToken).ConfigureAwait(false);
                }

                return;
            }

            foreach (SeedanceTask task in InputObject)
            {
                if (task is not null)
                {
                    await SaveAsync(pipeline, task, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        private async Task SaveAsync(AsyncPipeline pipeline, SeedanceTask task, CancellationToken cancellationToken)
        {
            if (task.Status != SeedanceTaskStatus.Success || task.Videos.Count == 0)
            {
                pipeline.WriteError(SeedanceErrors.Create("TaskNotSucceeded", ErrorCategory.InvalidOperation, task,
                    $"Task {task.TaskId} has no video to save: its status is {task.StatusText ?? task.Status.ToString()}. Wait for it with Wait-SeedanceTask first."));
                return;
            }

            for (int index = 0; index < task.Videos.Count; index++)
            {
                string? destination = ResolveDestination(pipeline, task, index);
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

                await DownloadAsync(pipeline, task, index, destination, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task DownloadAsync(AsyncPipeline pipeline, SeedanceTask task, int index, string destination, CancellationToken cancellationToken)
        {
            SeedanceClient client = RequireClient(pipeline);
            int activityId = Interlocked.Increment(ref _activityId);
            string activity = $"Saving {task.TaskId}";
            Progress progress = new Progress(record => pipeline.WriteProgress(record), activityId, activity, destination);
            try
            {
                Uri source = new Uri(task.Videos[index].Url);
                try
                {
                    await client.Downloader.DownloadAsync(source, destination, Force.IsPresent, progress, cancellationToken).ConfigureAwait(false);
                }
                catch (SeedanceApiException e) when (e.Kind == SeedanceErrorKind.NotFound || e.Kind == SeedanceErrorKind.Forbidden)
                {
                    // Output URLs can expire or be re-signed: ask the API once for a fresh one.
                    pipeline.WriteVerbose($"The video URL of {task.TaskId} answered {(int)e.StatusCode}; fetching the task again for a fresh URL.");
                    SeedanceTask fresh = await client.GetTaskAsync(task.TaskId, cancellationToken).ConfigureAwait(false);
                    if (fresh.Videos.Count <= index)
                    {
                        throw;
                    }

                    await client.Downloader.DownloadAsync(new Uri(fresh.Videos[index].Url), destination, Force.IsPresent, progress, cancellationToken).ConfigureAwait(false);
                }

                pipeline.WriteObject(new FileInfo(destination));
            }
            catch (Exception e) when (e is SeedanceException || e is IOException || e is UnauthorizedAccessException)
            {
                object target = e is SeedanceException ? (object)task : destination;
                pipeline.WriteError(File.Exists(destination) && e is IOException && !Force.IsPresent
                    ? SeedanceErrors.Create("FileExists", ErrorCategory.ResourceExists, destination, $"The file '{destination}' appeared while downloading; it was kept. Use -Force to overwrite it.")
                    : ErrorFrom(e, target));
            }
            finally
            {
                progress.Complete();
            }
        }

        /// <summary>Folder → &lt;taskId&gt;.mp4 in it; anything else is a file name whose folder must exist.</summary>
        private string? ResolveDestination(AsyncPipeline pipeline, SeedanceTask task, int index)
        {
            string fileName = task.TaskId + (index == 0 ? string.Empty : "_" + (index + 1)) + ".mp4";
            string path = Path ?? ".";
            string resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
            bool namesFolder = Directory.Exists(resolved) || path.EndsWith("/", StringComparison.Ordinal) || path.EndsWith("\\", StringComparison.Ordinal);
            if (namesFolder)
            {
                if (!Directory.Exists(resolved))
                {
                    pipeline.WriteError(SeedanceErrors.Create("DestinationFolderNotFound", ErrorCategory.ObjectNotFound, path,
                        $"The folder '{resolved}' does not exist. Create it first (New-Item -ItemType Directory)."));
                    return null;
                }

                return System.IO.Path.Combine(resolved, fileName);
            }

            string? folder = System.IO.Path.GetDirectoryName(resolved);
            if (folder is null || !Directory.Exists(folder))
            {
                pipeline.WriteError(SeedanceErrors.Create("DestinationFolderNotFound", ErrorCategory.ObjectNotFound, path,
                    $"The folder '{folder}' for '{resolved}' does not exist. Create it first (New-Item -ItemType Directory)."));
                return null;
            }

            if (Interlocked.Increment(ref _savedToSingleFile) > 1)
            {
                pipeline.WriteError(SeedanceErrors.Create("PathIsSingleFile", ErrorCategory.InvalidArgument, task,
                    $"-Path '{path}' names one file, but more than one video came in. Give a folder to save several videos."));
                return null;
            }

            return resolved;
        }

        /// <summary>Turns download progress into Write-Progress records (bytes and rate).</summary>
        private sealed class Progress : IProgress<DownloadProgress>
        {
            private readonly Action<ProgressRecord> _write;
            private readonly int _activityId;
            private readonly string _activity;
            private readonly string _destination;

            public Progress(Action<ProgressRecord> write, int activityId, string activity, string destination)
            {
                _write = write;
                _activityId = activityId;
                _activity = activity;
                _destination = destination;
            }

            public void Report(DownloadProgress value)
            {
                string total = value.TotalBytes is null ? "?" : Megabytes(value.TotalBytes.Value);
                _write(new ProgressRecord(_activityId, _activity, $"{Megabytes(value.BytesReceived)} of {total} at {Megabytes((long)value.BytesPerSecond)}/s → {_destination}")
                {
                    PercentComplete = value.PercentComplete ?? -1,
                });
            }

            public void Complete()
            {
                try
                {
                    _write(new ProgressRecord(_activityId, _activity, "Done") { RecordType = ProgressRecordType.Completed });
                }
                catch (OperationCanceledException)
                {
                    // Stopped: the host clears progress when the pipeline ends.
                }
            }

            private static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " MB";
        }
    }
}
