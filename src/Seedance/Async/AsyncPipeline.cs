using System;
using System.Threading;
using System.Threading.Tasks;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// What the async code of one block may do to the pipeline. Each call queues an action for the pipeline thread;
    /// calls that need an answer (ShouldProcess) return a task that completes once it ran there.
    /// </summary>
    public sealed class AsyncPipeline : PipelineOutput
    {
        private volatile bool _ended;

        internal AsyncPipeline(AsyncPSCmdlet cmdlet, CancellationToken blockEnded)
            : base(cmdlet, blockEnded)
        {
        }

        /// <summary>
        /// Runs <paramref name="function"/> on the pipeline thread and hands its result, or its exception, to the caller;
        /// unlike a failed ShouldProcess, a failure here does not end the block, only what the caller does with it (one input).
        /// </summary>
        public Task<T> InvokeAsync<T>(Func<T> function) => Run(function, endsTheBlock: false);

        /// <summary>The block's work has returned: a write now (from work it left behind) is refused.</summary>
        internal void End() => _ended = true;

        private protected override void Post(Action action)
        {
            if (_ended)
            {
                throw new OperationCanceledException("The pipeline is no longer accepting output.");
            }

            // Even once the block is stopped: its work goes on until it returns (a create within its grace records its id).
            Cmdlet.Enqueue(action);
        }
    }
}
