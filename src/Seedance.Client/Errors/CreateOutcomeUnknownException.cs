using System;
using Seedance.Client.Models;

namespace Seedance.Client
{
    /// <summary>
    /// A create was sent but no answer came (timeout, connection reset). The service may have created and billed
    /// the task, so the module never retries it; the request is kept so the user can look for it or decide.
    /// </summary>
    public sealed class CreateOutcomeUnknownException : SeedanceException
    {
        public CreateOutcomeUnknownException(CreateTaskRequest request, DateTimeOffset sentAt, Exception innerException)
            : base(
                $"The createTask request was sent at {sentAt:u} but no answer arrived ({innerException.Message}). " +
                "The task may exist and may be billed; it was not sent again. Prompt: '" + request.PromptExcerpt(80) +
                $"', model {request.Model}, {request.Duration}s, ratio {request.Ratio}.",
                innerException)
        {
            Request = request;
            SentAt = sentAt;
        }

        public CreateTaskRequest Request { get; }
        public DateTimeOffset SentAt { get; }
    }
}
