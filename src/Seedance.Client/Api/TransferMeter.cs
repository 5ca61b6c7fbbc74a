using System;
using System.Diagnostics;

namespace Seedance.Client.Http
{
    /// <summary>Counts bytes and reports progress at most a few times a second (reporting each chunk would flood the host).</summary>
    internal sealed class TransferMeter
    {
        private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

        private readonly IProgress<DownloadProgress>? _progress;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _lastReport = TimeSpan.Zero;
        private long _received;
        private long _receivedThisSession;
        private long? _total;

        public TransferMeter(IProgress<DownloadProgress>? progress)
        {
            _progress = progress;
        }

        public void Start(long alreadyReceived, long? total)
        {
            _received = alreadyReceived;
            _total = total;
        }

        public void Add(int bytes)
        {
            _received += bytes;
            _receivedThisSession += bytes;
            if (_clock.Elapsed - _lastReport >= Interval)
            {
                Report();
            }
        }

        public void Finish() => Report();

        private void Report()
        {
            _lastReport = _clock.Elapsed;
            double seconds = Math.Max(_clock.Elapsed.TotalSeconds, 0.001);
            _progress?.Report(new DownloadProgress(_received, _total, _receivedThisSession / seconds));
        }
    }
}
