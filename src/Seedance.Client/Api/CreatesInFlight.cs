using System.Threading;

namespace Seedance.Client.Http
{
    /// <summary>
    /// The creates of one command that have been sent and not yet answered: what a stop's <see cref="StopGrace"/> waits
    /// for, counted so that the stop can say at once that it waits and for how many (issue 16: the wait was silent).
    /// </summary>
    public sealed class CreatesInFlight
    {
        private int _count;

        /// <summary>How many creates are on their way now.</summary>
        public int Count => Volatile.Read(ref _count);

        internal void Enter() => Interlocked.Increment(ref _count);

        internal void Leave() => Interlocked.Decrement(ref _count);
    }
}
