using System;
using System.Collections.Generic;
using System.Globalization;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Uploads;
using Seedance.Client.Validation;

namespace Seedance.Client.Workflows
{
    /// <summary>
    /// The answer before ShouldProcess. From <see cref="CreateWorkflow.Plan"/>: the request's problems (one error each, and
    /// nothing is sent), or its warnings and price; and from <see cref="CreateWorkflow.Check"/>: go (with a note for
    /// ShouldProcess), reuse, or refused.
    /// </summary>
    public sealed class CreateCheck
    {
        internal CreateCheck(CreateTaskRequest request)
        {
            Request = request;
        }

        public CreateTaskRequest Request { get; }

        /// <summary>What is wrong with the request itself (a value, a limit of the model, a price a budget needs).</summary>
        public IReadOnlyList<ValidationFailure> Failures { get; internal set; } = Array.Empty<ValidationFailure>();

        /// <summary>Local files that cannot be used (missing, unreadable, not media).</summary>
        public IReadOnlyList<LocalMaterialException> UnusableFiles { get; internal set; } = Array.Empty<LocalMaterialException>();

        public bool HasProblems => Failures.Count > 0 || UnusableFiles.Count > 0;

        /// <summary>Said before anything is asked: the request is sent as it is, but may not do what the user meant.</summary>
        public IReadOnlyList<string> Warnings { get; internal set; } = Array.Empty<string>();

        /// <summary>The price (from <see cref="CreateWorkflow.Plan"/>); null when the request has problems.</summary>
        public CreditCost? Cost { get; internal set; }

        /// <summary>A named row with no task in its batch whose Name has a task in another batch: created anew, and the command says so.</summary>
        public JournalTaskSummary? NameInOtherBatch { get; internal set; }

        /// <summary>A row without a Name that matches a recent create of the same request: it is sent again, and the command says so.</summary>
        public JournalTaskSummary? SameUnnamed { get; internal set; }

        /// <summary>BudgetExceeded, PossibleDuplicate or FailedBefore: the row's error; nothing is sent.</summary>
        public SeedanceException? Refusal { get; internal set; }

        /// <summary>The task the journal already has for this row: emitted instead of creating one.</summary>
        public JournalTaskSummary? Existing { get; internal set; }

        /// <summary>Appended to the ShouldProcess action: budget left, what the journal knows of the Name.</summary>
        public string Note { get; internal set; } = string.Empty;

        /// <summary>What the check settles without sending anything (a refusal, or the journal's task for the row); null: go.</summary>
        public CreateOutcome? Settled => Refusal is not null ? new CreateOutcome { Error = Refusal } : Existing is not null ? new CreateOutcome { Existing = Existing } : null;

        /// <summary>What ShouldProcess names: "'A fox...' (seedance-20, 5s, 16:9, 1 image(s), 0 video(s), request shape Seed)".</summary>
        public string Target
        {
            get
            {
                ModelSpec? spec = Request.Spec;
                return $"'{Request.PromptExcerpt(60)}' ({Request.Model}, " +
                    (spec is null || spec.TakesDuration ? $"{Request.Duration}s" : "the source's length") + (spec is null || spec.TakesRatio ? $", {Request.Ratio}" : string.Empty) +
                    (Request.ImageUrls.Count + Request.VideoUrls.Count + Request.AudioUrls.Count > 0
                        ? $", {Request.ImageUrls.Count} image(s), {Request.VideoUrls.Count} video(s)" + (Request.AudioUrls.Count > 0 ? $", {Request.AudioUrls.Count} audio" : string.Empty)
                        : string.Empty) +
                    Request.AdditionalInputsSummary + $", request shape {Shape ?? RequestShape.Seed})";
            }
        }

        /// <summary>What ShouldProcess asks: the price (or that it is unknown) and the note (budget left, what the journal knows).</summary>
        public string Action =>
            (!Cost!.PriceKnown
                ? $"Create Seedance task, price unknown ('{Request.Model}' is not in the catalog)"
                : Cost.FinalMayChange
                    ? string.Format(CultureInfo.InvariantCulture, "Create Seedance task costing up to {0} credits (${1:0.00}; {2})", Cost.Credits, Cost.PriceUsd, Cost.Charge)
                    : string.Format(CultureInfo.InvariantCulture, "Create Seedance task costing {0} credits (${1:0.00})", Cost.Credits, Cost.PriceUsd)) + Note;

        internal RequestShape? Shape { get; set; }
    }

    /// <summary>How a create that was sent failed, which decides what the command does next.</summary>
    public enum CreateFailure
    {
        /// <summary>Not sent, or sent and certainly not taken (a 4xx, a connection never made): nothing billed; the row's error, the batch goes on.</summary>
        NotCreated,

        /// <summary>Not taken, and every further create would fail alike (no key, access, credits or endpoint): the batch ends.</summary>
        FatalForTheBatch,

        /// <summary>The service may have acted on it before failing (a 5xx): the row's error, the batch goes on.</summary>
        MayExist,

        /// <summary>Sent and no usable answer (CreateOutcomeUnknown): the task may exist and be billed; the batch ends so the user can check.</summary>
        OutcomeUnknown,
    }

    /// <summary>What one create came to, recorded in the journal already: a row's first, or a failed task's resubmission.</summary>
    public sealed class CreateOutcome
    {
        /// <summary>Set when the service created the task: as the command emits it (<see cref="CreateRows.Created"/>).</summary>
        public SeedanceTask? Task { get; internal set; }

        public string? TaskId => Task?.TaskId;

        /// <summary>The task the journal has for this row (found by the check, or made by another process before the lock): it is the row's task.</summary>
        public JournalTaskSummary? Existing { get; internal set; }

        /// <summary>Why there is no task: a refusal before sending (Failure null) or the send's failure.</summary>
        public SeedanceException? Error { get; internal set; }

        public CreateFailure? Failure { get; internal set; }

        /// <summary>
        /// Rule: a lost answer ends the batch so the user can check before anything else is spent, and so does a failure
        /// every further create would meet (<see cref="CreateFailure.FatalForTheBatch"/>); any other failure is the row's error.
        /// </summary>
        public bool EndsTheBatch => Failure == CreateFailure.OutcomeUnknown || Failure == CreateFailure.FatalForTheBatch;

        /// <summary>Stopped (Ctrl+C, or the pipeline ended) while sending or waiting for a slot.</summary>
        public bool IsStopped { get; internal set; }

        /// <summary>The task may exist and be billed with no id to name it: a stop while sending, or an outcome unknown.</summary>
        public bool MayExist { get; internal set; }

        /// <summary>A resubmission's request: the create a <see cref="MayExist"/> outcome leaves uncertain.</summary>
        public CreateTaskRequest? Request { get; internal set; }

        /// <summary>A resubmission's account for the Verbose stream: what was done and why.</summary>
        public string? Note { get; internal set; }

        internal static CreateOutcome Failed(SeedanceException error, CreateFailure failure) =>
            new CreateOutcome { Error = error, Failure = failure, MayExist = failure == CreateFailure.OutcomeUnknown };
    }

    /// <summary>
    /// What a create of <paramref name="Request"/> reports while it runs: a 429's wait for a free slot (<paramref name="Slot"/>:
    /// how long before it is sent again, for a progress bar), or a <paramref name="Warning"/> the user must hear that does
    /// not stop the create (the journal could not record a step).
    /// </summary>
    public sealed record CreateProgress(CreateTaskRequest Request, SlotWaitNotice? Slot, string? Warning);
}
