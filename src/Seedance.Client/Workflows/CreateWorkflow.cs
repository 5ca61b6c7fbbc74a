using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Uploads;
using Seedance.Client.Validation;

namespace Seedance.Client.Workflows
{
    /// <summary>
    /// Every money decision of one command that creates (New-SeedanceTask, or Wait-SeedanceTask -RetryFailed through
    /// <see cref="Resubmission"/>), for each create: -MaxCredits (this command's own total, in memory), the row's Name (a
    /// task already made for it is used instead; a create of it whose outcome is unknown is refused unless -Force), the
    /// daily credit limit (all processes, from the journal), and what ends the command's creates (<see cref="EndedBy"/>).
    /// One path for both: <see cref="Plan"/> before ShouldProcess (what -WhatIf shows, without a lock), then
    /// <see cref="Confirmed"/> with its answer, then <see cref="CreateAsync"/>: the checks again atomically under the
    /// journal's lock, which also writes the intent (the request on disk before it is sent), the create sent, waiting for
    /// a free slot on 429, its outcome classified and recorded, and returned for the command to turn into output or an error.
    /// </summary>
    public sealed class CreateWorkflow
    {
        private readonly TaskJournal _journal;
        private readonly decimal? _dailyLimit;
        private readonly decimal? _maxCredits;
        private readonly bool _force;
        private readonly ApiKey? _key;
        private decimal _spentByCommand;
        private decimal _previewedCredits;
        private decimal _previewedUsd;
        private int _previewedTasks;
        private int _slotWaitUnrecordedSaid;

        private CreateWorkflow(TaskJournal journal, decimal? dailyLimit, decimal? maxCredits, bool force, ApiKey? key, bool whatIf)
        {
            _key = key;
            _journal = journal;
            _dailyLimit = dailyLimit;
            _maxCredits = maxCredits;
            _force = force;
            WhatIf = whatIf;
        }

        /// <summary>
        /// The workflow of one command (New-SeedanceTask, or Wait-SeedanceTask -RetryFailed's resubmissions), before any
        /// create. A journal the creates cannot use (read-only: a create needs its intent on disk before it is sent; or
        /// off under a daily limit, <see cref="TaskJournal.DailyLimitNeedsTheJournal"/>) ends them before the first
        /// (<see cref="EndedBy"/>).
        /// </summary>
        /// <param name="dailyLimitSource">Where the daily limit came from (named when it cannot hold).</param>
        /// <param name="key">The key requests go with: a request that carries it is refused (<see cref="CreateTaskRequestValidator.KeyCarried"/>).</param>
        /// <param name="whatIf">-WhatIf: a create ShouldProcess declines is counted as if sent (<see cref="Confirmed"/>).</param>
        public static CreateWorkflow Open(TaskJournal journal, decimal? dailyLimit, string? dailyLimitSource, decimal? maxCredits, bool force, ApiKey? key = null, bool whatIf = false)
        {
            CreateWorkflow workflow = new CreateWorkflow(journal, dailyLimit, maxCredits, force, key, whatIf);
            try
            {
                journal.ThrowIfReadOnly();
                workflow.EndedBy = TaskJournal.DailyLimitNeedsTheJournal(dailyLimit, journal.IsEnabled, dailyLimitSource);
            }
            catch (JournalException e)
            {
                workflow.EndedBy = e;
            }

            return workflow;
        }

        /// <summary>
        /// Rule: what ends this command's creates, each refused with it from then on: a journal they cannot use (from the
        /// start), or a failure every further create would meet alike (<see cref="IsFatalForTheBatch"/>). Null while they go on.
        /// </summary>
        public SeedanceException? EndedBy { get; private set; }

        public bool WhatIf { get; }

        /// <summary>The task journal the creates are checked against and recorded in.</summary>
        internal TaskJournal Journal => _journal;

