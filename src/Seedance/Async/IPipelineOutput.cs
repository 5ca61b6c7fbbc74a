using System;
using System.Management.Automation;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// What async code may write. A block writes through its <see cref="AsyncPipeline"/>; work that outlives a block
    /// writes through <see cref="BackgroundWork"/>. Either way every call only queues: the pipeline thread does the
    /// writing, because only it may.
    /// </summary>
    public interface IPipelineOutput
    {
        void WriteObject(object? value);

        void WriteError(ErrorRecord errorRecord);

        void WriteWarning(string message);

        void WriteVerbose(string message);

        void WriteDebug(string message);

        void WriteProgress(ProgressRecord progress);

        /// <summary>Runs <paramref name="action"/> on the pipeline thread (for APIs that must be called there).</summary>
        void Invoke(Action action);
    }
}
