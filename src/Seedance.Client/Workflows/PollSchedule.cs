using System;

namespace Seedance.Client.Waiting
{
    /// <summary>
    /// When to ask about a task next. The docs suggest every 3–5 s; generation takes minutes, so the interval
    /// grows with the time already waited. Jitter only ever shortens the base interval (to 80–100 %): it keeps a
    /// batch created together from polling in lockstep without making a finished task wait longer to be seen.
    /// </summary>
    public sealed class PollSchedule
    {
        [ThreadStatic]
        private static Random? t_random;

        private readonly TimeSpan? _fixedInterval;

        public PollSchedule(TimeSpan? fixedInterval)
        {
            _fixedInterval = fixedInterval;
        }

        public TimeSpan NextDelay(TimeSpan waitedSoFar)
        {
            if (_fixedInterval is not null)
            {
                return _fixedInterval.Value;
            }

            double seconds =
                waitedSoFar < TimeSpan.FromSeconds(20) ? 2.5 :
                waitedSoFar < TimeSpan.FromMinutes(1) ? 3 :
                waitedSoFar < TimeSpan.FromMinutes(2) ? 5 :
                waitedSoFar < TimeSpan.FromMinutes(5) ? 10 : 15;
            Random random = t_random ??= new Random(Guid.NewGuid().GetHashCode());
            return TimeSpan.FromSeconds(seconds * (0.8 + (random.NextDouble() * 0.2)));
        }
    }
}
