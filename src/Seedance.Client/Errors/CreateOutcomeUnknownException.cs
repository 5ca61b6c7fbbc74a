using System;
using Seedance.Client.Journal;
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
            : base("CreateOutcomeUnknown",
                $"The createTask request was sent at {sentAt:u} but no answer arrived ({innerException.Message}). " +
                "The task may exist and may be billed; it was not sent again. Prompt: '" + request.PromptExcerpt(80) +
                $"', model {request.Model}, {request.Duration}s, ratio {request.Ratio}. " + HowToCheck(request, sentAt),
                request, innerException)
        {
            Request = request;
            SentAt = sentAt;
        }

        public CreateTaskRequest Request { get; }
        public DateTimeOffset SentAt { get; }

        public override string Advice => HowToCheck(Request, SentAt);

        /// <summary>
        /// The API cannot list tasks, so the only ways to learn whether the task exists are outside it: the account's
        /// task history, the balance, or the callback. Said in the message, because resubmitting blindly pays twice.
        /// </summary>
        public static string HowToCheck(CreateTaskRequest request, DateTimeOffset sentAt) =>
            "Before you submit it again, check whether it was created: the API has no list call, so look in your Seedance " +
            $"account's task history (the web dashboard) for a task started around {sentAt:u} with this prompt, or see whether " +
            "the credit balance went down by its cost" +
            (request.CallbackUri is null ? string.Empty : $"; the service will also POST the finished task to {request.CallbackUri}") +
            ". If you find it, tie it to this create so that later runs, -Pending and Save use it: " +
            (string.IsNullOrEmpty(request.Name)
                ? JournalHints.ListUncertainCreates(new[] { request.Batch }) + " | Register-SeedanceTask -TaskId <id> (pick this create from the list)"
                : $"Register-SeedanceTask -TaskId <id> -Name '{request.Name!.Replace("'", "''")}'") +
            " (with the task journal on). Submit it again only if it is not there.";
    }
}
