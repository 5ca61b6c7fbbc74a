using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Journal;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Base for cmdlets whose work is asynchronous. Each block (begin/process/end) runs as a Task; everything the
    /// command wants to write, from a block or from work that outlives one (<see cref="Background"/>, waited for at the
    /// end), goes through one queue that the pipeline thread drains while a block runs, because only the pipeline
    /// thread may call WriteObject, WriteError, ShouldProcess and friends. Ctrl+C
    /// (StopProcessing) cancels one token that every request, stream copy and delay receives, so a wait or a
    /// download stops at once.
    /// </summary>
    public abstract class AsyncPSCmdlet : SeedanceCmdlet, IDisposable
    {
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly PipelineOutput _background;

        /// <summary>What the blocks and the background work write, in order; what is written between blocks waits for the next.</summary>
        private readonly BlockingCollection<Action> _writes = new BlockingCollection<Action>();
        private ErrorRecord? _errorBeingWritten;

        /// <summary>Set while no block of this command runs; a process termination waits on it (see <see cref="WaitStopped"/>).</summary>
        private readonly ManualResetEventSlim _outsideBlock = new ManualResetEventSlim(initialState: true);
        private int _blockThread;

        protected AsyncPSCmdlet()
        {
            _background = new PipelineOutput(this, CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token));
            Bars = new ProgressBars(this);
        }

        /// <summary>The command's progress bars (pipeline thread only): closed by the end block, or when an error ends the command.</summary>
        internal ProgressBars Bars { get; }

        /// <summary>What the command writes from async code, and work started in one block that finishes later; see <see cref="PipelineOutput"/>.</summary>
        protected PipelineOutput Background => _background;

        protected override void BeginProcessing()
        {
            // From here on a request to end the process (SIGTERM, SIGHUP) stops this command as Ctrl+C does.
            ProcessTermination.Register(this);
            RunBlock(BeginProcessingAsync);
        }

        protected override void ProcessRecord() => RunBlock(ProcessRecordAsync);

        protected override void EndProcessing()
        {
            RunBlock(async (pipeline, cancellationToken) =>
            {
                await EndProcessingAsync(pipeline, cancellationToken).ConfigureAwait(false);
                await _background.WhenIdleAsync(cancellationToken).ConfigureAwait(false);
            });
            Bars.CloseAll();
        }

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>The process is asked to end (<see cref="ProcessTermination"/>): the command is stopped exactly as by Ctrl+C.</summary>
        internal void StopForTermination() => StopProcessing();

        /// <summary>
        /// After <see cref="StopForTermination"/>, on the thread handling the termination: waits until by
        /// <paramref name="deadline"/> the block running on the pipeline thread has ended (a create in flight within its
        /// grace, the early-end report written), or the work in the background has. Never waits for a block of its own
        /// thread (an exit called from inside the pipeline).
        /// </summary>
        internal void WaitStopped(DateTime deadline)
        {
            TimeSpan left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || Volatile.Read(ref _blockThread) == Environment.CurrentManagedThreadId)
            {
                return;
            }

            try
            {
                if (!_outsideBlock.Wait(left))
                {
                    return;
                }

                left = deadline - DateTime.UtcNow;
                if (left > TimeSpan.Zero)
                {
                    _background.WaitStopped(left);
                }
            }
            catch (ObjectDisposedException)
            {
                // The command was over meanwhile.
            }
        }

        /// <summary>
        /// After a process termination's wait, on the thread handling it: the command was stopped as by Ctrl+C, so it says
        /// what the user must still learn (the paid tasks) as it would then, if nothing said it yet.
        /// </summary>
        internal void ReportTerminated() => OnEndedEarly(stopped: true, cause: null);

        /// <summary>
        /// Runs on the pipeline thread when a block ends early (and after a process termination, see
        /// <see cref="ReportTerminated"/>). <paramref name="stopped"/>: Ctrl+C ended it, the pipeline
        /// no longer takes output, and anything the user must still learn (e.g. ids of paid tasks still running) goes
        /// straight to the host. Otherwise an error ended it: a failed item under -ErrorAction Stop, a terminating error,
        /// or a downstream command that stopped taking input (Select-Object -First); the pipeline may still take records
        /// then, and the base has closed the bars left open. <paramref name="cause"/> is the error record that ended it, when it
        /// is one of ours (the terminating error, or the error that -ErrorAction Stop turned into one, which PowerShell
        /// reports to us only as a stopped pipeline).
        /// </summary>
        protected virtual void OnEndedEarly(bool stopped, ErrorRecord? cause)
        {
        }

        /// <summary>Queues a write for the pipeline thread.</summary>
        internal void Enqueue(Action write) => _writes.Add(write);

        /// <summary>Writes an error for the queues, remembering it while PowerShell handles it (see OnEndedEarly's cause).</summary>
        internal void WriteQueuedError(ErrorRecord errorRecord)
        {
            _errorBeingWritten = errorRecord;
            WriteError(errorRecord);
            _errorBeingWritten = null;
        }

        protected virtual Task BeginProcessingAsync(PipelineOutput pipeline, CancellationToken cancellationToken) => Task.CompletedTask;

        protected virtual Task ProcessRecordAsync(PipelineOutput pipeline, CancellationToken cancellationToken) => Task.CompletedTask;

        /// <summary>The end block; afterwards the base waits for all background work, writing what it writes.</summary>
        protected virtual Task EndProcessingAsync(PipelineOutput pipeline, CancellationToken cancellationToken) => Task.CompletedTask;

        public void Dispose()
        {
            Dispose(true);
            GC.SuppressFinalize(this);
        }

        /// <summary>Called when the pipeline ends, however it ended; background work still running is cancelled here.</summary>
        protected virtual void Dispose(bool disposing)
        {
            if (disposing)
            {
                ProcessTermination.Unregister(this);
                _background.Dispose();
                _stopping.Dispose();
                _outsideBlock.Dispose();
                _writes.Dispose();
            }
        }

        private void RunBlock(Func<PipelineOutput, CancellationToken, Task> block)
        {
            // A block also ends when the pipeline thread fails (e.g. a downstream Select-Object -First stopped us).
            using CancellationTokenSource blockCancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            Action blockEnded = () => { };
            _outsideBlock.Reset();
            Volatile.Write(ref _blockThread, Environment.CurrentManagedThreadId);
            Task? work = null;
            try
            {
                _background.ThrowIfFailed();
                work = Task.Run(async () =>
                {
                    try
                    {
                        await block(_background, blockCancel.Token).ConfigureAwait(false);
                    }
                    finally
                    {
                        _writes.Add(blockEnded);
                    }
                });

                // What the background wrote since the last block comes first; what it writes after this block's end
                // mark waits for the next block (an earlier block's mark, left by a block that ended early, is a no-op).
                foreach (Action action in _writes.GetConsumingEnumerable(_stopping.Token))
                {
                    if (action == blockEnded)
                    {
                        break;
                    }

                    action();
                }

                work.GetAwaiter().GetResult();
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                // Whatever surfaced first (our cancellation, or PipelineStoppedException from a write), it is a stop.
                EndEarly(blockCancel, work);
                OnEndedEarly(stopped: true, cause: null);
                throw new PipelineStoppedException();
            }
            catch (Exception e) when (e is TerminatingErrorException || e is JournalException)
            {
                // A journal that cannot be read or written ends the command: no create may be sent without its record,
                // and a listing or a settle has nothing to work from. Commands that can do without it never let it escape.
                ErrorRecord error = e is TerminatingErrorException terminating ? terminating.ErrorRecord : SeedanceErrors.FromException(e, null);
                EndEarly(blockCancel, work);
                Bars.CloseAll();
                OnEndedEarly(stopped: false, error);
                ThrowTerminatingError(error);
            }
            catch (Exception e)
            {
                ErrorRecord? cause = _errorBeingWritten ?? (e as IContainsErrorRecord)?.ErrorRecord;
                _errorBeingWritten = null;
                EndEarly(blockCancel, work);
                Bars.CloseAll();
                OnEndedEarly(stopped: false, cause);
                throw;
            }
            finally
            {
                blockCancel.Cancel();
                Volatile.Write(ref _blockThread, 0);
                _outsideBlock.Set();
            }
        }

        /// <summary>
        /// The command will not finish: cancel this block and everything in the background, and let both run their
        /// cleanup (e.g. deleting a temporary .partial download) before the pipeline returns, so Ctrl+C never hands
        /// the prompt back (or lets the process exit) with that cleanup still pending.
        /// </summary>
        private void EndEarly(CancellationTokenSource blockCancel, Task? work)
        {
            blockCancel.Cancel();
            _background.Cancel();
            if (work is not null && !work.IsCompleted)
            {
                try
                {
                    work.Wait(PipelineOutput.CancelAcknowledgeLimit);
                }
                catch (AggregateException)
                {
                    // Its outcome was already reported, or no longer matters once the block has ended.
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
