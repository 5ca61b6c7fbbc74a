using System;
using System.Collections.Generic;

namespace Seedance.Client.Models
{
    /// <summary>
    /// A create the task journal recorded as sent with no usable answer (CreateOutcomeUnknown, a 5xx, or a process
    /// that died while sending it): the task may exist and be billed, but its id is not known. Get-SeedanceTask lists
    /// it with the whole request, so it can be checked (the account's task history, or its callback) and, only then,
    /// sent again on purpose: piped to <c>New-SeedanceTask -Force</c>, its properties bind as the same request.
    /// </summary>
    /// <remarks>There is deliberately no TaskId: there is none to wait for or save, and none may be guessed.</remarks>
    public sealed class SeedanceUncertainCreate
    {
        /// <summary>The value of <see cref="Status"/>: what Get-SeedanceTask -Status filters on.</summary>
        public const string OutcomeUnknown = "OutcomeUnknown";

        /// <summary>A create still on its way (its process is alive): <see cref="Status"/> says so.</summary>
        public const string WaitingForSlot = "WaitingForSlot";

        /// <summary>A create its live process is sending right now.</summary>
        public const string Sending = "Sending";

        public SeedanceUncertainCreate(CreateTaskRequest request, DateTimeOffset sentAt, string reason, decimal? creditsReserved, string intentId, string status = OutcomeUnknown)
        {
            Status = status;
            Request = request;
            SentAt = sentAt;
            Reason = reason;
            CreditsReserved = creditsReserved;
            IntentId = intentId;
        }

        /// <summary>
        /// OutcomeUnknown (sent, no answer, and its process is gone: check before sending it again), or, while the process
        /// that journaled it is alive, WaitingForSlot (a 429: nothing taken yet) or Sending: that process records the answer.
        /// </summary>
        public string Status { get; }

        /// <summary>True only for OutcomeUnknown: a create still in flight in a live process must not be sent again.</summary>
        public bool IsUncertain => Status == OutcomeUnknown;

        /// <summary>The row key it was sent with (New-SeedanceTask -Name), or null.</summary>
        public string? Name => Request.Name;

        /// <summary>The batch of its Name; binds to New-SeedanceTask -Batch, so a create sent again stays in its batch.</summary>
        public string? Batch => Request.Batch;

        public string Prompt => Request.Prompt;
        public string Model => Request.Model;
        public int Duration => Request.Duration;
        public string Ratio => Request.Ratio;

        // Every input of the request is a property here, under a name New-SeedanceTask binds, so that piping this to
        // New-SeedanceTask -Force (or Export-Csv, then Import-Csv | New-SeedanceTask -Force) sends the same request: a
        // property left out would be a paid video made without it.
        public CellList<string> ImageUrls => new CellList<string>(Request.ImageUrls, "; ");
        public CellList<string> VideoUrls => new CellList<string>(Request.VideoUrls, "; ");
        public CellList<string> AudioUrls => new CellList<string>(Request.AudioUrls, "; ");
        public string? Mode => Request.Mode;
        public string? CallbackUri => Request.CallbackUri?.AbsoluteUri;
        public RequestInputValues AdditionalInputs => new RequestInputValues(Request.AdditionalInputs);

        /// <summary>When the intent to create was journaled (just before the request was sent).</summary>
        public DateTimeOffset SentAt { get; }

        /// <summary>Why the outcome is unknown: the client's message, or that no answer was recorded.</summary>
        public string Reason { get; }

        /// <summary>The price the create reserved against the daily limit (it may have been billed).</summary>
        public decimal? CreditsReserved { get; }

        /// <summary>Ties the journal's records of this create together.</summary>
        public string IntentId { get; }

        /// <summary>The whole request, as the client would send it again.</summary>
        public CreateTaskRequest Request { get; }

        public override string ToString() => Status == OutcomeUnknown ? $"(outcome unknown) {Request.Describe(40)}" : $"({Status}) {Request.Describe(40)}";
    }
}
