using System;
using System.Collections.Generic;
using Seedance.Client.Models;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// One line of the journal: one event about one task (or one create attempt). Records are never
    /// changed once written; the latest known state of a task is the fold of its records in file order.
    /// </summary>
    /// <remarks>
    /// Format version 1 (<c>"v":1</c>). Readers ignore fields they do not know and skip record types they do not know,
    /// so a newer version may add both; a change of meaning needs a new type name, never a reinterpreted field.
    /// None of these types has a place for the API key, and the writer writes only the properties declared here. 0.1.0
    /// also wrote 'uploaded' records (read by nothing, now skipped) and refusals as 'failure' with an intent id.
    /// </remarks>
    public abstract class JournalRecord
    {
        public const int FormatVersion = 1;

        protected JournalRecord(DateTimeOffset time)
        {
            Time = time;
        }

        /// <summary>When the event was recorded (UTC on disk, millisecond precision).</summary>
        public DateTimeOffset Time { get; }

        /// <summary>The value of the "type" field.</summary>
        public abstract string Type { get; }
    }

    /// <summary>
    /// Written before a create is sent, so a process killed during the request still leaves the request on disk. It
    /// ties to the outcome through <see cref="IntentId"/>, and carries the credits it reserves against a daily limit.
    /// </summary>
    public sealed class CreateIntentRecord : JournalRecord
    {
        public const string TypeName = "intent";

        public CreateIntentRecord(DateTimeOffset time, string intentId, string? name, CreateTaskRequest request, decimal credits, int processId, string? host,
            bool settlesAfterSuccess = false, JournalAttempt? attempt = null)
            : base(time)
        {
            Attempt = attempt;
            IntentId = intentId;
            Name = name;
            Request = request;
            Credits = credits;
            ProcessId = processId;
            Host = host;
            SettlesAfterSuccess = settlesAfterSuccess;
        }

        public override string Type => TypeName;
        public string IntentId { get; }
        public string? Name { get; }
        public CreateTaskRequest Request { get; }
        public decimal Credits { get; }
        public int ProcessId { get; }
        public string? Host { get; }

        /// <summary>
        /// The model's charge changes after success (a reference video on 2.5, extend, edit: "settles"): <see cref="Credits"/>
        /// is then the documented maximum, counted until a status record says the final charge was read.
        /// </summary>
        public bool SettlesAfterSuccess { get; }

        /// <summary>
        /// A resubmission (Wait-SeedanceTask -RetryFailed): the failed task it sends again and its attempt number for the
        /// row ("retryOf", "attempt"); null for a first create, and for every intent 0.1.0 wrote.
        /// </summary>
        public JournalAttempt? Attempt { get; }
    }

    /// <summary>Which earlier task of the row a create sends again, and the row's attempt number it becomes (2 for the first resubmission).</summary>
    public sealed class JournalAttempt
    {
        public JournalAttempt(string retryOf, int number)
        {
            RetryOf = retryOf;
            Number = number;
        }

        /// <summary>The failed task whose request this create sends again.</summary>
        public string RetryOf { get; }

        /// <summary>The row's attempt this create is: the failed one's number plus one.</summary>
        public int Number { get; }
    }

    /// <summary>
    /// A create's slot wait: <see cref="Waiting"/> true when the service answered 429 (it did not take the request, so
    /// nothing is billed yet, and the create waits for a free slot), false just before it is sent again (from then on
    /// it may be taken). A create whose last word is "waiting" and whose process is gone was never taken.
    /// </summary>
    public sealed class CreateSlotWaitRecord : JournalRecord
    {
        public const string TypeName = "slotWait";

        public CreateSlotWaitRecord(DateTimeOffset time, string intentId, bool waiting)
            : base(time)
        {
            IntentId = intentId;
            Waiting = waiting;
        }

        public override string Type => TypeName;
        public string IntentId { get; }
        public bool Waiting { get; }
    }

    /// <summary>The service answered a create with a task id.</summary>
    public sealed class TaskCreatedRecord : JournalRecord
    {
        public const string TypeName = "created";

        public TaskCreatedRecord(DateTimeOffset time, string intentId, string taskId, string? name)
            : base(time)
        {
            IntentId = intentId;
            TaskId = taskId;
            Name = name;
        }

        public override string Type => TypeName;
        public string IntentId { get; }
        public string TaskId { get; }
        public string? Name { get; }
    }

    /// <summary>A create was sent and no answer came: the task may exist and be billed. Self-contained (it repeats the request).</summary>
    public sealed class CreateOutcomeUnknownRecord : JournalRecord
    {
        public const string TypeName = "outcomeUnknown";

        public CreateOutcomeUnknownRecord(DateTimeOffset time, string intentId, string? name, CreateTaskRequest request, string reason)
            : base(time)
        {
            IntentId = intentId;
            Name = name;
            Request = request;
            Reason = reason;
        }

        public override string Type => TypeName;
        public string IntentId { get; }
        public string? Name { get; }
        public CreateTaskRequest Request { get; }
        public string Reason { get; }
    }

    /// <summary>A state of a task as the service reported it (Get or Wait).</summary>
    public sealed class StatusRecord : JournalRecord
    {
        public const string TypeName = "status";

        public StatusRecord(
            DateTimeOffset time, string taskId, string status, string? statusText, decimal? creditsUsed,
            IReadOnlyList<SeedanceVideo> outputs, SeedanceTaskError? error, string? model, DateTimeOffset? serviceCreatedAt,
            DateTimeOffset? completedAt = null, bool chargeFinal = false)
            : base(time)
        {
            ChargeFinal = chargeFinal;
            TaskId = taskId;
            Status = status;
            StatusText = statusText;
            CreditsUsed = creditsUsed;
            Outputs = outputs;
            Error = error;
            Model = model;
            ServiceCreatedAt = serviceCreatedAt;
            CompletedAt = completedAt;
        }

        public override string Type => TypeName;
        public string TaskId { get; }

        /// <summary>Wait read creditsUsed after success until it changed ("chargeFinal"): <see cref="CreditsUsed"/> is the final charge.</summary>
        public bool ChargeFinal { get; }
        public string Status { get; }
        public string? StatusText { get; }
        public decimal? CreditsUsed { get; }
        public IReadOnlyList<SeedanceVideo> Outputs { get; }
        public SeedanceTaskError? Error { get; }
        public string? Model { get; }
        public DateTimeOffset? ServiceCreatedAt { get; }

        /// <summary>When the service says the task finished (with the outputs' seed and last frame: what a follow-up task needs).</summary>
        public DateTimeOffset? CompletedAt { get; }
    }

    /// <summary>A video of a task was saved complete under its final name.</summary>
    public sealed class SavedFileRecord : JournalRecord
    {
        public const string TypeName = "saved";

        public SavedFileRecord(DateTimeOffset time, string taskId, string path, long bytes)
            : base(time)
        {
            TaskId = taskId;
            Path = path;
            Bytes = bytes;
        }

        public override string Type => TypeName;
        public string TaskId { get; }
        public string Path { get; }
        public long Bytes { get; }
    }

    /// <summary>The service certainly did not create the task (a 4xx, or no connection made): nothing charged, the reservation and the Name are released.</summary>
    public sealed class CreateRefusedRecord : JournalRecord
    {
        public const string TypeName = "refused";

        /// <summary>0.1.0 wrote a refusal as a 'failure' record with an intent id and no task id; it is read as this.</summary>
        internal const string FormerTypeName = "failure";

        public CreateRefusedRecord(DateTimeOffset time, string intentId, string? code, string message)
            : base(time)
        {
            IntentId = intentId;
            Code = code;
            Message = message;
        }

        public override string Type => TypeName;
        public string IntentId { get; }
        public string? Code { get; }
        public string Message { get; }
    }

    /// <summary>Reading or saving a task failed (the task itself keeps its last known state).</summary>
    public sealed class FailureRecord : JournalRecord
    {
        public const string TypeName = "failure";

        public FailureRecord(DateTimeOffset time, string taskId, string? code, string message)
            : base(time)
        {
            TaskId = taskId;
            Code = code;
            Message = message;
        }

        public override string Type => TypeName;
        public string TaskId { get; }
        public string? Code { get; }
        public string Message { get; }
    }

    /// <summary>The first line of a compacted file: when compaction ran (so it runs at most once a day) and what it removed.</summary>
    public sealed class CompactionRecord : JournalRecord
    {
        public const string TypeName = "compacted";

        public CompactionRecord(DateTimeOffset time, string compactionId, int removedRecords)
            : base(time)
        {
            CompactionId = compactionId;
            RemovedRecords = removedRecords;
        }

        public override string Type => TypeName;

        /// <summary>Unique per compaction, so a reader that cached the old file sees that the file was replaced.</summary>
        public string CompactionId { get; }
        public int RemovedRecords { get; }
    }
}
