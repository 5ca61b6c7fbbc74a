using System;
using System.Collections.Generic;
using System.Linq;
using Seedance.Client.Models;

namespace Seedance.Client.Journal
{
    /// <summary>Where a journaled task stands, as far as the journal knows.</summary>
    public enum JournalTaskState
    {
        /// <summary>A create was sent (or was about to be) and no answer was recorded: the task may exist and be billed.</summary>
        OutcomeUnknown,
        Waiting,
        Generating,
        Success,
        Fail,

        /// <summary>The service reported a status this version does not know (its word is in StatusText).</summary>
        Unknown,

        /// <summary>
        /// A create without an answer yet whose process is alive and waits for a free slot (the service answered 429:
        /// nothing is taken or billed yet). Never stored: what <see cref="JournalTaskSummary.CurrentState"/> shows.
        /// </summary>
        WaitingForSlot,

        /// <summary>A create without an answer yet whose process is alive and is sending it: it will record the answer.</summary>
        Sending,
    }

    /// <summary>A file a task's video was saved to.</summary>
    public sealed record JournalSavedFile(string Path, long Bytes, DateTimeOffset SavedAt);

    /// <summary>Which failed task of the row a create sends again (<c>RetryOf</c>), and the row's attempt number it becomes (<c>Number</c>: 2 for the first resubmission).</summary>
    public sealed record JournalAttempt(string RetryOf, int Number);

    /// <summary>
    /// The latest known state of one task (or of one create whose outcome is unknown). Every property is read from the
    /// records the fold gave it (its create's and its task's, in file order): the summary copies nothing.
    /// This is what Get-SeedanceTask lists without any request.
    /// </summary>
    public sealed class JournalTaskSummary
    {
        private readonly List<JournalRecord> _records = new List<JournalRecord>();
        private CreateTaskRequest? _request;

        internal JournalTaskSummary(DateTimeOffset firstSeen, Func<DateTimeOffset> clock)
        {
            CreatedAt = firstSeen;
            UpdatedAt = firstSeen;
            Clock = clock;
        }

        /// <summary>The service's id; null for a create whose outcome is unknown.</summary>
        public string? TaskId { get; internal set; }

        /// <summary>Ties the create's intent to its outcome; null for a task only ever seen through Get or Wait.</summary>
        public string? IntentId { get; internal set; }

        /// <summary>The row key given to New-SeedanceTask -Name (the intent's; when it has none, its create's first later word).</summary>
        public string? Name => _records.Where(record => record.Type == JournalRecord.Intent || record.Type == JournalRecord.Created || record.Type == JournalRecord.OutcomeUnknown)
            .Select(record => record.Name).FirstOrDefault(name => name is not null);

        /// <summary>The last status the service reported; before any, Waiting once the task has an id, else OutcomeUnknown.</summary>
        public JournalTaskState State => LastStatus(_ => true) is JournalRecord status ? FromStatus(status.TaskStatus!)
            : TaskId is null ? JournalTaskState.OutcomeUnknown : JournalTaskState.Waiting;

        /// <summary>The service's own word for the status, when one was seen.</summary>
        public string? StatusText => LastStatus(_ => true)?.StatusText;

        /// <summary>What the service last said it charged (kept across later reports that leave it out).</summary>
        public decimal? CreditsUsed => LastStatus(status => status.Credits is not null)?.Credits;

        /// <summary>What the create reserved by the price table, before the service said anything (for a charge that settles after success, its documented maximum).</summary>
        public decimal? CreditsReserved => Intent is null ? null : Intent.Credits ?? 0m;

        /// <summary>The create's charge changes after success (a reference video on 2.5, extend, edit): creditsUsed is final only once it settled.</summary>
        public bool ChargeSettlesAfterSuccess => Intent?.Settles == true;

        /// <summary>Wait read the settled charge after success: <see cref="CreditsUsed"/> is final.</summary>
        public bool ChargeFinal => LastStatus(status => status.ChargeFinal) is not null;

        /// <summary>The last videos reported (kept across later reports that leave them out).</summary>
        public IReadOnlyList<SeedanceVideo> Videos => LastStatus(status => status.Outputs.Count > 0)?.Outputs ?? Array.Empty<SeedanceVideo>();
        public SeedanceTaskError? Error => LastStatus(_ => true)?.Error;

        /// <summary>For a resubmission (Wait-SeedanceTask -RetryFailed): the row's failed task it sent again, and its attempt number.</summary>
        public JournalAttempt? Attempt => Intent?.RetryOf is string retryOf && Intent.Attempt is int number ? new JournalAttempt(retryOf, number) : null;

        /// <summary>The row's attempt this task is: 1 for a first create (and any task not resubmitted by the module).</summary>
        public int AttemptNumber => Attempt?.Number ?? 1;

        /// <summary>
        /// What was asked for (null for a task only ever seen through Get or Wait), read on first use from the intent, or
        /// when the intent is gone (a journal edited by hand) from the outcomeUnknown record, which repeats it.
        /// </summary>
        public CreateTaskRequest? Request => _request ??= (Intent ?? _records.Find(record => record.Type == JournalRecord.OutcomeUnknown))?.Request;

