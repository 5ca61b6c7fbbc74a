using System;

namespace Seedance.Client.Waiting
{
    /// <summary>How to wait for a batch of tasks.</summary>
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
    }
}
