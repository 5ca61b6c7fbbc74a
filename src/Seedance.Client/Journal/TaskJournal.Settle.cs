using System;
using System.Collections.Generic;
using System.Linq;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// Settling an uncertain create (issue 16): the user found, in the account's task history, the task a create with
    /// an unknown outcome made, and ties its id to that create. The journal then has the create's <c>created</c> record
    /// as if the answer had come: its Name, request and reservation are the task's, so -Pending lists it as that row's
    /// task, a re-run of the row uses it, and Save names the file after the row.
    /// </summary>
    public sealed partial class TaskJournal
    {
        /// <summary>
        /// Ties <paramref name="taskId"/> to the uncertain create <paramref name="intentId"/> (or, without it, the one
        /// uncertain create of <paramref name="name"/>), atomically under the lock, and returns the row's task as the
        /// journal now knows it. With <paramref name="write"/> false (before ShouldProcess) it only answers which create
        /// the task would be tied to, by the same rule.
        /// </summary>
        /// <exception cref="SeedanceException">Nothing to settle (<see cref="SeedanceProblem.NoUncertainCreate"/>), more than one, a create still in flight, or the task is already another create's.</exception>
        /// <exception cref="JournalException">The journal is off or cannot be written.</exception>
        public JournalTaskSummary Settle(string? intentId, string? name, string taskId, bool write = true)
        {
            if (!IsEnabled)
            {
                throw new JournalException(JournalFailureReason.Disabled, null, "The task journal is off, so there is no uncertain create to tie a task to.");
            }

            if (!write && IsReadOnly)
            {
                return SettledCreate(Read().Tasks, intentId, name, taskId);
            }

            using (LockForWriting())
            {
                // A journal lost under this process gets its own records back first (its uncertain create among them),
                // so the create is found and the tie lands in the file the next command reads.
                WriteLocked(file => RestoreIfLost(file));
                JournalTaskSummary create = SettledCreate(ReadFile().Tasks, intentId, name, taskId);
                if (!write || create.TaskId is not null)
                {
                    return create; // only asked, or tied so already: nothing to write
                }

                AppendLocked(new JournalRecord(JournalRecord.Created, _clock()) { IntentId = create.IntentId, TaskId = taskId, Name = create.Name });
                return ReadFile().Tasks.First(task => task.IntentId == create.IntentId);
            }
        }

        /// <summary>
        /// Rule: the create a found task id settles. By IntentId (exact), else by Name (case-insensitive, the only
        /// uncertain create of it); it must still be uncertain (no task, not in flight in a live process), and the task
        /// must not already be the task of another create (two rows never share one paid task).
        /// </summary>
        private static JournalTaskSummary SettledCreate(IReadOnlyList<JournalTaskSummary> all, string? intentId, string? name, string taskId)
        {
            string which = intentId is not null ? $"IntentId {intentId}" : $"Name '{name}'";
            JournalTaskSummary? taken = all.FirstOrDefault(task => string.Equals(task.TaskId, taskId, StringComparison.Ordinal) && task.IsJournaledCreate);
            if (taken is not null)
            {
                if (intentId is not null ? taken.IntentId == intentId : string.Equals(taken.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return taken; // already settled (or created) so: writing it again changes nothing
                }

                throw new SeedanceException(SeedanceProblem.TaskAlreadyRegistered,
                    $"Task {taskId} is already the task of {(taken.Name is null ? "another create" : $"row '{taken.Name}'")} in the task journal " +
                    $"(created {taken.CreatedAt.ToUniversalTime():u}), so it cannot also be the task of {which}. Nothing was changed.");
            }

            List<JournalTaskSummary> uncertain = all.Where(task => task.TaskId is null && task.IsOutcomeUnknown &&
                (intentId is not null ? string.Equals(task.IntentId, intentId, StringComparison.Ordinal) : string.Equals(task.Name, name, StringComparison.OrdinalIgnoreCase)))
                .ToList();
            if (uncertain.Count == 0)
            {
                throw new SeedanceException(SeedanceProblem.NoUncertainCreate,
                    $"The task journal has no create with an unknown outcome for {which}, so task {taskId} was tied to nothing. " +
                    JournalHints.ListUncertainCreates(new[] { "*" }) + " lists the uncertain creates of every batch.");
            }

            if (uncertain.Count > 1)
            {
                throw new SeedanceException(SeedanceProblem.AmbiguousUncertainCreate,
                    $"Row '{name}' has {uncertain.Count} creates with an unknown outcome (IntentId {string.Join(", ", uncertain.Select(task => task.IntentId))}); " +
                    "say which one task " + taskId + " belongs to: pipe that one from Get-SeedanceTask -Status OutcomeUnknown, or give -IntentId. Nothing was changed.");
            }

            JournalTaskSummary create = uncertain[0];
            if (create.IsInFlight)
            {
                throw new SeedanceException(SeedanceProblem.CreateInFlight,
                    $"The create of {which} is {(create.CurrentState == JournalTaskState.WaitingForSlot ? "waiting for a free slot" : "being sent")} by process " +
                    $"{create.ProcessId} on {create.Host}, which records its task itself; nothing was changed. Run this again only if that process ends without an answer.");
            }

            return create;
        }
    }
}
