using System;
using System.Collections.Concurrent;
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
        private readonly BlockingCollection<Action> _queue;

        internal AsyncPipeline(AsyncPSCmdlet cmdlet, BlockingCollection<Action> queue, CancellationToken blockEnded)
            : base(cmdlet, blockEnded)
        {
            _queue = queue;
        }

        /// <summary>
        /// Runs <paramref name="function"/> on the pipeline thread and hands its result, or its exception, to the caller;
        /// unlike a failed ShouldProcess, a failure here does not end the block, only what the caller does with it (one input).
        /// </summary>
        public Task<T> InvokeAsync<T>(Func<T> function) => Run(function, endsTheBlock: false);

        /// <summary>Queues an action if the block still runs; false (not an exception) once it has ended.</summary>
        internal bool TryEnqueue(Action action)
        {
            try
            {
                return _queue.TryAdd(action);
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        private protected override void Post(Action action)
        {
            if (!TryEnqueue(action))
            {
                // The block has ended (stopped, or the pipeline thread failed): nothing can be written any more.
                throw new OperationCanceledException("The pipeline is no longer accepting output.");
            }
        }
    }
}