        /// <summary>The model asked for; for a task only looked up, the first the service reported.</summary>
        public string? Model => Request?.Model ?? _records.Find(record => record.Type == JournalRecord.Status && record.Model is not null)?.Model;
        public string? Prompt => Request?.Prompt;
        public int? Duration => Request?.Duration;
        public string? Ratio => Request?.Ratio;

        /// <summary>The batch its Name is a key in; null for a task only looked up, or created by 0.1.0 (any batch).</summary>
        public string? Batch => Request?.Batch;

        /// <summary>
        /// Whether this task belongs to <paramref name="batch"/>: the same batch (case ignored, as Names are), or no
        /// batch recorded (0.1.0's creates and tasks only looked up, which belong to every batch so old journals keep working).
        /// </summary>
        public bool IsInBatch(string? batch) => Batch is null || batch is null || string.Equals(Batch, batch, StringComparison.OrdinalIgnoreCase);

        /// <summary>When the create was journaled (or, for a looked-up task, when the service or the journal first saw it).</summary>
        public DateTimeOffset CreatedAt { get; private set; }

        /// <summary>When the service says the task finished (null until it has, or when it did not say).</summary>
        public DateTimeOffset? CompletedAt => LastStatus(status => status.CompletedAt is not null)?.CompletedAt;

        /// <summary>The time of the task's latest record.</summary>
        public DateTimeOffset UpdatedAt { get; private set; }

        public IReadOnlyList<JournalSavedFile> SavedFiles =>
            _records.Where(record => record.Type == JournalRecord.Saved).Select(saved => new JournalSavedFile(saved.Path!, saved.Bytes ?? 0, saved.Time)).ToList();

        /// <summary>Why the outcome is unknown (the client's message, or that no answer was recorded); null once the task has an id.</summary>
        public string? OutcomeUnknownReason =>
            TaskId is not null ? null
            : _records.FindLast(record => record.Type == JournalRecord.OutcomeUnknown) is JournalRecord unanswered ? unanswered.Reason ?? string.Empty
            : Intent is not null ? JournalSnapshot.NoAnswerRecorded
            : null;

        /// <summary>The process that journaled the create.</summary>
        public int? ProcessId => Intent is null ? null : Intent.ProcessId ?? 0;

        /// <summary>The machine of <see cref="ProcessId"/>.</summary>
        public string? Host => Intent?.Host;

        /// <summary>The create's intent record, whose fields (request, reservation, process, attempt) the properties above read.</summary>
        private JournalRecord? Intent => _records.Find(record => record.Type == JournalRecord.Intent);

        /// <summary>The journal's clock (tests inject theirs): how old a create of another machine is (<see cref="JournalProcesses.OtherHostSilence"/>).</summary>
        internal Func<DateTimeOffset> Clock { get; }

        /// <summary>The create's last slot-wait record was a 429 (not taken); it counts only while the create has no outcome.</summary>
        internal bool WaitingForSlot => _records.FindLast(record => record.Type == JournalRecord.SlotWait)?.Waiting == true;

        public bool IsOutcomeUnknown => State == JournalTaskState.OutcomeUnknown;

        /// <summary>
        /// <see cref="State"/> as it stands now for a create without an answer: <see cref="JournalTaskState.WaitingForSlot"/>
        /// or <see cref="JournalTaskState.Sending"/> while the process that journaled it is alive (it will record the
        /// answer itself), <see cref="JournalTaskState.OutcomeUnknown"/> once it is gone or when it recorded no answer (a
        /// create without a process id, from an older journal, has no live process). Worked out at each call: the same
        /// summary changes its word when that process ends.
        /// </summary>
        public JournalTaskState CurrentState =>
            State == JournalTaskState.OutcomeUnknown && TaskId is null && !HasOutcome && ProcessId > 0 && !JournalProcesses.HasEnded(ProcessId, Host, CreatedAt, UpdatedAt, Clock())
                ? (WaitingForSlot ? JournalTaskState.WaitingForSlot : JournalTaskState.Sending)
                : State;

        /// <summary>A create this or another live process is still waiting for or sending: not uncertain, and not to be sent again.</summary>
        public bool IsInFlight => CurrentState == JournalTaskState.WaitingForSlot || CurrentState == JournalTaskState.Sending;
        public bool IsFinished => State == JournalTaskState.Success || State == JournalTaskState.Fail;
        public bool IsSaved => _records.Exists(record => record.Type == JournalRecord.Saved);

        /// <summary>True when the create was made through the journal (it has an intent), so it counts for budget and usage.</summary>
        public bool IsJournaledCreate => IntentId is not null;

        /// <summary>Still needs something: not finished, or succeeded and not saved, or the create's outcome is unknown.</summary>
        public bool IsPending => !IsFinished || (State == JournalTaskState.Success && !IsSaved);

