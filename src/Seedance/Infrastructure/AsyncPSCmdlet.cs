using System;
using System.Collections.Concurrent;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Base for cmdlets whose work is asynchronous. Each block (begin/process/end) runs as a Task; everything it
    /// wants to write goes through one queue that the pipeline thread drains, because only the pipeline thread may
    /// call WriteObject, WriteError, ShouldProcess and friends. Ctrl+C (StopProcessing) cancels one token that
    /// every request, stream copy and delay receives, so a wait or a download stops at once.
    /// </summary>
    public abstract class AsyncPSCmdlet : PSCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly ConcurrentQueue<string> _verboseBetweenBlocks = new ConcurrentQueue<string>();

        /// <summary>
        /// The pipeline of the block running now, or null between blocks. Work that outlives a block (lookups
        /// started in ProcessRecord) uses it for best-effort messages such as verbose lines.
        /// </summary>
        protected AsyncPipeline? CurrentPipeline { get; private set; }

        /// <summary>
        /// A verbose line from work that may outlive a block (e.g. a lookup started in ProcessRecord logging a
        /// retry). Between blocks nothing can be written, so the line waits for the next block instead of being lost.
        /// </summary>
        protected void WriteVerboseFromBackground(string message)
        {
            if (CurrentPipeline?.TryWriteVerbose(message) != true)
            {
                _verboseBetweenBlocks.Enqueue(message);
            }
        }

        /// <summary>Cancelled when the user presses Ctrl+C or the pipeline is stopped.</summary>
        protected CancellationToken StopToken => _stopping.Token;

        protected override void BeginProcessing() => RunBlock(BeginProcessingAsync);

        protected override void ProcessRecord() => RunBlock(ProcessRecordAsync);

        protected override void EndProcessing() => RunBlock(EndProcessingAsync);

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>
        /// Runs on the pipeline thread after Ctrl+C ended a block. The pipeline no longer takes output, so anything
        /// the user must still learn (e.g. ids of paid tasks still running) goes straight to the host.
        /// </summary>
        protected virtual void OnStopped()
        {
        }

        /// <summary>
        /// Runs on the pipeline thread when an error (not a stop) ends a block, e.g. a failed item under
        /// -ErrorAction Stop. The pipeline still takes records then, so this is where bars left open get closed.
        /// </summary>
        protected virtual void OnFailed()
        {
        }

        protected virtual Task BeginProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken) => Task.CompletedTask;

        protected virtual Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken) => Task.CompletedTask;

        protected virtual Task EndProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        protected virtual void Dispose(bool disposing)
        {
            if (disposing)
            {
                _stopping.Dispose();
            }
        }

        private void RunBlock(Func<AsyncPipeline, CancellationToken, Task> block)
        {
            // A block also ends when the pipeline thread fails (e.g. a downstream Select-Object -First stopped us).
            using CancellationTokenSource blockCancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            BlockingCollection<Action> queue = new BlockingCollection<Action>();
            AsyncPipeline pipeline = new AsyncPipeline(this, queue, blockCancel.Token);
            CurrentPipeline = pipeline;
            while (_verboseBetweenBlocks.TryDequeue(out string? pending))
            {
                pipeline.WriteVerbose(pending);
            }
            Task work = Task.Run(async () =>
            {
                try
                {
                    await block(pipeline, blockCancel.Token).ConfigureAwait(false);
                }
                finally
                {
                    queue.CompleteAdding();
                }
            });

            try
            {
                foreach (Action action in queue.GetConsumingEnumerable(_stopping.Token))
                {
                    action();
                }

                work.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                OnStopped();
                throw new PipelineStoppedException();
            }
            catch (TerminatingErrorException e)
            {
                OnFailed();
                ThrowTerminatingError(e.ErrorRecord);
            }
            catch (Exception) when (!_stopping.IsCancellationRequested)
            {
                OnFailed();
                throw;
            }
            finally
            {
                // Whatever ended the block (success, error, stop), in-flight work must not outlive it.
                CurrentPipeline = null;
                blockCancel.Cancel();

                // Cancelled work still runs its own cleanup (e.g. deleting a temporary .partial download): let it
                // finish before the pipeline returns, or Ctrl+C hands the prompt back (or the process exits) with
                // that cleanup still pending. Bounded, so a stop can never hang here.
                if (!work.IsCompleted)
                {
                    try
                    {
                        work.Wait(TimeSpan.FromSeconds(2));
                    }
                    catch (AggregateException)
                    {
                        // Its outcome was already reported, or no longer matters once the block has ended.
                    }
                }
            }
        }
    }

    /// <summary>Thrown inside async code to end the cmdlet with a terminating error on the pipeline thread.</summary>
    public sealed class TerminatingErrorException : Exception
    {
        public TerminatingErrorException(ErrorRecord errorRecord)
            : base(errorRecord.Exception?.Message, errorRecord.Exception)
        {
            ErrorRecord = errorRecord;
        }

        public ErrorRecord ErrorRecord { get; }
    }
}
