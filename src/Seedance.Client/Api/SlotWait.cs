using System;

namespace Seedance.Client.Http
{
    /// <summary>
    /// How a create waits when the account runs as many tasks as it may (429 "Concurrency limit reached"). The
    /// service did not take the request and did not charge for it, so sending it again is safe; the only question
    /// is when. Retry-After is honoured; without it the wait is short (a few seconds, with jitter, so that several
    /// waiting callers do not knock in step) because a slot frees whenever any running task finishes.
    /// </summary>
    public sealed class SlotWait
    {
        /// <summary>Give up (the 429 is reported) once this long was spent waiting; null waits as long as it takes.</summary>
        public TimeSpan? Timeout { get; set; }

        /// <summary>The mean wait between tries without Retry-After; each wait is 50–150 % of it.</summary>
        public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>
        /// The shortest wait, even when Retry-After says 0: a service that keeps answering "full, come back now" must
        /// not turn the wait into a loop of requests.
        /// </summary>
        public TimeSpan MinimumDelay { get; set; } = TimeSpan.FromMilliseconds(250);

        /// <summary>
        /// The longest wait between tries, even when Retry-After asks for more (a 429 costs nothing, so asking again is
        /// safe). It bounds how long a waiting create is silent in the journal: each try writes a record, and a create
        /// of another machine silent for longer than <see cref="SeedanceClientOptions.LongestCreateTry"/> is taken as
        /// gone (JournalProcesses). A hostile Retry-After cannot park a create for days either.
        /// </summary>
        public static readonly TimeSpan MaximumDelay = TimeSpan.FromMinutes(5);

        /// <summary>Called before each wait (on the thread that runs the request): for progress and log lines.</summary>
        public Action<SlotWaitNotice>? Waiting { get; set; }

        /// <summary>
        /// Called after a wait, just before the create is sent again (on the thread that runs the request): from now on
        /// the service may take it. An exception thrown here stops the create unsent (e.g. its record cannot be written).
        /// </summary>
        public Action? Resending { get; set; }

        /// <summary>The delay before the next try, or null when the timeout does not leave room for it.</summary>
        public TimeSpan? DelayBefore(TimeSpan waitedSoFar, TimeSpan? retryAfter)
        {
            TimeSpan delay = retryAfter ?? TimeSpan.FromMilliseconds(Interval.TotalMilliseconds * (0.5 + RetryPolicy.Jitter()));
            if (delay < MinimumDelay)
            {
                delay = MinimumDelay;
            }

            if (delay > MaximumDelay)
            {
                delay = MaximumDelay;
            }

            if (Timeout is not null)
            {
                TimeSpan left = Timeout.Value - waitedSoFar;
                if (left <= TimeSpan.Zero || (retryAfter is not null && retryAfter.Value > left))
                {
                    // Out of time, or the service asks us to come back after our deadline: report the 429 now.
                    return null;
                }

                if (delay > left)
                {
                    delay = left;
                }
            }

            return delay;
        }

        internal void Report(SlotWaitNotice notice) => Waiting?.Invoke(notice);

        internal void ReportResend() => Resending?.Invoke();
    }

    /// <summary>One wait for a free slot: which try comes next, how long so far, and what the service said.</summary>
    public sealed class SlotWaitNotice
    {
        internal SlotWaitNotice(int waitNumber, TimeSpan waitedSoFar, TimeSpan delay, bool fromRetryAfter, SeedanceApiException? answer)
        {
            WaitNumber = waitNumber;
            WaitedSoFar = waitedSoFar;
            Delay = delay;
            FromRetryAfter = fromRetryAfter;
            Limit = answer?.Limit;
            Running = answer?.Current;
        }

        /// <summary>1 for the first wait of this create, 2 for the second...</summary>
        public int WaitNumber { get; }
        public TimeSpan WaitedSoFar { get; }
        public TimeSpan Delay { get; }
        public bool FromRetryAfter { get; }

        /// <summary>The account's concurrency limit and how many tasks it runs, when the 429 said so.</summary>
        public int? Limit { get; }
        public int? Running { get; }
    }
}
