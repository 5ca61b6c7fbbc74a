using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// What a command's async code writes, and the one facility for work it starts in one block that finishes later
    /// (lookups, polls, downloads). Every write only queues an action for the pipeline thread, because only it may
    /// write; the pipeline thread runs the queue while a block of the command runs: at once during a block, and
    /// otherwise at the start of the next one (the pipeline thread belongs to other commands in between). The end
    /// block waits for all the work. Everything is cancelled together when the command is stopped (Ctrl+C), when an
    /// error or a downstream Select-Object -First ends the pipeline, or when the command is disposed; a write then is
    /// dropped, and an answer asked for (ShouldProcess) is cancelled.
    /// </summary>
    /// <remarks>Modelled on ForEach-Object -Parallel's task pool, drained in ProcessRecord and EndProcessing.</remarks>
    public sealed class PipelineOutput : IDisposable
    {
        /// <summary>
        /// How long a cancelled command waits for its work to acknowledge: only a safety net (every request, stream
        /// and delay honours the token, so it returns in milliseconds). Cancelled work still runs its cleanup (e.g.
        /// deleting a temporary .partial file), which must be done before the prompt comes back.
        /// </summary>
        internal static readonly TimeSpan CancelAcknowledgeLimit = TimeSpan.FromSeconds(15);

        private readonly AsyncPSCmdlet _cmdlet;
        private readonly CancellationTokenSource _cancel;
        private readonly object _sync = new object();
        private readonly HashSet<Task> _running = new HashSet<Task>();
        private TaskCompletionSource<bool> _idle = NewIdleSignal(completed: true);
        private Exception? _escaped;

        internal PipelineOutput(AsyncPSCmdlet cmdlet, CancellationTokenSource cancel)
        {
            _cmdlet = cmdlet;
            _cancel = cancel;
        }

        /// <summary>Queues an object for output and returns at once (the caller keeps working while downstream runs).</summary>
        public void WriteObject(object? value) => Post(() => _cmdlet.WriteObject(value));

        public void WriteError(ErrorRecord errorRecord) => Post(() => _cmdlet.WriteQueuedError(errorRecord));

        public void WriteWarning(string message) => Post(() => _cmdlet.WriteWarning(message));

        public void WriteVerbose(string message) => Post(() => _cmdlet.WriteVerbose(message));

        public void WriteDebug(string message) => Post(() => _cmdlet.WriteDebug(message));

        /// <summary>Draws or closes a bar through the command's <see cref="ProgressBars"/>.</summary>
        public void WriteProgress(ProgressRecord progress) => Post(() => _cmdlet.Bars.Write(progress));

        /// <summary>Closes bar <paramref name="activityId"/> if it is open.</summary>
        public void CloseProgress(int activityId) => Post(() => _cmdlet.Bars.Close(activityId));

        public void Invoke(Action action) => Post(action);

        /// <summary>ShouldProcess, asked on the pipeline thread; a failure there ends the block as it would in a synchronous cmdlet.</summary>
        public Task<bool> ShouldProcessAsync(string target, string action) => Run(() => _cmdlet.ShouldProcess(target, action), endsTheBlock: true);

        /// <summary>
        /// Runs <paramref name="function"/> on the pipeline thread and hands its result, or its exception, to the caller;
        /// unlike a failed ShouldProcess, a failure here does not end the block, only what the caller does with it (one input).
        /// </summary>
        public Task<T> InvokeAsync<T>(Func<T> function) => Run(function, endsTheBlock: false);

        /// <summary>
        /// Starts <paramref name="work"/> now. It should report its own failures (per item, through this object); an
        /// exception that escapes is a defect and ends the command at the next chance. Returns the work's task, so a
        /// later piece can wait for an earlier one (e.g. to keep output in input order).
        /// </summary>
        public Task Start(Func<CancellationToken, Task> work)
        {
            Task task;
            lock (_sync)
            {
                if (_running.Count == 0)
                {
                    _idle = NewIdleSignal(completed: false);
                }

                task = Task.Run(() => work(_cancel.Token), _cancel.Token);
                _running.Add(task);
            }

            task.ContinueWith(Finished, TaskScheduler.Default);
            return task;
        }

        /// <summary>Waits until no work runs (work started meanwhile is waited for too).</summary>
        public async Task WhenIdleAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                Task idle;
                lock (_sync)
                {
                    idle = _idle.Task;
                }

                await OrCancelled(idle, cancellationToken).ConfigureAwait(false);
                lock (_sync)
                {
                    ThrowIfEscaped();
                    if (_running.Count == 0)
                    {
                        return;
                    }
                }
            }
        }

        /// <summary>Awaits <paramref name="task"/>, or throws OperationCanceledException as soon as the token is cancelled (netstandard2.0 has no Task.WaitAsync).</summary>
        private static async Task OrCancelled(Task task, CancellationToken cancellationToken)
        {
            if (!task.IsCompleted && cancellationToken.CanBeCanceled)
            {
                TaskCompletionSource<bool> cancelled = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                using (cancellationToken.Register(() => cancelled.TrySetResult(true)))
                {
                    await Task.WhenAny(task, cancelled.Task).ConfigureAwait(false);
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            await task.ConfigureAwait(false);
        }

        /// <summary>Like <see cref="WhenIdleAsync(CancellationToken)"/>, but returns false after <paramref name="maxWait"/> (to redraw progress).</summary>
        public async Task<bool> WhenIdleAsync(TimeSpan maxWait, CancellationToken cancellationToken)
        {
            using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(maxWait);
            try
            {
                await WhenIdleAsync(timeout.Token).ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }

        /// <summary>Cancels all work and waits (bounded) for it to acknowledge and clean up.</summary>
        public void Cancel()
        {
            _cancel.Cancel();
            WaitStopped(CancelAcknowledgeLimit);
        }

        /// <summary>After the stop token was cancelled: waits (bounded) for the running work to end, without cancelling it itself.</summary>
        internal void WaitStopped(TimeSpan limit)
        {
            Task[] running;
            lock (_sync)
            {
                running = new Task[_running.Count];
                _running.CopyTo(running);
            }

            try
            {
                Task.WaitAll(running, limit);
            }
            catch (AggregateException)
            {
                // Cancelled or failed: the outcome no longer matters once the command has ended.
            }
        }

        public void Dispose()
        {
            Cancel();
            _cancel.Dispose();
        }

        /// <summary>Into the command's one queue; dropped once the command is stopped or over (nobody drains the queue then).</summary>
        private void Post(Action write)
        {
            if (!_cancel.IsCancellationRequested)
            {
                _cmdlet.Enqueue(write);
            }
        }

        /// <summary>Runs <paramref name="function"/> on the pipeline thread and hands its result, or its exception, to the caller.</summary>
        private Task<T> Run<T>(Func<T> function, bool endsTheBlock)
        {
            TaskCompletionSource<T> completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);

            // If the command is stopped before the pipeline thread gets to this action, nobody will ever run it: cancel
            // the answer instead of leaving the caller waiting for ever.
            CancellationTokenRegistration registration = _cancel.Token.Register(() => completion.TrySetCanceled());
            completion.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
            Post(() =>
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

        private void Finished(Task task)
        {
            lock (_sync)
            {
                _running.Remove(task);
                if (task.IsFaulted && _escaped is null)
                {
                    _escaped = task.Exception!.GetBaseException();
                }

                if (_running.Count == 0)
                {
                    _idle.TrySetResult(true);
                }
            }
        }

        /// <summary>On the pipeline thread, at the start of a block: a defect in earlier work ends the command now.</summary>
        internal void ThrowIfFailed()
        {
            lock (_sync)
            {
                ThrowIfEscaped();
            }
        }

        private void ThrowIfEscaped()
        {
            if (_escaped is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(_escaped).Throw();
            }
        }

        private static TaskCompletionSource<bool> NewIdleSignal(bool completed)
        {
            TaskCompletionSource<bool> signal = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (completed)
            {
                signal.SetResult(true);
            }

            return signal;
        }
    }
}
