using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using Seedance.Client.Http;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// The progress of the downloads of one Save-SeedanceVideo call: a bar per file and one for the batch, kept up
    /// to date by the transfers (any thread) and drawn by the pipeline thread whenever it has the chance. The
    /// transfers themselves run as the command's background work.
    /// </summary>
    internal sealed class DownloadBatch
    {
        private const int BatchActivityId = 50;
        private const string BatchActivity = "Saving Seedance videos";

        private readonly object _sync = new object();
        private readonly List<Transfer> _running = new List<Transfer>();
        private int _nextActivityId = BatchActivityId + 1;
        private int _started;
        private int _completed;
        private long _completedBytes;

        /// <summary>A file to download: counted in the batch from now on, though it may wait for a download slot.</summary>
        public Transfer Queue(string label)
        {
            lock (_sync)
            {
                Transfer transfer = new Transfer(label, _nextActivityId++);
                _running.Add(transfer);
                _started++;
                return transfer;
            }
        }

        /// <summary>A transfer ended (saved or failed): its bar is closed.</summary>
        public void End(PipelineOutput output, Transfer transfer)
        {
            lock (_sync)
            {
                _running.Remove(transfer);
                _completed++;
                _completedBytes += transfer.Latest?.BytesReceived ?? 0;
            }

            output.CloseProgress(transfer.ActivityId);
        }

        /// <summary>Bars for what is running now, to write at once (the command's bars close what is left at its end).</summary>
        public IReadOnlyList<ProgressRecord> Progress()
        {
            List<ProgressRecord> records = new List<ProgressRecord>();
            lock (_sync)
            {
                if (_started > 1)
                {
                    records.Add(BatchRecord());
                }

                foreach (Transfer transfer in _running)
                {
                    DownloadProgress? latest = transfer.Latest;
                    if (latest is null)
                    {
                        continue;
                    }

                    string total = latest.TotalBytes is null ? "?" : Mebibytes(latest.TotalBytes.Value);
                    records.Add(new ProgressRecord(transfer.ActivityId, transfer.Label,
                        $"{Mebibytes(latest.BytesReceived)} of {total} at {Mebibytes((long)latest.BytesPerSecond)}/s")
                    {
                        PercentComplete = latest.PercentComplete ?? -1,
                        ParentActivityId = _started > 1 ? BatchActivityId : -1,
                    });
                }
            }

            return records;
        }

        /// <summary>
        /// The batch bar: files saved of those started, what is in progress, and when the sizes are known, the
        /// percentage of bytes and the time left at the current rate.
        /// </summary>
        private ProgressRecord BatchRecord()
        {
            long received = _running.Sum(t => t.Latest?.BytesReceived ?? 0);
            double rate = _running.Sum(t => t.Latest?.BytesPerSecond ?? 0);
            bool sizesKnown = _running.All(t => t.Latest?.TotalBytes is not null) && _running.Count(t => t.IsDownloading) == _running.Count;
            long expected = _running.Sum(t => t.Latest?.TotalBytes ?? 0);
            ProgressRecord record = new ProgressRecord(BatchActivityId, BatchActivity,
                $"{_completed} of {_started} saved, {_running.Count(t => t.IsDownloading)} downloading, {Mebibytes(received)} at {Mebibytes((long)rate)}/s")
            {
                PercentComplete = _completed * 100 / _started,
            };
            if (sizesKnown && expected > 0)
            {
                long remaining = expected - received;
                record.PercentComplete = (int)Math.Min(100, (_completedBytes + received) * 100 / (_completedBytes + expected));
                if (rate > 0)
                {
                    record.SecondsRemaining = (int)Math.Ceiling(remaining / rate);
                }
            }

            return record;
        }

        private static string Mebibytes(long bytes) => (bytes / 1048576.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " MiB";

        /// <summary>One file of the batch: its bar and how far it got.</summary>
        internal sealed class Transfer : IProgress<DownloadProgress>
        {
            private DownloadProgress? _latest;

            public Transfer(string label, int activityId)
            {
                Label = label;
                ActivityId = activityId;
            }

            public string Label { get; }
            public int ActivityId { get; }
            public DownloadProgress? Latest => Volatile.Read(ref _latest);

            /// <summary>True once it holds a download slot (the rest of the batch is queued behind -ThrottleLimit).</summary>
            public bool IsDownloading { get; private set; }

            public void Started() => IsDownloading = true;

            public void Report(DownloadProgress value) => Volatile.Write(ref _latest, value);
        }
    }
}
