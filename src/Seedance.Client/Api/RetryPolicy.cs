using System;

namespace Seedance.Client.Http
{
    /// <summary>
    /// How often and how long to retry: exponential backoff with jitter, honouring Retry-After, bounded both by
    /// attempts and by total time. Which failures may be retried at all is decided by the caller (a create is not
    /// a read), never here.
    /// </summary>
    public sealed class RetryPolicy
    {
        public int MaxAttempts { get; set; } = 5;
        public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);
        public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);
        public TimeSpan MaxTotalTime { get; set; } = TimeSpan.FromMinutes(2);

        /// <summary>A policy that never retries.</summary>
        public static RetryPolicy None => new RetryPolicy { MaxAttempts = 1 };

        /// <summary>
        /// The delay before attempt number <paramref name="nextAttempt"/> (2 = first retry), or null when the
        /// budget is spent: out of attempts, or the wait would end past the total-time bound.
        /// </summary>
        public TimeSpan? DelayBefore(int nextAttempt, TimeSpan elapsed, TimeSpan? retryAfter)
        {
            if (nextAttempt > MaxAttempts)
            {
                return null;
            }

            TimeSpan delay = retryAfter ?? Backoff(nextAttempt - 1);
            if (elapsed + delay > MaxTotalTime)
            {
                return null;
            }

            return delay;
        }

        /// <summary>Full-jitter-ish backoff: base × 2^(n-1), capped, then randomised to 50–100 % of that.</summary>
        private TimeSpan Backoff(int retryNumber)
        {
            double exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(retryNumber - 1, 16));
            double capped = Math.Min(exponential, MaxDelay.TotalMilliseconds);
            return TimeSpan.FromMilliseconds(capped * (0.5 + (Jitter() / 2)));
        }

        /// <summary>A random number from 0 to 1 for every jittered wait (backoff, slot waits, polls), one generator per thread.</summary>
        internal static double Jitter() => (t_random ??= new Random(Guid.NewGuid().GetHashCode())).NextDouble();

        [ThreadStatic]
        private static Random? t_random;
    }
}
