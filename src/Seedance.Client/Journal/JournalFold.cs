using System;
using System.Collections.Generic;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// Folds records, in file order, into one summary per task. File order is the order the records were appended
    /// under the lock, so "latest" never depends on clocks. Each summary collects its intent (request, name, credits
    /// reserved), its outcome (created, unknown, refused), every status seen, every file saved and the last failure.
    /// </summary>
    internal sealed class JournalFold
    {
        internal const string NoAnswerRecorded =
            "no answer to the create was recorded: the process may have stopped while sending it (or is still sending it)";

        private readonly Dictionary<string, JournalTaskSummary> _byIntent = new Dictionary<string, JournalTaskSummary>(StringComparer.Ordinal);
        private readonly Dictionary<string, JournalTaskSummary> _byTask = new Dictionary<string, JournalTaskSummary>(StringComparer.Ordinal);
        private readonly List<JournalTaskSummary> _all = new List<JournalTaskSummary>();

        public DateTimeOffset? LastCompactedAt { get; private set; }

        /// <summary>
        /// Every summary but refused creates (nothing was created), merged duplicates, and creates that were only
        /// waiting for a free slot when their process ended (a 429 is not taken: after a kill -9 there, the row was
        /// never paid); newest first.
        /// </summary>
        public List<JournalTaskSummary> Tasks()
        {
            List<JournalTaskSummary> tasks = _all.FindAll(summary =>
                !summary.CreateRefused && summary.MergedInto is null &&
                !(summary.WaitingForSlot && !summary.HasOutcome && JournalProcesses.HasEnded(summary.ProcessId, summary.Host, summary.CreatedAt)));
            tasks.Sort((a, b) =>
            {
                int byTime = b.CreatedAt.CompareTo(a.CreatedAt);
                return byTime != 0 ? byTime : b.Order.CompareTo(a.Order);
            });
            return tasks;
        }

        /// <summary>Folds one more record in (records arrive in file order); returns the summary it belongs to, if any.</summary>
        public JournalTaskSummary? Apply(JournalRecord record)
        {
            JournalTaskSummary? touched = null;
            switch (record)
            {
                case CreateIntentRecord intent:
                    if (!_byIntent.ContainsKey(intent.IntentId))
                    {
                        touched = Add(record.Time);
                        touched.IntentId = intent.IntentId;
                        touched.Name = intent.Name;
                        touched.Request = intent.Request;
                        touched.CreditsReserved = intent.Credits;
                        touched.ChargeSettlesAfterSuccess = intent.SettlesAfterSuccess;
                        touched.Attempt = intent.Attempt;
                        touched.ProcessId = intent.ProcessId;
                        touched.Host = intent.Host;
                        touched.State = JournalTaskState.OutcomeUnknown;
                        touched.OutcomeUnknownReason = NoAnswerRecorded;
                        _byIntent[intent.IntentId] = touched;
                    }

                    break;
                case CreateSlotWaitRecord slotWait:
                    touched = ForIntent(slotWait.IntentId, record.Time);
                    touched.WaitingForSlot = slotWait.Waiting;
                    break;
                case TaskCreatedRecord created:
                    touched = Created(created);
                    break;
                case CreateOutcomeUnknownRecord unknown:
                    touched = ForIntent(unknown.IntentId, record.Time);
                    touched.Request ??= unknown.Request;
                    touched.Name ??= unknown.Name;
                    if (touched.TaskId is null)
                    {
                        touched.State = JournalTaskState.OutcomeUnknown;
                        touched.OutcomeUnknownReason = unknown.Reason;
                        touched.HasOutcome = true;
                    }

                    break;
                case CreateRefusedRecord refused:
                    touched = Refused(refused);
                    break;
                case FailureRecord failure:
                    touched = ForTask(failure.TaskId, failure.Time);
                    touched.LastFailure = new JournalFailure(failure.Code, failure.Message, failure.Time);
                    break;
                case StatusRecord status:
                    touched = ForTask(status.TaskId, status.ServiceCreatedAt ?? record.Time);
                    touched.State = JournalTaskSummary.FromStatus(status.Status);
                    touched.StatusText = status.StatusText;
                    touched.CreditsUsed = status.CreditsUsed ?? touched.CreditsUsed;
                    touched.ChargeFinal |= status.ChargeFinal;
                    touched.Videos = status.Outputs.Count > 0 ? status.Outputs : touched.Videos;
                    touched.Error = status.Error;
                    touched.ServiceModel ??= status.Model;
                    touched.CompletedAt = status.CompletedAt ?? touched.CompletedAt;
                    break;
                case SavedFileRecord saved:
                    touched = ForTask(saved.TaskId, record.Time);
                    touched.AddSavedFile(new JournalSavedFile(saved.Path, saved.Bytes, record.Time));
                    break;
                case CompactionRecord:
                    LastCompactedAt = record.Time;
                    break;
            }

            if (touched is not null && record.Time > touched.UpdatedAt)
            {
                touched.UpdatedAt = record.Time;
            }

            return touched;
        }

        private JournalTaskSummary Created(TaskCreatedRecord created)
        {
            JournalTaskSummary summary = ForIntent(created.IntentId, created.Time);
            if (_byTask.TryGetValue(created.TaskId, out JournalTaskSummary? seenFirst) && !ReferenceEquals(seenFirst, summary))
            {
                // The task was looked up before its creator's record arrived: one summary, with the intent's data.
                seenFirst.IntentId = summary.IntentId;
                seenFirst.Name ??= summary.Name;
                seenFirst.Request ??= summary.Request;
                seenFirst.CreditsReserved ??= summary.CreditsReserved;
                seenFirst.ChargeSettlesAfterSuccess |= summary.ChargeSettlesAfterSuccess;
                seenFirst.Attempt ??= summary.Attempt;
                seenFirst.ProcessId ??= summary.ProcessId;
                seenFirst.CreatedAt = summary.CreatedAt < seenFirst.CreatedAt ? summary.CreatedAt : seenFirst.CreatedAt;
                seenFirst.UpdatedAt = summary.UpdatedAt > seenFirst.UpdatedAt ? summary.UpdatedAt : seenFirst.UpdatedAt;
                summary.MergedInto = seenFirst;
                _byIntent[created.IntentId] = seenFirst;
                summary = seenFirst;
            }
            else if (summary.TaskId is null && summary.State == JournalTaskState.OutcomeUnknown)
            {
                summary.State = JournalTaskState.Waiting;
            }

            summary.TaskId = created.TaskId;
            summary.Name ??= created.Name;
            summary.HasOutcome = true;
            summary.OutcomeUnknownReason = null;
            summary.CreateRefused = false;
            _byTask[created.TaskId] = summary;
            return summary;
        }

        private JournalTaskSummary? Refused(CreateRefusedRecord refused)
        {
            if (!_byIntent.TryGetValue(refused.IntentId, out JournalTaskSummary? summary) || summary.TaskId is not null)
            {
                return summary; // a refusal for an intent we never saw (compacted away), or one that did get a task
            }

            summary.CreateRefused = true;
            summary.HasOutcome = true;
            summary.LastFailure = new JournalFailure(refused.Code, refused.Message, refused.Time);
            return summary;
        }

        private JournalTaskSummary ForIntent(string intentId, DateTimeOffset time)
        {
            if (!_byIntent.TryGetValue(intentId, out JournalTaskSummary? summary))
            {
                // Its intent is gone (a journal edited by hand): still a journaled create, dated by this record.
                summary = Add(time);
                summary.IntentId = intentId;
                _byIntent[intentId] = summary;
            }

            return summary;
        }

        private JournalTaskSummary ForTask(string taskId, DateTimeOffset firstSeen)
        {
            if (!_byTask.TryGetValue(taskId, out JournalTaskSummary? summary))
            {
                summary = Add(firstSeen);
                summary.TaskId = taskId;
                summary.HasOutcome = true;
                _byTask[taskId] = summary;
            }

            return summary;
        }

        private JournalTaskSummary Add(DateTimeOffset time)
        {
            JournalTaskSummary summary = new JournalTaskSummary(_all.Count) { CreatedAt = time, UpdatedAt = time };
            _all.Add(summary);
            return summary;
        }
    }
}
