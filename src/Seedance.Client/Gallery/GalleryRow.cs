using System;

namespace Seedance.Client.Gallery
{
    /// <summary>What a card shows in place of (or as) its video.</summary>
    public enum GalleryOutcome
    {
        /// <summary>Succeeded and its video is on disk beside the page.</summary>
        Saved,

        /// <summary>The task failed: its failure class and the service's words instead of a video.</summary>
        Failed,

        /// <summary>Succeeded, not saved yet.</summary>
        NotSaved,

        /// <summary>Saved once, but the file is no longer there.</summary>
        FileMissing,

        /// <summary>Not finished (waiting, generating, or a status this version does not know).</summary>
        NotFinished,
    }

    /// <summary>
    /// One row of a batch as the review page shows it: what the task was asked and answered, and which files beside the
    /// page hold its video and last frame. The page's data file keeps these, so a row stays on the page after its
    /// task is no longer piped in (a re-export of part of a batch, a file deleted by hand).
    /// </summary>
    public sealed class GalleryRow
    {
        public GalleryRow(string taskId)
        {
            TaskId = taskId;
        }

        public string TaskId { get; }

        /// <summary>The row's Name (New-SeedanceTask -Name); a re-run's task of the same Name takes this row's place.</summary>
        public string? Name { get; set; }

        /// <summary>Waiting, Generating, Success, Fail or Unknown (SeedanceTaskStatus).</summary>
        public string Status { get; set; } = Models.SeedanceTaskStatus.Unknown;

        public string? Prompt { get; set; }
        public string? Model { get; set; }
        public int? DurationSeconds { get; set; }
        public int? Width { get; set; }
        public int? Height { get; set; }
        public long? Seed { get; set; }
        public decimal? Credits { get; set; }
        public DateTimeOffset? CreatedAt { get; set; }
        public DateTimeOffset? CompletedAt { get; set; }
        public string? ErrorCode { get; set; }
        public string? ErrorMessage { get; set; }

        /// <summary>The video, relative to the page's folder with '/' between folders; null until it is saved.</summary>
        public string? VideoFile { get; set; }

        /// <summary>The last frame, downloaded beside the video (the service's URL expires), relative like <see cref="VideoFile"/>.</summary>
        public string? PosterFile { get; set; }

        /// <summary>Where the row sits in the batch: when its first task was created, then the order rows arrived in.</summary>
        public DateTimeOffset? FirstCreatedAt { get; set; }

        public long Sequence { get; set; }

        // Key and TimeTaken are methods, not properties: the data file is written by serializing the row's properties.

        /// <summary>The row's key on the page: its Name when it has one (case-insensitive), else its task id.</summary>
        public string Key() => string.IsNullOrWhiteSpace(Name) ? "id:" + TaskId : "name:" + Name!.Trim().ToUpperInvariant();

        /// <summary>How long the task took, from creation to completion, when the service said both.</summary>
        public TimeSpan? TimeTaken() => CreatedAt is DateTimeOffset start && CompletedAt is DateTimeOffset end && end >= start ? end - start : (TimeSpan?)null;

        /// <summary>What became of the row, as of now. <paramref name="fileExists"/>: whether a file (relative to the page's folder) is there.</summary>
        public GalleryOutcome OutcomeWith(Func<string, bool> fileExists)
        {
            switch (Status)
            {
                case Models.SeedanceTaskStatus.Fail:
                    return GalleryOutcome.Failed;
                case Models.SeedanceTaskStatus.Success:
                    if (VideoFile is null)
                    {
                        return GalleryOutcome.NotSaved;
                    }

                    return fileExists(VideoFile) ? GalleryOutcome.Saved : GalleryOutcome.FileMissing;
                default:
                    return GalleryOutcome.NotFinished;
            }
        }

        public override string ToString() => Name ?? TaskId;
    }
}
