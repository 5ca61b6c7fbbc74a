using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace Seedance.Client.Timing
{
    /// <summary>
    /// The time every wait of the client is measured against: retry backoff, slot waiting, polling, deadlines.
    /// One seam for tests, so they can run through minutes of backoff without sleeping through it.
    /// </summary>
    public abstract class SeedanceClock
    {
        /// <summary>Real time: a monotonic stopwatch and <see cref="Task.Delay(TimeSpan, CancellationToken)"/>.</summary>
        public static SeedanceClock System { get; } = new SystemClock();

        /// <summary>Monotonic time since an arbitrary origin; only differences mean anything.</summary>
        public abstract TimeSpan Now { get; }

        /// <summary>Completes after <paramref name="delay"/> (at once for zero or less); cancelled with the token.</summary>
        public abstract Task Delay(TimeSpan delay, CancellationToken cancellationToken);

        private sealed class SystemClock : SeedanceClock
        {
            private readonly Stopwatch _origin = Stopwatch.StartNew();

            public override TimeSpan Now => _origin.Elapsed;

            public override Task Delay(TimeSpan delay, CancellationToken cancellationToken)
            {
                if (delay <= TimeSpan.Zero)
                {
                    return cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;
                }

                return Task.Delay(delay, cancellationToken);
            }
        }
    }
}
