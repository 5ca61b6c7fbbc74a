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

        private readonly Func<DateTimeOffset> _clock;

        /// <param name="clock">The journal's clock, which each summary keeps to age creates of other machines; the system's by default.</param>
        public JournalFold(Func<DateTimeOffset>? clock = null)
        {
            _clock = clock ?? (() => DateTimeOffset.UtcNow);
        }

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
                !(summary.WaitingForSlot && !summary.HasOutcome && JournalProcesses.HasEnded(summary.ProcessId, summary.Host, summary.CreatedAt, summary.UpdatedAt, summary.Clock())));
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
            switch (record.Type)
            {
                case JournalRecord.Intent:
                    if (!_byIntent.ContainsKey(record.IntentId!))
                    {
                        touched = Add(record.Time);
                        touched.IntentId = record.IntentId;
                        touched.Name = record.Name;
                        touched.Request = record.Request;
                        touched.CreditsReserved = record.Credits ?? 0m;
                        touched.ChargeSettlesAfterSuccess = record.Settles;
                        touched.Attempt = record.RetryOf is string retryOf && record.Attempt is int number ? new JournalAttempt(retryOf, number) : null;
                        touched.ProcessId = record.ProcessId ?? 0;
                        touched.Host = record.Host;
                        touched.State = JournalTaskState.OutcomeUnknown;
                        touched.OutcomeUnknownReason = NoAnswerRecorded;
                        _byIntent[record.IntentId!] = touched;
                    }

                    break;
                case JournalRecord.SlotWait:
                    touched = ForIntent(record.IntentId!, record.Time);
                    touched.WaitingForSlot = record.Waiting == true;
                    break;
                case JournalRecord.Created:
                    touched = Created(record);
                    break;
                case JournalRecord.OutcomeUnknown:
                    touched = ForIntent(record.IntentId!, record.Time);
                    touched.Request ??= record.Request;
                    touched.Name ??= record.Name;
                    if (touched.TaskId is null)
                    {
                        touched.State = JournalTaskState.OutcomeUnknown;
                        touched.OutcomeUnknownReason = record.Reason ?? string.Empty;
                        touched.HasOutcome = true;
                    }

                    break;
                case JournalRecord.Refused:
                    touched = Refused(record);
                    break;
                case JournalRecord.Status:
                    touched = ForTask(record.TaskId!, record.ServiceCreatedAt ?? record.Time);
                    touched.State = JournalTaskSummary.FromStatus(record.TaskStatus!);
                    touched.StatusText = record.StatusText;
                    touched.CreditsUsed = record.Credits ?? touched.CreditsUsed;
                    touched.ChargeFinal |= record.ChargeFinal;
                    touched.Videos = record.Outputs.Count > 0 ? record.Outputs : touched.Videos;
                    touched.Error = record.Error;
                    touched.ServiceModel ??= record.Model;
                    touched.CompletedAt = record.CompletedAt ?? touched.CompletedAt;
                    break;
                case JournalRecord.Saved:
                    touched = ForTask(record.TaskId!, record.Time);
                    touched.AddSavedFile(new JournalSavedFile(record.Path!, record.Bytes ?? 0, record.Time));
                    break;
                case JournalRecord.Compacted:
                    LastCompactedAt = record.Time;
                    break;
            }

            if (touched is not null && record.Time > touched.UpdatedAt)
            {
                touched.UpdatedAt = record.Time;
            }

            return touched;
        }

        private JournalTaskSummary Created(JournalRecord created)
        {
            string taskId = created.TaskId!;
            JournalTaskSummary summary = ForIntent(created.IntentId!, created.Time);
            if (_byTask.TryGetValue(taskId, out JournalTaskSummary? seenFirst) && !ReferenceEquals(seenFirst, summary))
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
                _byIntent[created.IntentId!] = seenFirst;
                summary = seenFirst;
            }
            else if (summary.TaskId is null && summary.State == JournalTaskState.OutcomeUnknown)
            {
                summary.State = JournalTaskState.Waiting;
            }

            summary.TaskId = taskId;
            summary.Name ??= created.Name;
            summary.HasOutcome = true;
            summary.OutcomeUnknownReason = null;
            summary.CreateRefused = false;
            _byTask[taskId] = summary;
            return summary;
        }

        private JournalTaskSummary? Refused(JournalRecord refused)
        {
            if (!_byIntent.TryGetValue(refused.IntentId!, out JournalTaskSummary? summary) || summary.TaskId is not null)
            {
                return summary; // a refusal for an intent we never saw (compacted away), or one that did get a task
            }

            summary.CreateRefused = true;
            summary.HasOutcome = true;
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
            JournalTaskSummary summary = new JournalTaskSummary(_all.Count) { CreatedAt = time, UpdatedAt = time, Clock = _clock };
            _all.Add(summary);
            return summary;
        }
    }
}
