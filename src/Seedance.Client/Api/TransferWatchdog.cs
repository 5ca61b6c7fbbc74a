using System;
using System.Threading;

namespace Seedance.Client.Http
{
    /// <summary>
    /// The stall timer of one transfer: it fires when a whole <c>RequestTimeout</c> passes without at least
    /// <c>MinimumBytesPerTimeout</c> arriving. Re-arming on every read would let a server trickle a byte at a time and
    /// hold the download open for ever; counting bytes makes a trickle a stall.
    /// </summary>
    internal sealed class TransferWatchdog : IDisposable
    {
        private readonly CancellationTokenSource _timer;
        private readonly TimeSpan _window;
        private readonly long _minimumBytes;
        private long _sinceArmed;

        public TransferWatchdog(CancellationToken cancellationToken, TimeSpan window, long minimumBytes)
        {
            _timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _window = window;
            _minimumBytes = Math.Max(1, minimumBytes);
            _timer.CancelAfter(window);
        }

        /// <summary>Cancelled when the transfer stalls (or the caller cancels).</summary>
        public CancellationToken Token => _timer.Token;

        public void Received(int bytes)
        {
            _sinceArmed += bytes;
            if (_sinceArmed >= _minimumBytes)
            {
                _sinceArmed = 0;
                _timer.CancelAfter(_window);
            }
        }

        public void Dispose() => _timer.Dispose();
    }
}
