using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Seedance.Client.Models;

namespace Seedance.Client.Journal
{
    /// <summary>The records the cmdlets write: one method per event, each durable on disk when it returns.</summary>
    public sealed partial class TaskJournal
    {
        /// <summary>The last status written per task by this instance, so a Wait polling every few seconds writes only changes.</summary>
        private readonly ConcurrentDictionary<string, string> _lastStatus = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);

        /// <summary>
        /// Everything New-SeedanceTask checks before it sends, done atomically under the lock so that two processes
        /// racing cannot both pass: the Name, then the daily limit, then the intent record (the request and the credits
        /// it reserves) written and flushed. A Name with a task that did not fail answers ExistingTask, always; a Name
        /// whose create has an unknown outcome answers PossibleDuplicate unless <paramref name="force"/> (-Force), which
        /// overrides only that (so a forced re-run of a CSV still creates nothing for the rows already done). Only a
        /// <see cref="JournalReservationOutcome.Reserved"/> answer allows the create, and its intent must be closed with
        /// <see cref="RecordCreated"/>, <see cref="RecordOutcomeUnknown"/> or <see cref="RecordCreateRefused"/>.
        /// </summary>
        /// <exception cref="JournalException">The journal cannot be written, or it is off while a daily limit is set.</exception>
        public JournalReservation ReserveCreate(CreateTaskRequest request, string? name, decimal credits, decimal? dailyCreditLimit = null, bool force = false)
        {
            if (!IsEnabled)
            {
                if (dailyCreditLimit is decimal limit)
                {
                    throw new JournalException(JournalFailureReason.Disabled, null,
                        $"A daily credit limit ({limit.ToString(CultureInfo.InvariantCulture)}) is set but the task journal is off, so the credits " +
                        "already spent cannot be known. Turn the journal on, or remove the limit.");
                }

                return new JournalReservation(JournalReservationOutcome.Reserved, credits, NewIntent(_options.Clock(), name, request, credits, false), null, null);
            }

            using (LockForWriting())
            {
                // Read under the lock: no other writer can change the answer before the intent is written.
                return Reserve(ReadFile(), request, name, credits, dailyCreditLimit, force);
            }
        }

        private JournalReservation Reserve(
            JournalSnapshot journal, CreateTaskRequest asked, string? name, decimal credits, decimal? dailyCreditLimit, bool force)
        {
            if (name is not null)
            {
                JournalNameMatch match = journal.FindByName(name, asked);
                bool inFlight = match.Kind == JournalNameMatchKind.OutcomeUnknown && match.Task!.IsInFlight; // a live process sends it: even -Force waits
                if (match.Kind == JournalNameMatchKind.ExistingTask || (match.Kind != JournalNameMatchKind.None && (!force || inFlight)))
                {
                    JournalReservationOutcome outcome = match.Kind == JournalNameMatchKind.ExistingTask ? JournalReservationOutcome.ExistingTask
                        : match.Kind == JournalNameMatchKind.FailedUnchanged ? JournalReservationOutcome.FailedBefore
                        : JournalReservationOutcome.PossibleDuplicate;
                    return new JournalReservation(outcome, credits, null, match.Task, null);
                }
            }

            DateTimeOffset now = _options.Clock();
            JournalBudget? budget = null;
            if (dailyCreditLimit is decimal dailyLimit)
            {
                budget = journal.Budget(now - _options.BudgetWindow, now, dailyLimit);
                if (!budget.Allows(credits))
                {
                    return new JournalReservation(JournalReservationOutcome.BudgetExceeded, credits, null, null, budget);
                }
            }

            JournalIntent intent = NewIntent(now, name, asked, credits, true);
            AppendLocked(new CreateIntentRecord(now, intent.IntentId, name, asked, credits, JournalProcesses.CurrentId, JournalProcesses.CurrentHost(),
                asked.Spec?.FinalChargeMayChange(asked.VideoUrls.Count) == true));
            return new JournalReservation(JournalReservationOutcome.Reserved, credits, intent, null, budget);
        }

        /// <summary>The service answered the create with this id.</summary>
        public void RecordCreated(JournalIntent intent, string taskId)
        {
            if (intent.IsJournaled)
            {
                Append(time => new TaskCreatedRecord(time, intent.IntentId, taskId, intent.Name));
            }
        }

        /// <summary>
        /// The create's slot wait: waiting (a 429: not taken) or sending again. Written before the next try is sent, so a
        /// process killed while it waits leaves a create that the journal knows was never taken.
        /// </summary>
        public void RecordSlotWait(JournalIntent intent, bool waiting)
        {
            if (intent.IsJournaled)
            {
                Append(time => new CreateSlotWaitRecord(time, intent.IntentId, waiting));
            }
        }

