using System;
using System.Collections.Generic;
using System.Management.Automation;
using Seedance.Client.Models;
using Seedance.Client.Waiting;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Progress bars for a batch wait: one for the batch, and for a few tasks a line each under it. Remembers
    /// which bars it opened so that Complete closes every one of them.
    /// </summary>
    internal sealed class WaitProgress
    {
        private const int BatchActivityId = 1;
        private const int MaxTaskLines = 10;
        private const string Activity = "Waiting for Seedance tasks";

        private readonly Dictionary<string, int> _taskLines = new Dictionary<string, int>(StringComparer.Ordinal);
        private bool _batchOpen;

        public IEnumerable<ProgressRecord> Update(WaitSnapshot snapshot)
        {
            _batchOpen = true;
            string status = $"{snapshot.Finished} of {snapshot.Total} finished, {snapshot.Failed} failed, {snapshot.Running.Count} running, elapsed {snapshot.Elapsed:hh\\:mm\\:ss}";
            yield return new ProgressRecord(BatchActivityId, Activity, status)
            {
                PercentComplete = snapshot.Total == 0 ? 100 : (snapshot.Total - snapshot.Running.Count) * 100 / snapshot.Total,
            };

            if (snapshot.Total > MaxTaskLines)
            {
                yield break;
            }

            HashSet<string> running = new HashSet<string>(StringComparer.Ordinal);
            foreach (SeedanceTask task in snapshot.Running)
            {
                running.Add(task.TaskId);
                if (!_taskLines.TryGetValue(task.TaskId, out int id))
                {
                    id = BatchActivityId + 1 + _taskLines.Count;
                    _taskLines[task.TaskId] = id;
                }

                yield return new ProgressRecord(id, task.TaskId, task.StatusText ?? "waiting") { ParentActivityId = BatchActivityId };
            }

            foreach (KeyValuePair<string, int> line in _taskLines)
            {
                if (!running.Contains(line.Key))
                {
                    yield return Completed(line.Value, line.Key, BatchActivityId);
                }
            }
        }

        public IEnumerable<ProgressRecord> Complete()
        {
            foreach (KeyValuePair<string, int> line in _taskLines)
            {
                yield return Completed(line.Value, line.Key, BatchActivityId);
            }

            if (_batchOpen)
            {
                yield return Completed(BatchActivityId, Activity, -1);
            }
        }

        private static ProgressRecord Completed(int id, string activity, int parent) =>
            new ProgressRecord(id, activity, "Done") { RecordType = ProgressRecordType.Completed, ParentActivityId = parent };
    }
}
