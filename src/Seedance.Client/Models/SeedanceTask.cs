using System;
using System.Collections.Generic;
using System.Linq;

namespace Seedance.Client.Models
{
    /// <summary>A generation task as the module knows it: what the service reported, plus what we sent.</summary>
    /// <remarks>
    /// recordInfo does not echo the prompt or duration, so those are only known for tasks this session created
    /// (they are carried along from the created object by Wait/Get when piped). The object is built to export:
    /// Status is text, and the first video (URL, size, seed, last frame) and the error (code, message) are also flat
    /// properties, so ConvertTo-Json and Export-Csv of tasks are readable without any Select-Object.
    /// </remarks>
    public sealed class SeedanceTask
    {
        private CellList<SeedanceVideo> _videos = new CellList<SeedanceVideo>(Array.Empty<SeedanceVideo>(), " ");
        private IReadOnlyDictionary<string, object?> _additionalFields = AdditionalFieldCollection.Empty;
        private string? _statusText;
        private string? _model;

        public SeedanceTask(string taskId)
        {
            TaskId = taskId;
        }

        public string TaskId { get; }

        /// <summary>Waiting, Generating, Success, Fail, or Unknown (see <see cref="SeedanceTaskStatus"/>).</summary>
        public string Status { get; set; } = SeedanceTaskStatus.Unknown;

        /// <summary>The status as the service wrote it (kept even when it is not one we know; inert for a spreadsheet, see <see cref="SpreadsheetCell"/>).</summary>
        public string? StatusText
        {
            get => SpreadsheetCell.Inert(_statusText);
            set => _statusText = value;
        }

        /// <summary>The model (the service's word for it when it names one; inert for a spreadsheet, see <see cref="SpreadsheetCell"/>).</summary>
        public string? Model
        {
            get => SpreadsheetCell.Inert(_model);
            set => _model = value;
        }

        /// <summary>The caller's key for this task (New-SeedanceTask -Name, e.g. a CSV row's Name column); never sent to the service.</summary>
        public string? Name { get; set; }

        /// <summary>The batch the Name is a key in (New-SeedanceTask -Batch, by default the folder it ran in); null when unknown.</summary>
        public string? Batch { get; set; }

        public string? Prompt { get; set; }
        public int? Duration { get; set; }
        public string? Ratio { get; set; }
        public decimal? CreditsUsed { get; set; }

        /// <summary>The first video's URL (a task makes one video; all of them are in <see cref="Videos"/>).</summary>
        public string? VideoUrl => FirstVideo?.Url;
        public int? Width => FirstVideo?.Width;
        public int? Height => FirstVideo?.Height;
        public long? Seed => FirstVideo?.Seed;

        /// <summary>The first video's last frame (a PNG URL): the natural first image of a follow-up task.</summary>
        public string? LastFrameImage => FirstVideo?.LastFrameImage;

        /// <summary>The service's failure code, e.g. "2038"; null when it sent only text, or the task did not fail.</summary>
        /// <remarks>This and ErrorMessage are the export view of <see cref="Error"/>: inert for a spreadsheet (<see cref="SpreadsheetCell"/>).</remarks>
        public string? ErrorCode => SpreadsheetCell.Inert(Error?.Code);
        public string? ErrorMessage => SpreadsheetCell.Inert(Error?.Message);

        /// <summary>
        /// For a failed task, what its failure means for sending the same request again: Transient, Input,
        /// OutputModeration or Unknown (<see cref="SeedanceFailureClass"/>, decided by the one table in
        /// <see cref="FailureClasses"/>); null while the task has not failed. The service's own words are ErrorMessage.
        /// </summary>
        public string? FailureClass => Status == SeedanceTaskStatus.Fail ? FailureClasses.Classify(Error) : null;

        public DateTimeOffset? CreatedAt { get; set; }
        public DateTimeOffset? CompletedAt { get; set; }
        public DateTimeOffset? UpdatedAt { get; set; }

        /// <summary>True once the task is in a final state (Success or Fail); no further change will come.</summary>
        public bool IsFinished => Status == SeedanceTaskStatus.Success || Status == SeedanceTaskStatus.Fail;

        /// <summary>Every output file. As text (a CSV cell) the URLs, separated by spaces.</summary>
        public IReadOnlyList<SeedanceVideo> Videos
        {
            get => _videos;
            set => _videos = value as CellList<SeedanceVideo> ?? new CellList<SeedanceVideo>(value ?? Array.Empty<SeedanceVideo>(), " ");
        }

        public SeedanceTaskError? Error { get; set; }

        /// <summary>
        /// The row's earlier tries that failed and were resubmitted by Wait-SeedanceTask -RetryFailed, oldest first (task
        /// id, attempt number, reason); empty for a row's first task. As text (a CSV cell) one line of them.
        /// </summary>
        public IReadOnlyList<SeedanceEarlierAttempt> EarlierAttempts
        {
            get => _earlierAttempts;
            set => _earlierAttempts = value as CellList<SeedanceEarlierAttempt> ?? new CellList<SeedanceEarlierAttempt>(value ?? Array.Empty<SeedanceEarlierAttempt>(), "; ");
        }

        private CellList<SeedanceEarlierAttempt> _earlierAttempts = new CellList<SeedanceEarlierAttempt>(Array.Empty<SeedanceEarlierAttempt>(), "; ");

        /// <summary>
        /// Fields the service sent that this version does not know, as plain values by name (text, numbers,
        /// true/false, lists, dictionaries). As text (a CSV cell) "name=value; name=value".
        /// </summary>
        public IReadOnlyDictionary<string, object?> AdditionalFields
        {
            get => _additionalFields;
            set => _additionalFields = value as AdditionalFieldCollection
                ?? new AdditionalFieldCollection((value ?? AdditionalFieldCollection.Empty).ToDictionary(entry => entry.Key, entry => entry.Value, StringComparer.Ordinal));
        }

        private SeedanceVideo? FirstVideo => _videos.Count > 0 ? _videos[0] : null;

        /// <summary>Copies what only the creator knew (Name, batch, prompt, duration, ratio, model) from an earlier view of the task.</summary>
        /// <remarks>Internal: a step of the module's own bookkeeping, not something to call on a task in a script.</remarks>
        internal void CarryOverFrom(SeedanceTask earlier)
        {
            Name ??= earlier.Name;
            Batch ??= earlier.Batch;
            Prompt ??= earlier.Prompt;
            Duration ??= earlier.Duration;
            Ratio ??= earlier.Ratio;
            Model ??= earlier.Model;
            CreatedAt ??= earlier.CreatedAt;
            if (EarlierAttempts.Count == 0)
            {
                EarlierAttempts = earlier.EarlierAttempts;
            }
        }

        public override string ToString() => TaskId;
    }
}
