using System;
using System.Collections.Generic;
using System.Management.Automation;
using Seedance.Client.Models;
using Seedance.Client.Waiting;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Progress bars for a batch wait: one for the batch, and for a few tasks a line each under it, drawn on the
    /// pipeline thread through the command's <see cref="ProgressBars"/> (which closes what is left open at the end).
    /// </summary>
    internal sealed class WaitProgress
    {
        private const int BatchActivityId = 1;
        private const int MaxTaskLines = 10;
        // Short, and the counts first with the clock last: PowerShell draws the status inside the bar, in what the
        // console width leaves after the activity, and cuts its end (at 80 columns 'elapsed 00...' hid the counts' end).
        private const string Activity = "Seedance tasks";

        private readonly Dictionary<string, int> _taskLines = new Dictionary<string, int>(StringComparer.Ordinal);

        /// <summary>
        /// Set once all input has arrived. Until then the size of the batch is unknown (tasks are waited on as they
        /// come), so only the batch bar is drawn; afterwards a batch of up to ten gets a line per task.
        /// </summary>
        public bool InputComplete { get; set; }

        public void Update(ProgressBars bars, WaitSnapshot snapshot)
        {
            string status = $"{snapshot.Finished} of {snapshot.Total} finished, {snapshot.Failed} failed, {snapshot.Running.Count} running, {snapshot.Elapsed:hh\\:mm\\:ss}";
            bars.Write(new ProgressRecord(BatchActivityId, Activity, status)
            {
                PercentComplete = snapshot.Total == 0 ? 100 : (snapshot.Total - snapshot.Running.Count) * 100 / snapshot.Total,
            });

            if (!InputComplete || snapshot.Total > MaxTaskLines)
            {
                return;
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

                bars.Write(new ProgressRecord(id, task.TaskId, task.StatusText ?? "waiting") { ParentActivityId = BatchActivityId });
            }

            // A task that left the running set has its line closed, once (a bar already closed is not closed again).
            foreach (KeyValuePair<string, int> line in _taskLines)
            {
                if (!running.Contains(line.Key))
                {
                    bars.Close(line.Value);
                }
            }
        }
    }
}