        /// <summary>
        /// What this task costs against the daily limit and in Get-SeedanceUsage. A task that ended Fail costs 0: failed
        /// tasks are refunded in full, while creditsUsed still shows the reserved amount (seedance-api.md, failure codes),
        /// so that figure is not a charge. Before its failure is known a task counts what the service says it charged,
        /// when it says more than 0, or else what the create reserved: a running task the service reports as 0 (charged
        /// later, on some hosts) still counts its price. A charge that settles after success counts the larger of what
        /// the service says and the documented maximum reserved, until Wait has read the final charge: what the service
        /// shows at submit is less than what it takes on success.
        /// </summary>
        public decimal ChargedCredits
        {
            get
            {
                if (State == JournalTaskState.Fail)
                {
                    return 0m;
                }

                if (ChargeSettlesAfterSuccess && !ChargeFinal)
                {
                    return Math.Max(CreditsUsed ?? 0m, CreditsReserved ?? 0m);
                }

                if (CreditsUsed is decimal used && (used > 0m || IsFinished))
                {
                    return used;
                }

                return CreditsReserved ?? 0m;
            }
        }

        /// <summary>
        /// Rule: what the service's answer does not echo (recordInfo has no Name, batch, prompt, duration or ratio) is
        /// filled in from the create this journal recorded. Never what the service does report (model, times): an answer
        /// that lacks those shows that it lacks them.
        /// </summary>
        public void CarryOverTo(SeedanceTask task)
        {
            task.Name ??= Name;
            task.Batch ??= Batch;
            task.Prompt ??= Prompt;
            task.Duration ??= Duration;
            task.Ratio ??= Ratio;
        }

        public string PromptExcerpt(int maxLength) => Request?.PromptExcerpt(maxLength) ?? string.Empty;

        /// <summary>The task as the cmdlets emit it (null when there is no task id: outcome unknown).</summary>
        public SeedanceTask? ToSeedanceTask()
        {
            if (TaskId is null)
            {
                return null;
            }

            return new SeedanceTask(TaskId)
            {
                Name = Name,
                Batch = Batch,
                Status = IsServiceState(State) ? State.ToString() : SeedanceTaskStatus.Unknown,
                StatusText = StatusText,
                Model = Model,
                Prompt = Prompt,
                Duration = Duration,
                Ratio = Ratio,
                CreditsUsed = CreditsUsed,
                Videos = Videos,
                Error = Error,
                CreatedAt = CreatedAt,
                CompletedAt = CompletedAt,
                UpdatedAt = UpdatedAt,
            };
        }

        /// <summary>An outcome-unknown create as Get-SeedanceTask lists it (null when the task has an id, or no request is known).</summary>
        public SeedanceUncertainCreate? ToUncertainCreate()
        {
            if (TaskId is not null || Request is null)
            {
                return null;
            }

            JournalTaskState now = CurrentState;
            string reason = now == JournalTaskState.WaitingForSlot ? $"process {ProcessId} on {Host} is waiting for a free slot to send it (nothing is taken yet)"
                : now == JournalTaskState.Sending ? $"process {ProcessId} on {Host} is sending it and will record the answer"
                : OutcomeUnknownReason ?? JournalSnapshot.NoAnswerRecorded;
            return new SeedanceUncertainCreate(Request, CreatedAt, reason, CreditsReserved, IntentId ?? string.Empty, now.ToString());
        }

        public override string ToString() => TaskId ?? $"(outcome unknown: {PromptExcerpt(40)})";

        /// <summary>A create the service certainly refused (and that has no task): it made nothing.</summary>
        internal bool CreateRefused => TaskId is null && _records.Exists(record => record.Type == JournalRecord.Refused);

        /// <summary>Any answer to the create was recorded, or the task is known by its id.</summary>
        internal bool HasOutcome => _records.Exists(record => record.Type != JournalRecord.Intent && record.Type != JournalRecord.SlotWait);

        /// <summary>The next record of this task or its create, in file order.</summary>
        internal void Add(JournalRecord record)
        {
            _records.Add(record);
            UpdatedAt = record.Time > UpdatedAt ? record.Time : UpdatedAt;
        }

        /// <summary>A task looked up before its creator's record arrived takes the create's records: one summary for both.</summary>
        internal void Absorb(JournalTaskSummary create)
        {
            IntentId = create.IntentId;
            _records.InsertRange(0, create._records);
            CreatedAt = create.CreatedAt < CreatedAt ? create.CreatedAt : CreatedAt;
            UpdatedAt = create.UpdatedAt > UpdatedAt ? create.UpdatedAt : UpdatedAt;
        }

        private JournalRecord? LastStatus(Predicate<JournalRecord> which) => _records.FindLast(record => record.Type == JournalRecord.Status && which(record));

        /// <summary>The service's four states have one name in both vocabularies; anything else is Unknown.</summary>
        internal static bool IsServiceState(JournalTaskState state) =>
            state == JournalTaskState.Waiting || state == JournalTaskState.Generating || state == JournalTaskState.Success || state == JournalTaskState.Fail;

        internal static JournalTaskState FromStatus(string status) =>
            Enum.TryParse(status, out JournalTaskState state) && IsServiceState(state) ? state : JournalTaskState.Unknown;
    }
}