        /// <summary>
        /// Before ShouldProcess, everything one create is judged by, in the order the user hears it: the request against
        /// the catalog and the host (with the problems found while binding it and the local files that cannot be used),
        /// the warnings of a valid request, its price (a budget never guesses: <see cref="CreateRows.BudgetNeedsPrice"/>),
        /// then <see cref="Check"/>. A plan with failures is not checked: nothing is sent. Sends and writes nothing.
        /// </summary>
        /// <exception cref="JournalException">The journal cannot be read.</exception>
        public CreateCheck Plan(
            CreateTaskRequest request, PriceTable catalog, RequestShape? shape, Uri? baseUri,
            IEnumerable<ValidationFailure>? bindingFailures = null, MaterialSelection? materials = null, JournalAttempt? attempt = null)
        {
            // A request that carries the key is refused by that alone: the other failures' messages quote the values.
            if (_key is not null && CreateTaskRequestValidator.KeyCarried(request, _key, bindingFailures) is ValidationFailure keyCarried)
            {
                return new CreateCheck(request) { Failures = new[] { keyCarried } };
            }

            List<ValidationFailure> failures = (bindingFailures ?? Array.Empty<ValidationFailure>())
                .Concat(CreateTaskRequestValidator.Validate(request, catalog, shape)).ToList();

            if (failures.Count > 0 || materials?.Failures.Count > 0)
            {
                return new CreateCheck(request) { Failures = failures, UnusableFiles = materials?.Failures ?? Array.Empty<LocalMaterialException>() };
            }

            IReadOnlyList<string> warnings = CreateTaskRequestValidator.Warnings(request, catalog, baseUri);
            CreditCost cost = catalog.CostOf(request);
            ValidationFailure? unpriced = CreateRows.BudgetNeedsPrice(request, cost, _maxCredits is not null || _dailyLimit is not null);
            CreateCheck check = unpriced is null ? Check(request, cost.Credits, attempt) : new CreateCheck(request) { Failures = new[] { unpriced } };
            check.Warnings = warnings;
            check.Cost = cost;
            check.Shape = shape;
            return check;
        }

        /// <summary>
        /// Before ShouldProcess: a refusal, or the task the journal already has for this row, and otherwise the note for
        /// the ShouldProcess action (budget left, what the journal knows of the Name). Sends and writes nothing.
        /// </summary>
        /// <exception cref="JournalException">The journal cannot be read.</exception>
        /// <param name="attempt">A resubmission of a failed task (Wait-SeedanceTask -RetryFailed): matched by the task it
        /// sends again (<see cref="JournalSnapshot.FindForResubmission"/>), so its own failure does not refuse it.</param>
        public CreateCheck Check(CreateTaskRequest request, decimal credits, JournalAttempt? attempt = null)
        {
            if (EndedBy is not null)
            {
                return new CreateCheck(request) { Refusal = EndedBy };
            }

            // What -WhatIf showed counts as spent, as the real run would have spent it: the rows then add up.
            decimal committed = _spentByCommand + _previewedCredits;
            if (_maxCredits is decimal max && committed + credits > max)
            {
                return new CreateCheck(request) { Refusal = new BudgetExceededException(BudgetKind.MaxCredits, committed, max, credits, request) };
            }

            string note = _maxCredits is decimal maxLeft ? $"; -MaxCredits {Number(maxLeft)}: {Number(maxLeft - committed - credits)} left after it" : string.Empty;
            if (!_journal.IsEnabled)
            {
                return new CreateCheck(request) { Note = note };
            }

            // The journal's decision, with what -WhatIf showed counted as spent against the daily limit.
            JournalReservation known = _journal.CheckCreate(request.Name, _dailyLimit, request, attempt, credits + _previewedCredits, _force);
            switch (known.Outcome)
            {
                case JournalReservationOutcome.ExistingTask:
                    return new CreateCheck(request) { Existing = known.ExistingTask };
                case JournalReservationOutcome.Reserved:
                    break;
                default:
                    return new CreateCheck(request) { Refusal = Refusal(known, request, credits, _previewedCredits) };
            }

            if (request.Name is not null && attempt is null)
            {
                note += known.Forced && known.Task!.IsOutcomeUnknown
                    ? $"; row '{request.Name}' was sent before with an unknown outcome, and -Force sends it again"
                    : known.Forced
                    ? $"; row '{request.Name}' failed before with this request, and -Force sends it again"
                    : known.Task is JournalTaskSummary failed && failed.State == JournalTaskState.Fail
                    ? $"; row '{request.Name}' failed before ({failed.TaskId}, {FailureClasses.Classify(failed.Error)}: {TaskFailedException.ReasonOf(failed.Error)}), and this creates it again"
                    : known.InOtherBatch is JournalTaskSummary other
                    ? $"; row '{request.Name}' has no task in this batch ({request.Batch}) yet: the task of that Name in batch {other.Batch} ({other.TaskId ?? "outcome unknown"}) is not used"
                    : $"; row '{request.Name}' has no task in the journal yet";
            }

            if (known.Spent is decimal spentBefore && _dailyLimit is decimal limit)
            {
                decimal spent = spentBefore + _previewedCredits;
                note += $"; daily credit limit {Number(limit)}: {Number(limit - spent - credits)} left after it";
            }

            if (known.SameUnnamed is JournalTaskSummary same)
            {
                note += $"; a create of the same request without a Name was made {Age(known.CheckedAt, same.CreatedAt)} ago ({same.TaskId ?? "outcome unknown"}), and this sends it again";
                return new CreateCheck(request) { Note = note, SameUnnamed = same };
            }

            return new CreateCheck(request) { Note = note, NameInOtherBatch = request.Name is not null ? known.InOtherBatch : null };
        }

