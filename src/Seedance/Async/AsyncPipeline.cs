using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// What the async code of one block may do to the pipeline. Each call queues an action for the pipeline thread;
    /// calls that need an answer (ShouldProcess) return a task that completes once it ran there.
    /// </summary>
    public sealed class AsyncPipeline : IPipelineOutput
    {
        private readonly AsyncPSCmdlet _cmdlet;
        private readonly BlockingCollection<Action> _queue;
        private readonly CancellationToken _blockEnded;

        internal AsyncPipeline(AsyncPSCmdlet cmdlet, BlockingCollection<Action> queue, CancellationToken blockEnded)
        {
            _cmdlet = cmdlet;
            _queue = queue;
            _blockEnded = blockEnded;
        }

        /// <summary>Queues an object for output and returns at once (the caller keeps working while downstream runs).</summary>
        public void WriteObject(object? value) => Enqueue(() => _cmdlet.WriteObject(value));

        public void Invoke(Action action) => Enqueue(action);

        public void WriteError(ErrorRecord errorRecord) => Enqueue(() => _cmdlet.WriteQueuedError(errorRecord));

        public void WriteWarning(string message) => Enqueue(() => _cmdlet.WriteWarning(message));

        public void WriteVerbose(string message) => Enqueue(() => _cmdlet.WriteVerbose(message));

        public void WriteDebug(string message) => Enqueue(() => _cmdlet.WriteDebug(message));

        public void WriteProgress(ProgressRecord progress) => Enqueue(() => _cmdlet.WriteProgress(progress));

        public Task<bool> ShouldProcessAsync(string target, string action) => Run(() => _cmdlet.ShouldProcess(target, action));

        public Task<bool> ShouldProcessAsync(string verboseDescription, string verboseWarning, string caption) =>
            Run(() => _cmdlet.ShouldProcess(verboseDescription, verboseWarning, caption));

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

        private Task<T> Run<T>(Func<T> function, bool endsTheBlock = true)
        {
            TaskCompletionSource<T> completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);

            // If the block ends (stopped) before the pipeline thread gets to this action, nobody will ever run it:
            // cancel the answer instead of leaving the caller waiting for ever.
            CancellationTokenRegistration registration = _blockEnded.Register(() => completion.TrySetCanceled());
            completion.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
            Enqueue(() =>
            {
                try
                {
                    completion.TrySetResult(function());
                }
                catch (Exception e)
                {
                    completion.TrySetException(e);
                    if (endsTheBlock)
                    {
                        throw;
                    }
                }
            });
            return completion.Task;
        }

        private void Enqueue(Action action)
        {
            if (!TryEnqueue(action))
            {
                // The block has ended (stopped, or the pipeline thread failed): nothing can be written any more.
                throw new OperationCanceledException("The pipeline is no longer accepting output.");
            }
        }
    }
}
