using System;
using System.Management.Automation;
using Seedance.Client.Workflows;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// A create's reports as PowerShell shows them: a bar, named after the row, while it waits for a free slot (closed
    /// by <see cref="Dispose"/>; drawn again by a later create), and warnings.
    /// </summary>
    internal sealed class SlotWaitProgress : IProgress<CreateProgress>, IDisposable
    {
        private const int SlotProgressId = 39;

        private readonly PipelineOutput _pipeline;

        public SlotWaitProgress(PipelineOutput pipeline)
        {
            _pipeline = pipeline;
        }

        public void Report(CreateProgress value)
        {
            if (value.Warning is string warning)
            {
                _pipeline.WriteWarning(warning);
            }

            if (value.Slot is { } notice)
            {
                string running = notice.Limit is null ? "the account is full" : $"{notice.Running ?? notice.Limit} of {notice.Limit} running";
                _pipeline.WriteProgress(new ProgressRecord(SlotProgressId, "Creating Seedance task",
                    $"Waiting for a free slot: {running}; next try in {notice.Delay.TotalSeconds:0} s, waited {notice.WaitedSoFar:hh\\:mm\\:ss} ({value.Request.Describe(40)})"));
            }
        }

        /// <summary>Closes the bar if it is open.</summary>
        public void Dispose() => _pipeline.CloseProgress(SlotProgressId);
    }
}