        /// <summary>
        /// ShouldProcess's answer to a create its check passed; true: go on to <see cref="CreateAsync"/>. A row sent, or
        /// shown by -WhatIf, is noted for the command's closing lines (<see cref="Notes"/>). Rule: a create -WhatIf showed
        /// is counted as if sent, so that the next check refuses what the real run would refuse and its note says what
        /// would be left, and it is totalled for the closing line (<see cref="PreviewSummary"/>).
        /// </summary>
        public bool Confirmed(CreateCheck check, bool confirmed)
        {
            if (confirmed || WhatIf)
            {
                Notes.Sending(check.Request, check, sent: confirmed);
            }

            if (!confirmed && WhatIf)
            {
                _previewedCredits += check.Cost!.Credits;
                _previewedUsd += check.Cost.PriceUsd;
                _previewedTasks++;
            }

            return confirmed;
        }

        /// <summary>-WhatIf adds up: the closing line with what the whole command would create and cost.</summary>
        public string PreviewSummary => string.Format(CultureInfo.InvariantCulture, "What if: {0} task{1} would be created, {2:0.##} credits (${3:0.00}) in all.",
            _previewedTasks, _previewedTasks == 1 ? string.Empty : "s", _previewedCredits, _previewedUsd);

        /// <summary>What one command says at its end about the rows the journal matched (see <see cref="RowNotes"/>).</summary>
        public RowNotes Notes { get; } = new RowNotes();

        /// <summary>
        /// After ShouldProcess and the uploads: the checks again under the lock with the intent written, then the create
        /// sent (waiting for a free slot as long as <paramref name="slotTimeout"/> allows, null: as long as it takes),
        /// its outcome recorded in the journal. A journal that cannot record something after the send is reported as a
        /// warning through <paramref name="progress"/>: the task is not undone by it.
        /// </summary>
        /// <exception cref="JournalException">The intent, or a try sent again after a slot wait, cannot be recorded: that create is not sent.</exception>
        public async Task<CreateOutcome> CreateAsync(
            SeedanceClient client, CreateTaskRequest request, decimal credits, TimeSpan? slotTimeout, IProgress<CreateProgress>? progress, CancellationToken cancellationToken,
            JournalAttempt? attempt = null)
        {
            JournalReservation reservation = _journal.ReserveCreate(request, request.Name, credits, _dailyLimit, _force && attempt is null, attempt);
            if (reservation.Outcome == JournalReservationOutcome.ExistingTask)
            {
                return new CreateOutcome { Existing = reservation.ExistingTask };
            }

            if (reservation.Outcome != JournalReservationOutcome.Reserved)
            {
                return new CreateOutcome { Error = Refusal(reservation, request, credits, 0m) };
            }

            // Counted now: a create that is sent may be billed, whatever answer comes back.
            _spentByCommand += credits;
            JournalReservation intent = reservation;

            // Whether the create is on its way (its outcome unknown if stopped now) or only waiting for a free slot
            // (then the service certainly has not taken it): set by the slot wait's own events.
            bool onItsWay = true;
            SlotWait slotWait = new SlotWait
            {
                Timeout = slotTimeout,
                Waiting = notice =>
                {
                    onItsWay = false;
                    progress?.Report(new CreateProgress(request, notice, null));

                    // A 429: not taken. Unrecorded, the create only stays "in flight", the safe side: said once, the wait goes on.
                    Record(progress, request, () => _journal.RecordSlotWait(intent, waiting: true), "A create waits for a free slot, and", once: true);
                },

                // Recorded before the try, as the intent was before the first: unrecorded, it is not sent (its last word
                // stays "waiting", so it was never taken) and the JournalException ends the create.
                Resending = () =>
                {
                    _journal.RecordSlotWait(intent, waiting: false);
                    onItsWay = true;
                },
            };

            DateTimeOffset createdAt = DateTimeOffset.UtcNow;
            try
            {
                string taskId = await client.CreateTaskAsync(request, slotWait, cancellationToken).ConfigureAwait(false);
                Record(progress, request, () => _journal.RecordCreated(intent, taskId), $"Task {taskId} was created and is billed, but");
                return new CreateOutcome { Task = CreateRows.Created(taskId, request, createdAt) };
            }
            catch (CreateOutcomeUnknownException e)
            {
                Record(progress, request, () => _journal.RecordOutcomeUnknown(intent, $"no answer to the create sent at {e.SentAt.ToUniversalTime():u}: {e.InnerException?.Message ?? e.Message}"),
                    "The create's outcome is unknown, and");
                return CreateOutcome.Failed(e, CreateFailure.OutcomeUnknown);
            }
            catch (JournalException)
            {
                throw;
            }
            catch (SeedanceException e)
            {
                string errorId = e.ErrorId;
                if (CertainlyNotCreated(e))
                {
                    _spentByCommand -= credits;
                    Record(progress, request, () => _journal.RecordCreateRefused(intent, errorId, e.Message), "The create was refused, and");
                    if (IsFatalForTheBatch(e))
                    {
                        EndedBy = e;
                        return CreateOutcome.Failed(e, CreateFailure.FatalForTheBatch);
                    }

                    return CreateOutcome.Failed(e, CreateFailure.NotCreated);
                }

                // A 5xx (the service may have acted on it before failing), or anything else after sending.
                Record(progress, request, () => _journal.RecordOutcomeUnknown(intent, $"{errorId}: {e.Message}"), "The create's outcome is unknown, and");
                return CreateOutcome.Failed(e, CreateFailure.MayExist);
            }
            catch (OperationCanceledException)
            {
                // Stopped: while only waiting for a slot, the service certainly has nothing; while sending, it may.
                if (!onItsWay)
                {
                    _spentByCommand -= credits;
                    Record(null, request, () => _journal.RecordCreateRefused(intent, "Stopped", "stopped while waiting for a free slot; never sent"), string.Empty);
                    return new CreateOutcome { IsStopped = true };
                }

                Record(null, request, () => _journal.RecordOutcomeUnknown(intent, "stopped (Ctrl+C) while the create was being sent"), string.Empty);
                return new CreateOutcome { IsStopped = true, MayExist = true };
            }
        }

