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
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// Export-SeedanceGallery: writes index.html, a self-contained review page of a batch (one card per row: the video
    /// with its last frame, prompt, cost, outcome), beside the videos. The page and its rules live in
    /// Seedance.Client.Gallery; this cmdlet turns what a batch emits (tasks, saved files, journal listings) into tasks.
    /// User help (synopsis, parameters, examples): docs/en-US/Export-SeedanceGallery.md, the one source of that text.
    /// </summary>
    [Cmdlet(VerbsData.Export, "SeedanceGallery", SupportsShouldProcess = true, HelpUri = HelpLinks.Docs + "Export-SeedanceGallery.md")]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportSeedanceGalleryCommand : SeedanceApiCmdlet
    {
        private const int LookUpThrottle = 8;

        private readonly List<(SeedanceTask Task, string? File)> _entries = new List<(SeedanceTask, string?)>();
        private GalleryExport? _gallery;

        /// <summary>Tasks (New, Wait, Get), the files Save-SeedanceVideo wrote (they carry TaskId), or anything with a TaskId.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject[] InputObject { get; set; } = Array.Empty<PSObject>();

        /// <summary>The folder of the videos, where index.html is written (created when missing). Default: the current location.</summary>
        [Parameter(Position = 0)]
        [Alias("LiteralPath", "PSPath")]
        public string? Path { get; set; }

        /// <summary>The page's title. Default: the folder's name (or the title the page already has).</summary>
        [Parameter]
        public string? Title { get; set; }

        /// <summary>Write the page's file (index.html) to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        private protected override JournalUse JournalUse => JournalUse.Optional;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            string given = string.IsNullOrEmpty(Path) ? "." : Path!;
            _gallery = FileSystemPaths.OpenGallery(this, FileSystemPaths.ResolveDestination(this, given, "the gallery"), Title, Configuration.PriceTable.UsdPerCredit);
        }

        protected override async Task ProcessRecordAsync(PipelineOutput pipeline, CancellationToken cancellationToken)
        {
            JournalSnapshot? journal = ReadJournal(pipeline.WriteWarning); // one read for every item of this input
            foreach (PSObject item in InputObject)
            {
                if (await TaskOfAsync(pipeline, item, journal, cancellationToken).ConfigureAwait(false) is SeedanceTask task)
                {
                    // The saved file the item is, else the one the journal knows (see GalleryExport.SavedVideoOf).
                    IEnumerable<string> saved = (journal?.FindTask(task.TaskId)?.SavedFiles ?? Array.Empty<JournalSavedFile>()).Select(file => file.Path);
                    _entries.Add((task, (item?.BaseObject as FileInfo)?.FullName ?? _gallery!.SavedVideoOf(saved)));
                }
            }
        }

        protected override async Task EndProcessingAsync(PipelineOutput pipeline, CancellationToken cancellationToken)
        {
            // Asked first: under -WhatIf (or a No to -Confirm) nothing is fetched or written, last frames included.
            if (!await pipeline.ShouldProcessAsync(_gallery!.PagePath, $"Write the review page of {_entries.Count} tasks").ConfigureAwait(false))
            {
                return;
            }

            // A task listed from the journal has no completion time and may carry last-frame URLs that have expired: read
            // it once more when a key is at hand (reads are free), so the card says how long it took and gets its poster.
            SeedanceClient? client = Key is null ? null : RequireClient(pipeline);
            if (client is null && _entries.Any(entry => entry.Task.Status == SeedanceTaskStatus.Success))
            {
                pipeline.WriteWarning("No API key is configured, so last frames are not fetched and tasks are not read again: cards show what the journal or the input knew.");
            }

            try
            {
                // Before the last frames, which are fetched into it: a new folder made only for the page lost them all.
                Directory.CreateDirectory(_gallery.Folder);
                using SemaphoreSlim throttle = new SemaphoreSlim(LookUpThrottle);
                SeedanceTask[] tasks = await Task.WhenAll(_entries.Select(entry => RefreshAsync(pipeline, client, entry.Task, throttle, cancellationToken))).ConfigureAwait(false);
                await Task.WhenAll(tasks.Select((task, i) => _gallery.AddWithPosterAsync(task, _entries[i].File, client?.Downloader, pipeline.WriteWarning, cancellationToken))).ConfigureAwait(false);
                string page = _gallery.Write(DateTimeOffset.Now);
                if (PassThru.IsPresent)
                {
                    pipeline.WriteObject(new FileInfo(page));
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new TerminatingErrorException(SeedanceErrors.Create("GalleryNotWritten", _gallery.PagePath, $"The review page '{_gallery.PagePath}' could not be written: {e.Message}"));
            }
        }

        /// <summary>The task an input stands for: itself, or the task of its TaskId (from the journal, else the service).</summary>
        private async Task<SeedanceTask?> TaskOfAsync(PipelineOutput pipeline, PSObject? item, JournalSnapshot? journal, CancellationToken cancellationToken)
        {
            switch (item?.BaseObject)
            {
                case null:
                    return null;
                case SeedanceTask task:
                    return task;
                case SeedanceUncertainCreate uncertain:
                    pipeline.WriteWarning($"The create of row '{uncertain.Name}' has no known outcome, so it has no task to show: it is not on the page. Get-Help about_Seedance_Batches says how to settle it.");
                    return null;
            }

            string? id = item.Properties["TaskId"]?.Value?.ToString()?.Trim();
            if (string.IsNullOrEmpty(id))
            {
                pipeline.WriteError(SeedanceErrors.Create("NotATask", item,
                    $"'{item}' is neither a task nor a file saved from one (it has no TaskId). Pipe tasks, or the files Save-SeedanceVideo writes."));
                return null;
            }

            JournalTaskSummary? known = journal?.FindTask(id!);
            return known?.ToSeedanceTask() ?? await ReadTaskAsync(RequireClient(pipeline), id!, known, TaskNotFoundMessages.IsJournalName(journal, id!), pipeline, cancellationToken).ConfigureAwait(false);
        }

        /// <summary>The task read again when it lacks what the page shows (a completion time) and a key is configured; else as it is.</summary>
        private async Task<SeedanceTask> RefreshAsync(PipelineOutput pipeline, SeedanceClient? client, SeedanceTask task, SemaphoreSlim throttle, CancellationToken cancellationToken)
        {
            if (client is null || task.CompletedAt is not null)
            {
                return task;
            }

            await throttle.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                SeedanceTask fresh = await client.GetTaskAsync(task.TaskId, cancellationToken).ConfigureAwait(false);
                Observed(fresh, null, pipeline);
                fresh.CarryOverFrom(task);
                return fresh;
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                pipeline.WriteWarning($"Task {task.TaskId} could not be read again ({e.Message}); its card shows what was known.");
                return task;
            }
            finally
            {
                throttle.Release();
            }
        }
    }
}
