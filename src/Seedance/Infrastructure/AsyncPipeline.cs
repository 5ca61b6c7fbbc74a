using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// What async code may do to the pipeline. Each call queues an action for the pipeline thread; calls that need
    /// an answer (ShouldProcess) or back-pressure (WriteObjectAsync) return a task that completes once it ran there.
    /// </summary>
    public sealed class AsyncPipeline
    {
        private readonly Cmdlet _cmdlet;
        private readonly BlockingCollection<Action> _queue;
        private readonly CancellationToken _blockEnded;

        internal AsyncPipeline(Cmdlet cmdlet, BlockingCollection<Action> queue, CancellationToken blockEnded)
        {
            _cmdlet = cmdlet;
            _queue = queue;
            _blockEnded = blockEnded;
        }

        /// <summary>Queues an object for output and returns at once (the caller keeps working while downstream runs).</summary>
        public void WriteObject(object? value) => Enqueue(() => _cmdlet.WriteObject(value));

        /// <summary>Writes an object and completes once downstream commands have taken it (back-pressure).</summary>
        public Task WriteObjectAsync(object? value) => Run(() =>
        {
            _cmdlet.WriteObject(value);
            return true;
        });

        /// <summary>Runs <paramref name="action"/> on the pipeline thread (for APIs that must be called there).</summary>
        public void Invoke(Action action) => Enqueue(action);

        public void WriteError(ErrorRecord errorRecord) => Enqueue(() => _cmdlet.WriteError(errorRecord));

        public void WriteWarning(string message) => Enqueue(() => _cmdlet.WriteWarning(message));

        public void WriteVerbose(string message) => Enqueue(() => _cmdlet.WriteVerbose(message));

        /// <summary>Writes a verbose line if the block is still running; false (not an exception) once it has ended.</summary>
        public bool TryWriteVerbose(string message)
        {
            try
            {
                return _queue.TryAdd(() => _cmdlet.WriteVerbose(message));
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        public void WriteDebug(string message) => Enqueue(() => _cmdlet.WriteDebug(message));

        public void WriteProgress(ProgressRecord progress) => Enqueue(() => _cmdlet.WriteProgress(progress));

        public Task<bool> ShouldProcessAsync(string target, string action) => Run(() => _cmdlet.ShouldProcess(target, action));

        public Task<bool> ShouldProcessAsync(string verboseDescription, string verboseWarning, string caption) =>
            Run(() => _cmdlet.ShouldProcess(verboseDescription, verboseWarning, caption));

        private Task<T> Run<T>(Func<T> function)
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
                    throw;
                }
            });
            return completion.Task;
        }

        private void Enqueue(Action action)
        {
            try
            {
                _queue.Add(action);
            }
            catch (InvalidOperationException)
            {
                // The block has ended (stopped, or the pipeline thread failed): nothing can be written any more.
                throw new OperationCanceledException("The pipeline is no longer accepting output.");
            }
        }
    }
}
