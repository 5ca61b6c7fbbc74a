using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// The one progress mechanism of the PowerShell layer: every bar a command draws is written through here (the
    /// base's <see cref="AsyncPSCmdlet.Bars"/>; <see cref="PipelineOutput.WriteProgress"/> queues to it), on the
    /// pipeline thread only, so a bar counted open is one the host shows. The base closes every bar still open when the
    /// command ends or an error ends it early; no command keeps its own list of bars.
    /// </summary>
    internal sealed class ProgressBars
    {
        private readonly Cmdlet _cmdlet;
        private readonly Dictionary<int, ProgressRecord> _open = new Dictionary<int, ProgressRecord>();

        public ProgressBars(Cmdlet cmdlet)
        {
            _cmdlet = cmdlet;
        }

        /// <summary>
        /// Draws a bar, or closes it (a Completed record). Its text passes the gate errors and warnings pass
        /// (<see cref="SeedanceErrors.Redact"/>): a bar names task ids, rows and files, which are user input and may hold a key.
        /// </summary>
        public void Write(ProgressRecord record)
        {
            record.Activity = SeedanceErrors.Redact(record.Activity);
            record.StatusDescription = SeedanceErrors.Redact(record.StatusDescription);
            record.CurrentOperation = record.CurrentOperation is null ? null : SeedanceErrors.Redact(record.CurrentOperation);
            if (record.RecordType == ProgressRecordType.Completed)
            {
                _open.Remove(record.ActivityId);
            }
            else
            {
                _open[record.ActivityId] = record;
            }

            _cmdlet.WriteProgress(record);
        }

        /// <summary>Closes bar <paramref name="activityId"/> if it is open; nothing otherwise, so a bar is closed once.</summary>
        public void Close(int activityId)
        {
            if (_open.TryGetValue(activityId, out ProgressRecord? bar))
            {
                // A Completed record: the host removes the bar from the screen.
                Write(new ProgressRecord(activityId, bar.Activity, "Done") { RecordType = ProgressRecordType.Completed, ParentActivityId = bar.ParentActivityId });
            }
        }

        /// <summary>
        /// Closes every bar still open, lines under a bar first. Closing bars is cosmetic, so a pipeline that takes no
        /// records any more (in a ForEach-Object -Parallel runspace Ctrl+C closes the output first) is ignored: it must
        /// never keep the early-end report from naming the paid tasks.
        /// </summary>
        public void CloseAll()
        {
            try
            {
                foreach (ProgressRecord bar in _open.Values.OrderBy(bar => bar.ParentActivityId < 0).ToList())
                {
                    Close(bar.ActivityId);
                }
            }
            catch (Exception)
            {
                // The pipeline is going down; the bars go with it.
            }
        }
    }
}