        /// <summary>The create was sent and no answer came (CreateOutcomeUnknown): it stays pending, and its Name is refused without -Force.</summary>
        public void RecordOutcomeUnknown(JournalIntent intent, string reason)
        {
            if (intent.IsJournaled)
            {
                Append(time => new CreateOutcomeUnknownRecord(time, intent.IntentId, intent.Name, intent.Request, reason));
            }
        }

        /// <summary>The service certainly did not create the task (a 4xx, or a connection never made): the reservation and the Name are released.</summary>
        public void RecordCreateRefused(JournalIntent intent, string? code, string message)
        {
            if (intent.IsJournaled)
            {
                Append(time => new CreateRefusedRecord(time, intent.IntentId, code, message));
            }
        }

        /// <summary>
        /// A state of a task seen by Get or Wait. Written only when it differs from the last one this instance wrote for
        /// the task, so polling does not grow the file; returns whether a record was written.
        /// </summary>
        /// <param name="chargeFinal">Wait read creditsUsed after success until it settled: the task's CreditsUsed is its final charge.</param>
        public bool RecordStatus(SeedanceTask task, bool chargeFinal = false)
        {
            if (!IsEnabled)
            {
                return false;
            }

            string fingerprint = string.Join("|", new[]
            {
                task.Status.ToString(), task.StatusText ?? string.Empty, task.CreditsUsed?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                string.Join(" ", task.Videos.Select(video => video.Url)), task.Error?.ToString() ?? string.Empty, chargeFinal ? "final" : string.Empty,
            });
            if (_lastStatus.TryGetValue(task.TaskId, out string? last) && last == fingerprint)
            {
                return false;
            }

            Append(time => new StatusRecord(time, task.TaskId, task.Status, task.StatusText, task.CreditsUsed, task.Videos, task.Error, task.Model, task.CreatedAt, task.CompletedAt, chargeFinal));
            _lastStatus[task.TaskId] = fingerprint;
            return true;
        }

        /// <summary>A video of the task is complete under its final name.</summary>
        public void RecordSaved(string taskId, string path, long bytes)
        {
            if (IsEnabled)
            {
                Append(time => new SavedFileRecord(time, taskId, path, bytes));
            }
        }

        /// <summary>A failure while reading or saving a task (its ErrorId and message; the message must already be masked).</summary>
        public void RecordFailure(string taskId, string? code, string message)
        {
            if (IsEnabled)
            {
                Append(time => new FailureRecord(time, taskId, code, message));
            }
        }

        private static JournalIntent NewIntent(DateTimeOffset time, string? name, CreateTaskRequest request, decimal credits, bool journaled) =>
            new JournalIntent(Guid.NewGuid().ToString("N"), time, name, request, credits, journaled);

        /// <summary>Takes the lock, stamps the record with the time under the lock (so file order is time order) and appends it.</summary>
        private void Append(Func<DateTimeOffset, JournalRecord> build)
        {
            using (LockForWriting())
            {
                AppendLocked(build(_options.Clock()));
            }
        }

        /// <summary>
        /// One write of the whole line at the end of the file, then Flush(true) (fsync / FlushFileBuffers). When the file
        /// does not end with a newline (a crash cut the last record), the line starts with one, so the torn fragment stays
        /// a line of its own (skipped and reported) instead of swallowing this record.
        /// </summary>
        private void AppendLocked(JournalRecord record)
        {
            byte[] line = JournalRecordWriter.ToLine(record);
            try
            {
                using FileStream stream = OpenForAppendCreatingIfMissing();
                long length = stream.Length;
                if (length > 0)
                {
                    stream.Seek(length - 1, SeekOrigin.Begin);
                    if (stream.ReadByte() != '\n')
                    {
                        byte[] separated = new byte[line.Length + 1];
                        separated[0] = (byte)'\n';
                        Buffer.BlockCopy(line, 0, separated, 1, line.Length);
                        line = separated;
                    }
                }

                stream.Seek(length, SeekOrigin.Begin);
                stream.Write(line, 0, line.Length);
                stream.Flush(true);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new JournalException(JournalFailureReason.CannotWrite, _path,
                    $"A record could not be written to the task journal '{_path}': {e.Message}", e);
            }
        }

        private FileStream OpenForAppendCreatingIfMissing()
        {
            try
            {
                return JournalFileSystem.OpenForAppend(_path!);
            }
            catch (FileNotFoundException)
            {
                // Created exclusively (O_EXCL): never through a planted link, never over another writer's new file.
                FileStream created = JournalFileSystem.CreateNew(_path!);
                JournalFileSystem.SyncFolder(_folder!);
                return created;
            }
        }
    }
}
