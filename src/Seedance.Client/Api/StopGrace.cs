using System;
using System.Threading;

namespace Seedance.Client.Http
{
    /// <summary>
    /// The cancellation a create's request is sent with: cancelled a grace period after the command is stopped, not
    /// at once. A create that has left the machine may already be a paid task, and its answer is the only place its id
    /// comes from; abandoning it on Ctrl+C left a task on the service with nothing to name it (issue 16). Only the send
    /// itself waits: a stop while nothing is in flight (a slot wait's delay) still ends it at once.
    /// </summary>
    internal sealed class StopGrace : IDisposable
    {
        private readonly CancellationTokenSource _send = new CancellationTokenSource();
        private readonly CancellationTokenRegistration _stopped;
        private readonly CreatesInFlight? _inFlight;

        public StopGrace(CancellationToken stop, TimeSpan grace, CreatesInFlight? inFlight = null)
        {
            _inFlight = inFlight;
            _inFlight?.Enter();
            _stopped = stop.Register(() =>
            {
                try
                {
                    if (grace <= TimeSpan.Zero)
                    {
                        _send.Cancel();
                    }
                    else
                    {
                        _send.CancelAfter(grace);
                    }
                }
                catch (ObjectDisposedException)
                {
                    // The send is over: nothing to cancel.
                }
            });
        }

        /// <summary>What the request is sent with.</summary>
        public CancellationToken Token => _send.Token;

        public void Dispose()
        {
            _inFlight?.Leave();
            _stopped.Dispose();
            _send.Dispose();
        }
    }
}
