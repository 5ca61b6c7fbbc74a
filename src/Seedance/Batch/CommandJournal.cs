using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Commands.Configuration;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// One command's use of the task journal (the process-wide <see cref="TaskJournal"/> of the configured path). It
    /// opens the journal, says once per process that it is off or that it has unreadable lines, and records what the
    /// command learns. Recording for Get, Wait and Save never stops them (their work costs nothing more, and stopping
    /// would lose it): a record that cannot be written is one warning per command. Only a create refuses to go on
    /// without its intent on disk (see Seedance.Client.Workflows.CreateWorkflow).
    /// </summary>
    internal sealed class CommandJournal
    {
        private static int _offWarned;

        private int _writeFailureWarned;

        private CommandJournal(TaskJournal journal)
        {
            Journal = journal;
        }

        /// <summary>No journal (off, or it could not be opened for a command that can do without).</summary>
        public static CommandJournal Off => new CommandJournal(TaskJournal.Disabled);

        public TaskJournal Journal { get; }

        public bool IsEnabled => Journal.IsEnabled;

        public string? Path => Journal.Path;

        /// <summary>
        /// The configured journal, opened (folder and file created owner-only when missing, lock and write checked).
        /// On the pipeline thread. Throws <see cref="JournalException"/> when it cannot be used; says once per process
        /// that it is off.
        /// </summary>
        public static CommandJournal Open(SeedanceConfiguration settings, Action<string> warn)
        {
            if (settings.JournalLocation is null)
            {
                throw new JournalException(JournalFailureReason.InvalidPath, settings.JournalPathGiven, settings.JournalPathProblem ?? "The journal path cannot be used.");
            }

            if (settings.JournalLocation.IsDisabled)
            {
                if (Interlocked.Exchange(ref _offWarned, 1) == 0)
                {
                    warn("The Seedance task journal is off (" + (settings.JournalPathSource == "Environment" ? SeedanceConfiguration.JournalPathVariable : "-JournalPath") + " is 'off'): " +
                        "tasks are not recorded, so a crashed batch cannot be resumed with Get-SeedanceTask -Pending, a re-run CSV may pay twice, " +
                        "and no daily credit limit can hold. (Said once per process.)");
                }

                return Off;
            }

            return new CommandJournal(TaskJournal.Shared(settings.JournalLocation));
        }

        /// <summary>The journal as it is now; its unreadable lines are said when not said yet (<see cref="JournalSnapshot.WarningNotYetSaid"/>).</summary>
        public JournalSnapshot Read(Action<string> warn)
        {
            JournalSnapshot snapshot = Journal.Read();
            if (snapshot.WarningNotYetSaid() is string warning)
            {
                warn(warning);
            }

            return snapshot;
        }

        /// <summary>A task the service reported, completed from what the journal knows of it and recorded (<see cref="TaskJournal.Observe"/>).</summary>
        public void Observed(SeedanceTask task, JournalTaskSummary? known, IPipelineOutput output, bool chargeFinal = false) =>
            Record(output, () => Journal.Observe(task, known, chargeFinal));

        /// <summary>A save whose record could not be written (SaveWorkflow records it as it puts the file in place): said once.</summary>
        public void NotRecorded(JournalException? failure, IPipelineOutput output)
        {
            if (failure is not null)
            {
                WarnOnce(output, failure);
            }
        }

        /// <summary>What the journal knows of <paramref name="taskId"/> (null when off, unknown, or unreadable).</summary>
        public JournalTaskSummary? Find(string taskId, IPipelineOutput output) => Snapshot(output)?.FindTask(taskId);

        /// <summary>
        /// The journal now, for looking up many ids at once (one read for all of them), or null when it is off or cannot
        /// be read (said once).
        /// </summary>
        public JournalSnapshot? Snapshot(IPipelineOutput output)
        {
            if (!IsEnabled)
            {
                return null;
            }

            try
            {
                return Read(output.WriteWarning);
            }
            catch (JournalException e)
            {
                WarnOnce(output, e);
                return null;
            }
        }

        private void Record(IPipelineOutput output, Action record)
        {
            try
            {
                record();
            }
            catch (JournalException e)
            {
                WarnOnce(output, e);
            }

            SayNotices(output.WriteWarning);
        }

        /// <summary>What the journal has to tell that is no error (it was deleted or replaced under this process), each said once.</summary>
        public void SayNotices(Action<string> warn)
        {
            while (Journal.TakeNotice() is string notice)
            {
                warn(notice);
            }
        }

        private void WarnOnce(IPipelineOutput output, JournalException e)
        {
            if (Interlocked.Exchange(ref _writeFailureWarned, 1) == 0)
            {
                output.WriteWarning($"{e.Message} This command goes on without recording in the task journal; what it learns now will be missing there.");
            }
        }
    }
}
