using System;
using Seedance.Client.Models;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Whether a create is on its way to the service (its outcome unknown if stopped now) or only waiting for a
    /// free slot (then the service certainly has not taken it). Written by the block, read by Ctrl+C.
    /// </summary>
    internal sealed class CreateInFlight
    {
        private readonly object _sync = new object();
        private CreateTaskRequest? _request;
        private DateTime _waitingUntilUtc;

        public CreateTaskRequest? SentRequest
        {
            get
            {
                lock (_sync)
                {
                    return _request is not null && DateTime.UtcNow >= _waitingUntilUtc ? _request : null;
                }
            }
        }

        public void Sending(CreateTaskRequest request)
        {
            lock (_sync)
            {
                _request = request;
                _waitingUntilUtc = DateTime.MinValue;
            }
        }

        public void WaitingFor(TimeSpan delay)
        {
            lock (_sync)
            {
                _waitingUntilUtc = DateTime.UtcNow + delay;
            }
        }

        public void Done()
        {
            lock (_sync)
            {
                _request = null;
            }
        }
    }
}
