using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// What async code may write: a block writes through its <see cref="AsyncPipeline"/>, work that outlives a block
    /// through <see cref="BackgroundWork"/>. Every call only queues an action for the pipeline thread, because only it
    /// may write; the two differ only in <see cref="Post"/> (what a write after the end does) and in what cancels an
    /// answer nobody will give any more.
    /// </summary>
    public abstract class PipelineOutput
    {
        private readonly CancellationToken _answersCancelled;

        private protected PipelineOutput(AsyncPSCmdlet cmdlet, CancellationToken answersCancelled)
        {
            Cmdlet = cmdlet;
            _answersCancelled = answersCancelled;
        }

        private protected AsyncPSCmdlet Cmdlet { get; }

        /// <summary>Queues an object for output and returns at once (the caller keeps working while downstream runs).</summary>
        public void WriteObject(object? value) => Post(() => Cmdlet.WriteObject(value));

        public void WriteError(ErrorRecord errorRecord) => Post(() => Cmdlet.WriteQueuedError(errorRecord));

        public void WriteWarning(string message) => Post(() => Cmdlet.WriteWarning(message));

        public void WriteVerbose(string message) => Post(() => Cmdlet.WriteVerbose(message));

        public void WriteDebug(string message) => Post(() => Cmdlet.WriteDebug(message));

        /// <summary>Draws or closes a bar through the command's <see cref="ProgressBars"/>.</summary>
        public void WriteProgress(ProgressRecord progress) => Post(() => Cmdlet.Bars.Write(progress));

        /// <summary>Closes bar <paramref name="activityId"/> if it is open.</summary>
        public void CloseProgress(int activityId) => Post(() => Cmdlet.Bars.Close(activityId));

        public void Invoke(Action action) => Post(action);

        /// <summary>ShouldProcess, asked on the pipeline thread; a failure there ends the block as it would in a synchronous cmdlet.</summary>
        public Task<bool> ShouldProcessAsync(string target, string action) => Run(() => Cmdlet.ShouldProcess(target, action), endsTheBlock: true);

        /// <summary>Hands <paramref name="action"/> to the pipeline thread.</summary>
        private protected abstract void Post(Action action);

        /// <summary>Runs <paramref name="function"/> on the pipeline thread and hands its result, or its exception, to the caller.</summary>
        private protected Task<T> Run<T>(Func<T> function, bool endsTheBlock)
        {
            TaskCompletionSource<T> completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);

            // If the block ends or the work is cancelled before the pipeline thread gets to this action, nobody will
            // ever run it: cancel the answer instead of leaving the caller waiting for ever.
            CancellationTokenRegistration registration = _answersCancelled.Register(() => completion.TrySetCanceled());
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
    }
}
