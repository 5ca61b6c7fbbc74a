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
        /// Everything New-SeedanceTask checks before it sends (<see cref="Decide"/>), done atomically under the lock so
        /// that two processes racing cannot both pass, and on a Reserved answer the intent record (the request and the
        /// credits it reserves) written and flushed. Only a Reserved answer allows the create, and its intent must be
        /// closed with <see cref="RecordCreated"/>, <see cref="RecordOutcomeUnknown"/> or <see cref="RecordCreateRefused"/>.
        /// </summary>
        /// <exception cref="JournalException">The journal cannot be written, or it is off while a daily limit is set.</exception>
        /// <param name="attempt">A resubmission of a failed task (Wait-SeedanceTask -RetryFailed): linked to it in the intent,
        /// and matched by <see cref="JournalSnapshot.FindForResubmission"/> instead of the Name alone.</param>
        public JournalReservation ReserveCreate(CreateTaskRequest request, string? name, decimal credits, decimal? dailyCreditLimit = null, bool force = false,
            JournalAttempt? attempt = null)
        {
            if (!IsEnabled)
            {
                if (DailyLimitNeedsTheJournal(dailyCreditLimit, journalOn: false, source: null) is JournalException refused)
                {
                    throw refused;
                }

                return new JournalReservation(JournalReservationOutcome.Reserved) { Request = request, Name = name, Credits = credits, CheckedAt = _clock() };
            }

            using (LockForWriting())
            {
                // Read under the lock: no other writer can change the answer before the intent is written. A journal lost
                // under this process gets its own records back first, so the Name and the budget still see them.
                WriteLocked(file => RestoreIfLost(file));
                DateTimeOffset now = _clock();
                JournalReservation answer = Decide(ReadFile(), request, name, credits, dailyCreditLimit, force, attempt, now);
                if (answer.Outcome == JournalReservationOutcome.Reserved)
                {
                    answer.IntentId = Guid.NewGuid().ToString("N");
                    AppendLocked(new JournalRecord(JournalRecord.Intent, now)
                    {
                        IntentId = answer.IntentId, Name = name, Request = request, Credits = credits, ProcessId = JournalProcesses.CurrentId,
                        Host = JournalProcesses.CurrentHost(), Settles = request.Spec?.FinalChargeMayChange(request.VideoUrls.Count) == true,
                        RetryOf = attempt?.RetryOf, Attempt = attempt?.Number,
                    });
                }

                return answer;
            }
        }

        /// <summary>
        /// Rule: what the journal holds against a create, in this order. The row's Name (for a resubmission, the failed
        /// task it sends again): a task of it that did not fail is ExistingTask, always; a create of it with an unknown
        /// outcome is PossibleDuplicate and an unchanged row that failed for its input is FailedBefore, unless
        /// <paramref name="force"/> (-Force), which overrides only those (so a forced re-run of a CSV still creates
        /// nothing for the rows already done) and never a create a live process is still sending. Then the daily limit.
        /// </summary>
        private JournalReservation Decide(
            JournalSnapshot journal, CreateTaskRequest? asked, string? name, decimal credits, decimal? dailyCreditLimit, bool force, JournalAttempt? attempt, DateTimeOffset now)
        {
            JournalReservation match = attempt is not null && asked is not null ? journal.FindForResubmission(attempt.RetryOf, asked)
                : name is not null ? journal.FindByName(name, asked) : JournalReservation.NoMatch;
            decimal? spent = dailyCreditLimit is not null ? journal.Spent(now - BudgetWindow) : null;
            JournalTaskSummary? sameUnnamed = name is null && asked is not null && attempt is null ? journal.FindSameUnnamed(asked, now - BudgetWindow) : null;
            bool forced = force && (match.Outcome == JournalReservationOutcome.FailedBefore ||
                (match.Outcome == JournalReservationOutcome.PossibleDuplicate && !match.Task!.IsInFlight));
            JournalReservationOutcome outcome = match.Outcome != JournalReservationOutcome.Reserved && !forced ? match.Outcome
                : spent + credits > dailyCreditLimit ? JournalReservationOutcome.BudgetExceeded
                : JournalReservationOutcome.Reserved;
            return match with
            {
                Outcome = outcome, Forced = forced, Request = asked, Name = name, Credits = credits, Spent = spent, DailyLimit = dailyCreditLimit, SameUnnamed = sameUnnamed, CheckedAt = now,
            };
        }

        /// <summary>The service answered the create with this id.</summary>
        public void RecordCreated(JournalReservation intent, string taskId) =>
            AppendFor(intent, time => new JournalRecord(JournalRecord.Created, time) { IntentId = intent.IntentId, TaskId = taskId, Name = intent.Name });

        /// <summary>
        /// The create's slot wait: waiting (a 429: not taken) or sending again. Written before the next try is sent, so a
        /// process killed while it waits leaves a create that the journal knows was never taken.
        /// </summary>
        public void RecordSlotWait(JournalReservation intent, bool waiting) =>
            AppendFor(intent, time => new JournalRecord(JournalRecord.SlotWait, time) { IntentId = intent.IntentId, Waiting = waiting });

        /// <summary>The create was sent and no answer came (CreateOutcomeUnknown): it stays pending, and its Name is refused without -Force.</summary>
        public void RecordOutcomeUnknown(JournalReservation intent, string reason) =>
            AppendFor(intent, time => new JournalRecord(JournalRecord.OutcomeUnknown, time) { IntentId = intent.IntentId, Name = intent.Name, Request = intent.Request, Reason = reason });

        /// <summary>The service certainly did not create the task (a 4xx, or a connection never made): the reservation and the Name are released.</summary>
        public void RecordCreateRefused(JournalReservation intent, string? code, string message) =>
            AppendFor(intent, time => new JournalRecord(JournalRecord.Refused, time) { IntentId = intent.IntentId, Code = code, Message = message });

        /// <summary>
        /// A state of a task as the service reported it (Get, Wait, Save, Register, the gallery). Written only when it
        /// differs from the last one this instance wrote for the task, so polling does not grow the file; returns whether
        /// a record was written.
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

            Append(time => new JournalRecord(JournalRecord.Status, time)
            {
                TaskId = task.TaskId, TaskStatus = task.Status, StatusText = task.StatusText, Credits = task.CreditsUsed, ChargeFinal = chargeFinal, Outputs = task.Videos,
                Error = task.Error, Model = task.Model, ServiceCreatedAt = task.CreatedAt, CompletedAt = task.CompletedAt,
            });
            _lastStatus[task.TaskId] = fingerprint;
            return true;
        }

        /// <summary>
        /// Puts a downloaded video into place and records it as one step under the journal lock: which task owns the file
        /// name (the newest save to it), the rename (<paramref name="moveInto"/>), and the saved record. So two processes
        /// saving two tasks to one name (two Names that clean alike; one -Path x.mp4 given to both) cannot both take it:
        /// the second finds the first's record and gets <paramref name="alternative"/>, a stable name of its own. Returns
        /// where the video is. The video is placed also when the journal is off or cannot be written
        /// (<paramref name="notRecorded"/> says why it is not recorded).
        /// </summary>
        public string PlaceSaved(string taskId, string path, long bytes, Func<string, string> alternative, Action<string> moveInto, out JournalException? notRecorded)
        {
            notRecorded = null;
            Files.FileLock? held = null;
            try
            {
                held = IsEnabled ? LockForWriting() : null;
            }
            catch (JournalException e)
            {
                notRecorded = e;
            }

            using (held)
            {
                string target = path;
                try
                {
                    // Read under the lock: no other process can save to the name between this answer and the record below.
                    if (held is not null && ReadFile().OwnerOfSavedFile(path) is string owner && owner != taskId)
                    {
                        target = alternative(path);
                    }
                }
                catch (JournalException e)
                {
                    notRecorded = e;
                }

                moveInto(target);
                try
                {
                    if (held is not null)
                    {
                        AppendLocked(new JournalRecord(JournalRecord.Saved, _clock()) { TaskId = taskId, Path = target, Bytes = bytes });
                    }
                }
                catch (JournalException e)
                {
                    notRecorded = e;
                }

                return target;
            }
        }

        /// <summary>Takes the lock, stamps the record with the time under the lock (so file order is time order) and appends it.</summary>
        private void Append(Func<DateTimeOffset, JournalRecord> build)
        {
            using (LockForWriting())
            {
                AppendLocked(build(_clock()));
            }
        }

        /// <summary>A record of a create's outcome; none when the journal was off at its reservation (nothing to close).</summary>
        private void AppendFor(JournalReservation intent, Func<DateTimeOffset, JournalRecord> build)
        {
            if (intent.IntentId is not null)
            {
                Append(build);
            }
        }

        /// <summary>Appends one record (the caller holds the lock), after making sure the file is still this process's journal.</summary>
        private void AppendLocked(JournalRecord record)
        {
            byte[] line = record.ToLine();
            WriteLocked(stream =>
            {
                RestoreIfLost(stream);
                WriteLine(stream, line);
                _continuity.Appended(record.Time, line);
                _continuity.Seen(stream, _clock());
            });
        }

        /// <summary>Opens the journal for writing (the caller holds the lock); what fails is a <see cref="JournalException"/> naming it.</summary>
        private void WriteLocked(Action<FileStream> write)
        {
            try
            {
                using FileStream stream = OpenForAppendCreatingIfMissing();
                write(stream);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new JournalException(JournalFailureReason.CannotWrite, _path, $"A record could not be written to the task journal '{_path}': " +
                    (e is UnauthorizedAccessException ? $"it is read-only or not yours ({e.Message}). It can still be read (Get-SeedanceTask -Pending)." : e.Message), e);
            }
        }

        /// <summary>
        /// Under the lock, before a write: when the file is no longer the one this process has been appending to and is
        /// no compaction of it (deleted, or replaced by another file), the records this process wrote that it lacks are
        /// written again, so its own tasks stay known, and the user is told once (<see cref="TakeNotice"/>).
        /// </summary>
        private void RestoreIfLost(FileStream stream)
        {
            if (_continuity.IsSameFile(stream))
            {
                return;
            }

            DateTimeOffset now = _clock();
            List<string> missing = _continuity.Missing(_path!, _clock, now - Retention, out bool compacted);
            if (!compacted)
            {
                foreach (string line in missing)
                {
                    WriteLine(stream, System.Text.Encoding.UTF8.GetBytes(line + "\n"));
                }

                _notices.Enqueue(
                    $"The task journal '{_path}' was deleted or replaced while this process was using it. " +
                    (missing.Count > 0
                        ? $"The {missing.Count} record(s) this process had written to it were written to it again, so its own tasks stay known (-Pending, row Names, the daily limit). "
                        : "This process had not written to it yet. ") +
                    "Records of other processes and earlier runs that were in it are not: put back a copy of it if there is one.");
            }

            _continuity.Seen(stream, now);
        }

        /// <summary>
        /// One write of the whole line at the end of the file, then Flush(true). When the file does not end with a
        /// newline (a crash cut the last record), the line starts with one, so the torn fragment stays a line of its own
        /// (skipped and reported) instead of swallowing this record.
        /// </summary>
        private static void WriteLine(FileStream stream, byte[] line)
        {
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

        private FileStream OpenForAppendCreatingIfMissing()
        {
            try
            {
                return JournalFile.OpenForAppend(_path!);
            }
            catch (FileNotFoundException)
            {
                // Created exclusively (O_EXCL): never through a planted link, never over another writer's new file.
                FileStream created = JournalFile.CreateNew(_path!);
                Files.OwnedFiles.SyncFolder(_folder!);
                return created;
            }
        }
    }
}