        /// <summary>
        /// Rule: the service certainly did not take the create (nothing is billed, its Name is free again) after a 4xx
        /// (400/401/402/403/404, or a 429 past -SlotTimeout) or a connection never made. A 5xx, a lost answer or an
        /// unreadable one may have made the task.
        /// </summary>
        public static bool CertainlyNotCreated(Exception e) =>
            (e is SeedanceApiException api && (int)api.StatusCode >= 400 && (int)api.StatusCode < 500) ||
            e is SeedanceException { Problem: SeedanceProblem.ConnectionNotMade or SeedanceProblem.TlsFailure };

        /// <summary>
        /// Rule: a failure every further create or upload of the batch would meet the same way ends the batch: no key,
        /// no access or no credits, no createTask endpoint at this base URI (a 404 to a create, which names no
        /// resource), or a host without uploads.
        /// </summary>
        public static bool IsFatalForTheBatch(Exception e) =>
            e is SeedanceException { Problem: SeedanceProblem.UploadsNotSupported } ||
            e is SeedanceApiException { ErrorId: "Unauthorized" or "Forbidden" or "InsufficientCredits" or "ApiEndpointNotFound" };

        /// <summary>The refusal of a create the journal does not allow; <paramref name="previewed"/>: what -WhatIf rows counted as spent.</summary>
        private static SeedanceException Refusal(JournalReservation answer, CreateTaskRequest request, decimal credits, decimal previewed) => answer.Outcome switch
        {
            JournalReservationOutcome.PossibleDuplicate => new PossibleDuplicateException(request.Name ?? answer.ExistingTask!.ToString(), answer.ExistingTask!, request),
            JournalReservationOutcome.FailedBefore => Problems.FailedBefore(request.Name ?? answer.ExistingTask!.ToString(), answer.ExistingTask!, request),
            _ => new BudgetExceededException(BudgetKind.DailyCreditLimit, answer.Spent!.Value + previewed, answer.DailyLimit ?? 0m, credits, request),
        };

        /// <summary>A record after the send: a journal that fails now does not undo what happened; it is said (once, for slot waits).</summary>
        private void Record(IProgress<CreateProgress>? progress, CreateTaskRequest request, Action record, string what, bool once = false)
        {
            try
            {
                record();
            }
            catch (JournalException e)
            {
                if (progress is not null && (!once || Interlocked.Exchange(ref _slotWaitUnrecordedSaid, 1) == 0))
                {
                    progress.Report(new CreateProgress(request, null, $"{what} the task journal could not record it: {e.Message}"));
                }
            }
        }

        /// <summary>"2 minutes", "3 hours": how long ago, for a person.</summary>
        public static string Age(DateTimeOffset now, DateTimeOffset then)
        {
            TimeSpan age = now - then;
            if (age < TimeSpan.FromMinutes(1))
            {
                return "less than a minute";
            }

            int value = age < TimeSpan.FromHours(1) ? (int)age.TotalMinutes : (int)age.TotalHours;
            string unit = age < TimeSpan.FromHours(1) ? "minute" : "hour";
            return value.ToString(CultureInfo.InvariantCulture) + " " + unit + (value == 1 ? string.Empty : "s");
        }

        private static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
    }
}
