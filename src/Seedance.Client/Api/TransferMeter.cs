using System;
using System.Diagnostics;
using System.Threading;

namespace Seedance.Client.Http
{
    /// <summary>
    /// Counts the bytes of one transfer (a download or an upload, across its attempts) for two uses: progress, reported
    /// at most a few times a second (reporting each chunk would flood the host), and the stall timer of each attempt,
    /// which fires when a whole <c>RequestTimeout</c> passes without at least <c>MinimumBytesPerTimeout</c> arriving.
    /// Re-arming that timer on every read would let a server trickle a byte at a time and hold the transfer open for
    /// ever; counting bytes makes a trickle a stall, and it limits a stall, not the length of a large transfer.
    /// </summary>
    internal sealed class TransferMeter
    {
        private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

        private readonly IProgress<DownloadProgress>? _progress;
        private readonly TimeSpan _window;
        private readonly long _minimumBytes;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private TimeSpan _lastReport = TimeSpan.Zero;
        private long _received;
        private long _receivedThisSession;
        private long? _total;
        private CancellationTokenSource? _stall;
        private long _sinceArmed;

        public TransferMeter(IProgress<DownloadProgress>? progress, SeedanceClientOptions options)
        {
            _progress = progress;
            _window = options.RequestTimeout;
            _minimumBytes = Math.Max(1, options.MinimumBytesPerTimeout);
        }

        /// <summary>
        /// Starts the stall timer of an attempt (a download's from its answer's headers, not while a connection is opened
        /// or waited for): cancelled when the attempt stalls, or when <paramref name="cancellationToken"/> is.
        /// </summary>
        public CancellationTokenSource Arm(CancellationToken cancellationToken)
        {
            _stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _sinceArmed = 0;
            _stall.CancelAfter(_window);
            return _stall;
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
            _sinceArmed += bytes;
            if (_sinceArmed >= _minimumBytes)
            {
                _sinceArmed = 0;
                _stall?.CancelAfter(_window);
            }

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
