using System;
using System.Collections.Generic;

namespace Seedance.Client.Models
{
    /// <summary>A generation task as the module knows it: what the service reported, plus what we sent.</summary>
    /// <remarks>
    /// recordInfo does not echo the prompt or duration, so those are only known for tasks this session created
    /// (they are carried along from the created object by Wait/Get when piped).
    /// </remarks>
    public sealed class SeedanceTask
    {
        public SeedanceTask(string taskId)
        {
            TaskId = taskId;
        }

        public string TaskId { get; }
        public SeedanceTaskStatus Status { get; set; }

        /// <summary>The status exactly as the service wrote it (kept even when it is not one we know).</summary>
        public string? StatusText { get; set; }

        public string? Model { get; set; }

        /// <summary>The caller's key for this task (New-SeedanceTask -Name, e.g. a CSV row's Name column); never sent to the service.</summary>
        public string? Name { get; set; }

        public string? Prompt { get; set; }
        public int? Duration { get; set; }
        public string? Ratio { get; set; }
        public decimal? CreditsUsed { get; set; }
        public IReadOnlyList<SeedanceVideo> Videos { get; set; } = Array.Empty<SeedanceVideo>();
        public SeedanceTaskError? Error { get; set; }
        public DateTimeOffset? CreatedAt { get; set; }
        public DateTimeOffset? CompletedAt { get; set; }
        public DateTimeOffset? UpdatedAt { get; set; }

        /// <summary>Fields the service sent that this version does not know, as raw JSON text by name.</summary>
        public IReadOnlyDictionary<string, string> AdditionalFields { get; set; } = new Dictionary<string, string>();

        /// <summary>True once the task is in a final state (Success or Fail); no further change will come.</summary>
        public bool IsFinished => Status == SeedanceTaskStatus.Success || Status == SeedanceTaskStatus.Fail;

        /// <summary>Copies what only the creator knew (prompt, duration, ratio, model) from an earlier view of the task.</summary>
        public void CarryOverFrom(SeedanceTask earlier)
        {
            Name ??= earlier.Name;
            Prompt ??= earlier.Prompt;
            Duration ??= earlier.Duration;
            Ratio ??= earlier.Ratio;
            Model ??= earlier.Model;
            CreatedAt ??= earlier.CreatedAt;
        }

        public override string ToString() => TaskId;
    }
}
