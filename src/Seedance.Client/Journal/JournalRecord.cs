using System;
using System.Collections.Generic;
using Seedance.Client.Models;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// One line of the journal: one event about one task (or one create attempt). Records are never changed once
    /// written; the latest known state of a task is the fold of its records in file order (<see cref="JournalSnapshot"/>).
    /// </summary>
    /// <remarks>
    /// One shape for every type: each type sets the fields the table in README.md gives it, and a field means the same
    /// in every type that has it (<c>credits</c> is what a create reserved in an intent and what the service said it
    /// charged in a status, the one number the budget reads). Format version 1 (<c>"v":1</c>). Readers ignore fields
    /// they do not know and skip types they do not know, so a newer version may add both; a change of meaning needs a
    /// new type name, never a reinterpreted field. There is no field for the API key, and <see cref="JournalLine"/>
    /// writes only these. 0.1.0 also wrote 'uploaded' records and 'failure' records of a task (read by nothing, now
    /// skipped like unknown types), and refusals as 'failure' with an intent id (read as <see cref="Refused"/>).
    /// </remarks>
    internal sealed class JournalRecord
    {
        public const int FormatVersion = 1;

        /// <summary>Before a create is sent, so a process killed during the request still leaves it on disk: intent, name, credits (reserved), pid, host, settles, request.</summary>
        public const string Intent = "intent";

        /// <summary>A create's slot wait: waiting true on a 429 (not taken, nothing billed), false just before it is sent again.</summary>
        public const string SlotWait = "slotWait";

        /// <summary>The service answered a create with a task id (or the user tied one to it: Register-SeedanceTask).</summary>
        public const string Created = "created";

        /// <summary>A create was sent and no answer came: it may exist and be billed. Repeats the request, so it stands alone.</summary>
        public const string OutcomeUnknown = "outcomeUnknown";

        /// <summary>A state of a task as the service reported it (Get or Wait).</summary>
        public const string Status = "status";

        /// <summary>A video of a task was saved complete under its final name.</summary>
        public const string Saved = "saved";

        /// <summary>The service certainly did not create the task (a 4xx, or no connection made): the reservation and the Name are released.</summary>
        public const string Refused = "refused";

        /// <summary>Never written: 0.1.0's refusals had this type with an intent and no task (read as <see cref="Refused"/>).</summary>
        public const string Failure = "failure";

        /// <summary>The first line of a compacted file: when compaction ran (so it runs at most once a day) and what it removed.</summary>
        public const string Compacted = "compacted";

        public JournalRecord(string type, DateTimeOffset time)
        {
            Type = type;
            Time = time;
        }

        public string Type { get; }

        /// <summary>When the event was recorded (UTC on disk, millisecond precision).</summary>
        public DateTimeOffset Time { get; }

        /// <summary>Ties a create's records together ("intent").</summary>
        public string? IntentId { get; init; }

        /// <summary>The service's task id ("task").</summary>
        public string? TaskId { get; init; }

        public string? Name { get; init; }
        public CreateTaskRequest? Request { get; init; }

        /// <summary>An intent's reservation against the daily limit, or the charge a status reported.</summary>
        public decimal? Credits { get; init; }

        /// <summary>The process ("pid") and machine that journaled an intent.</summary>
        public int? ProcessId { get; init; }
        public string? Host { get; init; }

        /// <summary>The model's charge changes after success ("settles"): an intent's credits are then the documented maximum, counted until a status is <see cref="ChargeFinal"/>.</summary>
        public bool Settles { get; init; }

        /// <summary>
        /// A resubmission's intent (Wait-SeedanceTask -RetryFailed): the failed task it sends again ("retryOf") and the
        /// row's attempt number it is ("attempt", 2 or more). Absent in a first create and in every intent 0.1.0 wrote.
        /// </summary>
        public string? RetryOf { get; init; }
        public int? Attempt { get; init; }

        /// <summary>A slot wait's word: true when the service answered 429.</summary>
        public bool? Waiting { get; init; }

        /// <summary>Why an outcome is unknown.</summary>
        public string? Reason { get; init; }

        /// <summary>A status record's <see cref="SeedanceTaskStatus"/> value, and the service's own word for it.</summary>
        public string? TaskStatus { get; init; }
        public string? StatusText { get; init; }

        /// <summary>Wait read creditsUsed after success until it changed: <see cref="Credits"/> is the final charge.</summary>
        public bool ChargeFinal { get; init; }

        public IReadOnlyList<SeedanceVideo> Outputs { get; init; } = Array.Empty<SeedanceVideo>();
        public SeedanceTaskError? Error { get; init; }
        public string? Model { get; init; }

        /// <summary>The service's createTime and completeTime of a status.</summary>
        public DateTimeOffset? ServiceCreatedAt { get; init; }
        public DateTimeOffset? CompletedAt { get; init; }

        /// <summary>A saved file's full path and size.</summary>
        public string? Path { get; init; }
        public long? Bytes { get; init; }

        /// <summary>A refusal's or failure's code (an ErrorId, or the service's code) and message (already masked).</summary>
        public string? Code { get; init; }
        public string? Message { get; init; }

        /// <summary>A compaction's unique id ("id") and how many records it removed.</summary>
        public string? CompactionId { get; init; }
        public int? Removed { get; init; }
    }
}
