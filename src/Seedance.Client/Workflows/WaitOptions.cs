using System;

namespace Seedance.Client.Waiting
{
    /// <summary>How to wait for a batch of tasks, and when to ask about a task next.</summary>
    public sealed class WaitOptions
    {
        /// <summary>Status requests in flight at once, across all tasks.</summary>
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>A fixed interval between polls of one task; null for the adaptive schedule.</summary>
        public TimeSpan? PollInterval { get; set; }

        /// <summary>Stop waiting after this long (tasks still running are handed back, not cancelled); null waits for ever.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>Return as soon as one task has finished.</summary>
        public bool Any { get; set; }

        /// <summary>
        /// How long after success creditsUsed is read again, for a task whose charge settles after success, before the
        /// charge is taken as it is (the service documents "shortly after"; the budget then keeps counting the maximum).
        /// </summary>
        public TimeSpan SettleTimeout { get; set; } = TimeSpan.FromSeconds(60);

        /// <summary>The interval of those reads.</summary>
        public TimeSpan SettleInterval { get; set; } = TimeSpan.FromSeconds(3);

        /// <summary>Which succeeded tasks are read again until their charge settles; null: none.</summary>
        public Workflows.ChargeSettling? Charges { get; set; }

        /// <summary>
        /// Resubmits a failed task (Wait-SeedanceTask -RetryFailed) beside the polls, waiting for a free slot at most as
        /// long as <see cref="Timeout"/>; null: a failed task is final as it is.
        /// </summary>
        public Workflows.Resubmission? Resubmission { get; set; }

        /// <summary>What a resubmission's create reports while it runs (a slot wait, a warning).</summary>
        public IProgress<Workflows.CreateProgress>? Creating { get; set; }

        /// <summary>
        /// When to ask about a task next: <see cref="PollInterval"/> when given. Otherwise the docs suggest every 3–5 s;
        /// generation takes minutes, so the interval grows with the time already waited. Jitter only ever shortens the
        /// base interval (to 80–100 %): it keeps a batch created together from polling in lockstep without making a
        /// finished task wait longer to be seen.
        /// </summary>
        public TimeSpan NextPollDelay(TimeSpan waitedSoFar)
        {
            if (PollInterval is TimeSpan fixedInterval)
            {
                return fixedInterval;
            }

            double seconds =
                waitedSoFar < TimeSpan.FromSeconds(20) ? 2.5 :
                waitedSoFar < TimeSpan.FromMinutes(1) ? 3 :
                waitedSoFar < TimeSpan.FromMinutes(2) ? 5 :
                waitedSoFar < TimeSpan.FromMinutes(5) ? 10 : 15;
            return TimeSpan.FromSeconds(seconds * (0.8 + (Http.RetryPolicy.Jitter() * 0.2)));
        }
    }
}
