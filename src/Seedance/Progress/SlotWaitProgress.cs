using System;
using System.Management.Automation;
using Seedance.Client.Models;
using Seedance.Client.Workflows;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// One create's reports as PowerShell shows them: a bar while it waits for a free slot (closed by
    /// <see cref="Dispose"/>), and warnings.
    /// </summary>
    internal sealed class SlotWaitProgress : IProgress<CreateProgress>, IDisposable
    {
        private const int SlotProgressId = 39;

        private readonly PipelineOutput _pipeline;
        private readonly CreateTaskRequest _request;
        private bool _shown;

        public SlotWaitProgress(PipelineOutput pipeline, CreateTaskRequest request)
        {
            _pipeline = pipeline;
            _request = request;
        }

        public void Report(CreateProgress value)
        {
            if (value.Warning is string warning)
            {
                _pipeline.WriteWarning(warning);
            }

            if (value.Slot is { } notice)
            {
                _shown = true;
                string running = notice.Limit is null ? "the account is full" : $"{notice.Running ?? notice.Limit} of {notice.Limit} running";
                _pipeline.WriteProgress(new ProgressRecord(SlotProgressId, "Creating Seedance task",
                    $"Waiting for a free slot: {running}; next try in {notice.Delay.TotalSeconds:0} s, waited {notice.WaitedSoFar:hh\\:mm\\:ss} ({_request.Describe(40)})"));
            }
        }

        public void Dispose()
        {
            if (_shown)
            {
                _pipeline.CloseProgress(SlotProgressId);
            }
        }
    }
}
