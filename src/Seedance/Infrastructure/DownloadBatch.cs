using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Downloads running side by side for one Save-SeedanceVideo call: at most ThrottleLimit transfer at once,
    /// results taken in completion order, and progress kept per file and for the batch so that the pipeline
    /// thread can draw it whenever it has the chance.
    /// </summary>
    internal sealed class DownloadBatch : IDisposable
    {
        private const int BatchActivityId = 50;
        private const string BatchActivity = "Saving Seedance videos";

        private static readonly TimeSpan CleanupGrace = TimeSpan.FromSeconds(2);

        private readonly SemaphoreSlim _throttle;
        private readonly CancellationTokenSource _cancel;
        private readonly CancellationToken _stop;
        private readonly List<Transfer> _running = new List<Transfer>();
        private readonly ConcurrentQueue<Transfer> _finished = new ConcurrentQueue<Transfer>();
        private readonly SemaphoreSlim _finishedSignal = new SemaphoreSlim(0);
        private readonly Dictionary<int, string> _barsDrawn = new Dictionary<int, string>();
        private int _nextActivityId = BatchActivityId + 1;
        private int _started;
        private int _completed;
        private bool _batchBarShown;

        public DownloadBatch(int throttleLimit, CancellationToken stop)
        {
            _throttle = new SemaphoreSlim(throttleLimit);
            _cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
            _stop = _cancel.Token;
        }

        public bool HasPending => _running.Count > 0;

        /// <summary>Starts one transfer; <paramref name="work"/> runs when a slot is free and returns the saved file.</summary>
        public void Start(string label, object errorTarget, Func<IProgress<DownloadProgress>, CancellationToken, Task<FileInfo>> work)
        {
            Transfer transfer = new Transfer(label, errorTarget, _nextActivityId++);
            _running.Add(transfer);
            _started++;
            transfer.Task = RunAsync(transfer, work);
        }

        /// <summary>Transfers that ended since the last call, in the order they ended. Never blocks.</summary>
        public IEnumerable<Transfer> TakeFinished()
        {
            while (_finished.TryDequeue(out Transfer? transfer))
            {
                _running.Remove(transfer);
                _completed++;
                yield return transfer;
            }
        }

        /// <summary>Waits until a transfer ends or <paramref name="maxWait"/> passes (to redraw progress).</summary>
        public Task WaitForFinishedAsync(TimeSpan maxWait) => _finishedSignal.WaitAsync(maxWait, _stop);

        /// <summary>Progress bars for what is running now, plus closing records for what has ended.</summary>
        public IEnumerable<ProgressRecord> Progress()
        {
            if (_started > 1)
            {
                _batchBarShown = true;
                long bytes = _running.Sum(t => t.Latest?.BytesReceived ?? 0);
                double rate = _running.Sum(t => t.Latest?.BytesPerSecond ?? 0);
                yield return new ProgressRecord(BatchActivityId, BatchActivity,
                    $"{_completed} of {_started} saved, {_running.Count} in progress, {Megabytes(bytes)} at {Megabytes((long)rate)}/s")
                {
                    PercentComplete = _completed * 100 / _started,
                };
            }

            foreach (Transfer transfer in _running)
            {
                DownloadProgress? latest = transfer.Latest;
                if (latest is null)
                {
                    continue;
                }

                lock (_barsDrawn)
                {
                    _barsDrawn[transfer.ActivityId] = transfer.Label;
                }

                string total = latest.TotalBytes is null ? "?" : Megabytes(latest.TotalBytes.Value);
                yield return new ProgressRecord(transfer.ActivityId, transfer.Label,
                    $"{Megabytes(latest.BytesReceived)} of {total} at {Megabytes((long)latest.BytesPerSecond)}/s")
                {
                    PercentComplete = latest.PercentComplete ?? -1,
                    ParentActivityId = _started > 1 ? BatchActivityId : -1,
                };
            }
        }

        /// <summary>The record that closes the bar of a transfer that has ended.</summary>
        public static ProgressRecord CompleteProgress(Transfer ended) => ProgressRecords.Completed(ended.ActivityId, ended.Label);

        public ProgressRecord? CompleteBatchProgress() => _batchBarShown ? ProgressRecords.Completed(BatchActivityId, BatchActivity) : null;

        /// <summary>
        /// Closing records for every bar this batch ever drew, for when an error ends the command: records already
        /// queued for the pipeline may never have been written then. Closing a bar twice is harmless.
        /// </summary>
        public IEnumerable<ProgressRecord> CompleteAllProgress()
        {
            List<ProgressRecord> records = new List<ProgressRecord>();
            lock (_barsDrawn)
            {
                foreach (KeyValuePair<int, string> bar in _barsDrawn)
                {
                    records.Add(ProgressRecords.Completed(bar.Key, bar.Value));
                }
            }

            ProgressRecord? batch = CompleteBatchProgress();
            if (batch is not null)
            {
                records.Add(batch);
            }

            return records;
        }

        /// <summary>
        /// Cancels what still runs (the command ended early: Ctrl+C, or downstream stopped taking output) and gives
        /// each transfer a moment to delete its temporary file, so nothing is left behind when the prompt returns.
        /// </summary>
        public void Dispose()
        {
            _cancel.Cancel();
            Task[] pending = _running.Select(t => t.Task).OfType<Task>().ToArray();
            try
            {
                Task.WaitAll(pending, CleanupGrace);
            }
            catch (AggregateException)
            {
                // Their failures no longer matter: the command has ended.
            }

            _cancel.Dispose();
            _throttle.Dispose();
            _finishedSignal.Dispose();
        }

        private async Task RunAsync(Transfer transfer, Func<IProgress<DownloadProgress>, CancellationToken, Task<FileInfo>> work)
        {
            try
            {
                await _throttle.WaitAsync(_stop).ConfigureAwait(false);
                try
                {
                    transfer.File = await work(new LatestProgress(transfer), _stop).ConfigureAwait(false);
                }
                finally
                {
                    _throttle.Release();
                }
            }
            catch (Exception e)
            {
                transfer.Error = e;
            }

            _finished.Enqueue(transfer);
            _finishedSignal.Release();
        }

        private static string Megabytes(long bytes) => (bytes / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " MB";

        /// <summary>One file of the batch: what it is, how far it got, and how it ended.</summary>
        internal sealed class Transfer
        {
            public Transfer(string label, object errorTarget, int activityId)
            {
                Label = label;
                ErrorTarget = errorTarget;
                ActivityId = activityId;
            }

            public string Label { get; }
            public object ErrorTarget { get; }
            public int ActivityId { get; }
            public Task? Task { get; set; }
            public volatile DownloadProgress? Latest;
            public FileInfo? File { get; set; }
            public Exception? Error { get; set; }
        }

        private sealed class LatestProgress : IProgress<DownloadProgress>
        {
            private readonly Transfer _transfer;

            public LatestProgress(Transfer transfer)
            {
                _transfer = transfer;
            }

            public void Report(DownloadProgress value) => _transfer.Latest = value;
        }
    }
}
