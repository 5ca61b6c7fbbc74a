using System.Management.Automation;
using System.Threading;
using Seedance.Client;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// The 404s of one command that looks tasks up by id, made readable in a list of them: each is one line ("No task
    /// with id task_x (404)."), the advice about a wrong base URI comes once (on the first), and an id that is a row
    /// Name in the task journal says "did you mean -Name fox?". The exception keeps the service's own words.
    /// </summary>
    internal sealed class TaskNotFoundMessages
    {
        private int _adviceGiven;

        /// <summary>Whether <paramref name="id"/> is no task id of the journal but the Name of a task in it (probably meant as -Name).</summary>
        public static bool IsJournalName(Seedance.Client.Journal.JournalSnapshot? journal, string id) =>
            journal is not null && journal.FindTask(id) is null &&
            journal.FindByName(id).Outcome is Seedance.Client.Journal.JournalReservationOutcome.ExistingTask or Seedance.Client.Journal.JournalReservationOutcome.PossibleDuplicate;

        /// <param name="isJournalName">The id is the Name of a task in the journal (and so probably meant as -Name).</param>
        public ErrorRecord Shorten(ErrorRecord record, string id, bool isJournalName)
        {
            if (record.Exception is not SeedanceApiException { ErrorId: "TaskNotFound", Operation: "recordInfo" } api)
            {
                return record;
            }

            string message = $"No task with id {id} ({(int)api.StatusCode})." + (isJournalName ? $" Did you mean -Name {id}?" : string.Empty);
            string? advice = Interlocked.Exchange(ref _adviceGiven, 1) == 0 ? record.ErrorDetails?.RecommendedAction : null;
            return SeedanceErrors.Reword(record, message, advice);
        }
    }
}
