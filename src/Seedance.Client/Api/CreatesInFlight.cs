using System;
using System.Globalization;
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
        private int _stopNoticeGiven;

        /// <summary>How many creates are on their way now.</summary>
        public int Count => Volatile.Read(ref _count);

        /// <summary>
        /// What a stop says at once while creates are on their way: that it waits up to <paramref name="grace"/> for their
        /// answers, so that their tasks are not lost (issue 16: the wait was silent until the final warning, up to 12 s
        /// later). Once per command; null with nothing on its way, or no grace to wait.
        /// </summary>
        public string? StopNotice(TimeSpan grace)
        {
            int sent = Count;
            if (sent == 0 || grace <= TimeSpan.Zero || Interlocked.Exchange(ref _stopNoticeGiven, 1) != 0)
            {
                return null;
            }

            string seconds = grace.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
            return sent == 1
                ? $"Stopping: waiting up to {seconds} s for the answer to 1 create already sent, so its task is not lost."
                : $"Stopping: waiting up to {seconds} s for the answers to {sent} creates already sent, so their tasks are not lost.";
        }

        internal void Enter() => Interlocked.Increment(ref _count);

        internal void Leave() => Interlocked.Decrement(ref _count);
    }
}
