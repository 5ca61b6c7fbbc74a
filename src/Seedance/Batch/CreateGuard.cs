using System;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using Seedance.Client;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Commands.Configuration;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// What New-SeedanceTask checks before it pays, and what it journals about each create: -MaxCredits (this command's
    /// own total, in memory), the row's Name (a task already made for it is used instead; a create of it whose outcome is
    /// unknown is refused unless -Force), and the daily credit limit (all processes, from the journal). The checks run
    /// twice: <see cref="Check"/> before ShouldProcess (what -WhatIf shows, without a lock), then <see cref="Reserve"/>,
    /// atomically under the journal's lock, which also writes the intent, the request on disk before it is sent.
    /// </summary>
    internal sealed class CreateGuard
    {
        private readonly CommandJournal _journal;
        private readonly decimal? _dailyLimit;
        private readonly decimal? _maxCredits;
        private readonly bool _force;
        private decimal _spentByCommand;

        private CreateGuard(CommandJournal journal, decimal? dailyLimit, decimal? maxCredits, bool force)
        {
            _journal = journal;
            _dailyLimit = dailyLimit;
            _maxCredits = maxCredits;
            _force = force;
        }

        /// <summary>
        /// The guard of one New-SeedanceTask, or null with the terminating error that stops it before any create: a
        /// daily limit that is no number, or a daily limit with the journal off (what was spent cannot be known).
        /// </summary>
        public static CreateGuard? Open(JournalSettings settings, CommandJournal journal, decimal? maxCredits, bool force, out ErrorRecord? unusable)
        {
            unusable = null;
            if (settings.DailyCreditLimitProblem is string problem)
            {
                unusable = JournalErrors.BadSetting("InvalidDailyCreditLimit", problem, SeedanceConfiguration.DailyCreditLimitVariable);
                return null;
            }

            if (settings.DailyCreditLimit is decimal limit && !journal.IsEnabled)
            {
                unusable = JournalErrors.Journal(new JournalException(JournalFailureReason.Disabled, null,
                    $"A daily credit limit ({Number(limit)} credits, from {settings.DailyCreditLimitSource}) is set, but the task journal is off, so the " +
                    "credits already spent cannot be known and nothing was created. Turn the journal on, or remove the limit."));
                return null;
            }

            return new CreateGuard(journal, settings.DailyCreditLimit, maxCredits, force);
        }

        /// <summary>
        /// Before ShouldProcess: a refusal, or the task the journal already has for this row, and otherwise the note for
        /// the ShouldProcess action (budget left, what the journal knows of the Name). Sends and writes nothing.
        /// </summary>
        /// <exception cref="JournalException">The journal cannot be read.</exception>
        public CreateCheck Check(CreateTaskRequest request, decimal credits)
        {
            if (_maxCredits is decimal max && _spentByCommand + credits > max)
            {
                return CreateCheck.Refused(new BudgetExceededException(BudgetKind.MaxCredits, _spentByCommand, max, credits, request));
            }

            string note = _maxCredits is decimal maxLeft ? $"; -MaxCredits {Number(maxLeft)}: {Number(maxLeft - _spentByCommand)} left" : string.Empty;
            if (!_journal.IsEnabled || (request.Name is null && _dailyLimit is null))
            {
                return CreateCheck.Go(note);
            }

            JournalCreateCheck known = _journal.Journal.CheckCreate(request.Name, _dailyLimit);
            if (request.Name is not null)
            {
                JournalNameMatch match = known.Name;
                if (match.Kind == JournalNameMatchKind.ExistingTask)
                {
                    return CreateCheck.Reuse(match.Task!);
                }

                if (match.Kind == JournalNameMatchKind.OutcomeUnknown && !_force)
                {
                    return CreateCheck.Refused(new PossibleDuplicateException(request.Name, match.Task!, request));
                }

                note += match.Kind == JournalNameMatchKind.OutcomeUnknown
                    ? $"; row '{request.Name}' was sent before with an unknown outcome, and -Force sends it again"
                    : $"; row '{request.Name}' has no task in the journal yet";
            }

            if (known.Budget is JournalBudget budget && _dailyLimit is decimal limit)
            {
                if (!budget.Allows(credits))
                {
                    return CreateCheck.Refused(new BudgetExceededException(BudgetKind.DailyCreditLimit, budget.Spent, limit, credits, request));
                }

                note += $"; daily credit limit {Number(limit)}: {Number(budget.Remaining ?? 0m)} left";
            }

            return CreateCheck.Go(note);
        }

        /// <summary>
        /// After ShouldProcess and the uploads: the checks again, under the lock, and the intent written. Only a
        /// <see cref="JournalReservationOutcome.Reserved"/> answer may be sent, and exactly the request reserved.
        /// </summary>
        /// <exception cref="JournalException">The intent cannot be written: nothing may be sent.</exception>
        public CreateReservation Reserve(CreateTaskRequest request, decimal credits)
        {
            JournalReservation reservation = _journal.Journal.ReserveCreate(request, request.Name, credits, _dailyLimit, _force);
            switch (reservation.Outcome)
            {
                case JournalReservationOutcome.ExistingTask:
                    return CreateReservation.Reuse(reservation.ExistingTask!);
                case JournalReservationOutcome.PossibleDuplicate:
                    return CreateReservation.Refused(new PossibleDuplicateException(request.Name!, reservation.ExistingTask!, request));
                case JournalReservationOutcome.BudgetExceeded:
                    return CreateReservation.Refused(new BudgetExceededException(BudgetKind.DailyCreditLimit, reservation.Budget!.Spent, reservation.Budget.Limit ?? 0m, credits, request));
                default:
                    // Counted now: a create that is sent may be billed, whatever answer comes back.
                    _spentByCommand += credits;
                    return CreateReservation.Go(reservation.Intent!);
            }
        }

        /// <summary>The service answered with an id. A journal that fails now does not undo the task: it is still emitted, with a warning.</summary>
        public void Created(JournalIntent intent, string taskId, Action<string> warn) =>
            Close(warn, () => _journal.Journal.RecordCreated(intent, taskId), $"Task {taskId} was created and is billed, but");

        /// <summary>A 429: the service did not take it and the create waits for a free slot (a kill now leaves it unpaid).</summary>
        public void WaitingForSlot(JournalIntent intent, IPipelineOutput output) => _journal.WaitingForSlot(intent, output);

        /// <summary>
        /// About to send the create again after a slot wait. Recorded first, as the intent was before the first try: a
        /// journal that cannot be written stops the create here, unsent (JournalException).
        /// </summary>
        public void SendingAgain(JournalIntent intent) => _journal.Journal.RecordSlotWait(intent, waiting: false);

        /// <summary>Sent, and no usable answer (a lost answer, a 5xx, Ctrl+C while sending): the task may exist.</summary>
        public void OutcomeUnknown(JournalIntent intent, string reason, Action<string> warn) =>
            Close(warn, () => _journal.Journal.RecordOutcomeUnknown(intent, reason), "The create's outcome is unknown, and");

        /// <summary>The service certainly did not take it (a 4xx, a 429 past -SlotTimeout, stopped while waiting for a slot): nothing is billed.</summary>
        public void Refused(JournalIntent intent, decimal credits, string? errorId, string message, Action<string> warn)
        {
            _spentByCommand -= credits;
            Close(warn, () => _journal.Journal.RecordCreateRefused(intent, errorId, message), "The create was refused, and");
        }

        /// <summary>Whether the row's request is what the journal's task was made from (else the row changed since).</summary>
        public static bool SameRequest(CreateTaskRequest? made, CreateTaskRequest asked) =>
            made is null || (made.Prompt == asked.Prompt && made.Model == asked.Model && made.Duration == asked.Duration && made.Ratio == asked.Ratio &&
                made.ImageUrls.SequenceEqual(asked.ImageUrls) && made.VideoUrls.SequenceEqual(asked.VideoUrls));

        private static void Close(Action<string> warn, Action record, string what)
        {
            try
            {
                record();
            }
            catch (JournalException e)
            {
                warn($"{what} the task journal could not record it: {e.Message}");
            }
        }

        private static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>The answer of <see cref="CreateGuard.Check"/>.</summary>
    internal sealed class CreateCheck
    {
        private CreateCheck(SeedanceException? refusal, JournalTaskSummary? existing, string note)
        {
            Refusal = refusal;
            Existing = existing;
            Note = note;
        }

        /// <summary>BudgetExceeded or PossibleDuplicate: write it as the row's error, send nothing.</summary>
        public SeedanceException? Refusal { get; }

        /// <summary>The task the journal already has for this row: emit it instead of creating one.</summary>
        public JournalTaskSummary? Existing { get; }

        /// <summary>Appended to the ShouldProcess action: budget left, what the journal knows of the Name.</summary>
        public string Note { get; }

        public static CreateCheck Refused(SeedanceException refusal) => new CreateCheck(refusal, null, string.Empty);

        public static CreateCheck Reuse(JournalTaskSummary existing) => new CreateCheck(null, existing, string.Empty);

        public static CreateCheck Go(string note) => new CreateCheck(null, null, note);
    }

    /// <summary>The answer of <see cref="CreateGuard.Reserve"/>.</summary>
    internal sealed class CreateReservation
    {
        private CreateReservation(JournalIntent? intent, SeedanceException? refusal, JournalTaskSummary? existing)
        {
            Intent = intent;
            Refusal = refusal;
            Existing = existing;
        }

        /// <summary>Set when the create may be sent (with the journal off too: then it records nothing).</summary>
        public JournalIntent? Intent { get; }

        public SeedanceException? Refusal { get; }

        public JournalTaskSummary? Existing { get; }

        public static CreateReservation Go(JournalIntent intent) => new CreateReservation(intent, null, null);

        public static CreateReservation Refused(SeedanceException refusal) => new CreateReservation(null, refusal, null);

        public static CreateReservation Reuse(JournalTaskSummary existing) => new CreateReservation(null, null, existing);
    }
}
