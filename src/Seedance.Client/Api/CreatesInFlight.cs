using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace Seedance.Client.Http
{
    /// <summary>
    /// The creates of one command that have been sent and not yet answered: what a stop waits for (<see cref="SendAsync"/>),
    /// counted so that the stop can say at once that it waits and for how many (issue 16: the wait was silent).
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

        /// <summary>
        /// One send of a create, counted while it is on its way, with a cancellation that fires <paramref name="grace"/>
        /// after <paramref name="stop"/>, not at once. A create that has left the machine may already be a paid task, and
        /// its answer is the only place its id comes from; abandoning it on Ctrl+C left a task on the service with nothing
        /// to name it (issue 16). Only the send itself waits: a stop while nothing is in flight (a slot wait's delay)
        /// still ends it at once.
        /// </summary>
        internal async Task<T> SendAsync<T>(CancellationToken stop, TimeSpan grace, Func<CancellationToken, Task<T>> send)
        {
            stop.ThrowIfCancellationRequested();
            using CancellationTokenSource sending = new CancellationTokenSource();

            // Disposed before the source (declared after it), and its disposal waits for a running callback.
            using CancellationTokenRegistration stopped = stop.Register(() =>
            {
                if (grace <= TimeSpan.Zero)
                {
                    sending.Cancel();
                }
                else
                {
                    sending.CancelAfter(grace);
                }
            });
            Interlocked.Increment(ref _count);
            try
            {
                return await send(sending.Token).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }
}
