using System;

namespace Seedance.Client
{
    /// <summary>Base of every failure the client reports; the module maps each kind to an ErrorRecord.</summary>
    public class SeedanceException : Exception
    {
        public SeedanceException(string message, Exception? innerException = null)
            : base(message, innerException)
        {
        }
    }

    /// <summary>The service answered, but not in a shape we can read (not JSON, no task id).</summary>
    public sealed class SeedanceProtocolException : SeedanceException
    {
        public SeedanceProtocolException(string message, Exception? innerException = null)
            : base(message, innerException)
        {
        }
    }

    /// <summary>A request did not get an answer in time (the per-request timeout, not a wait deadline).</summary>
    public sealed class SeedanceTimeoutException : SeedanceException
    {
        public SeedanceTimeoutException(string message, Exception? innerException = null)
            : base(message, innerException)
        {
        }
    }

    /// <summary>The network failed (refused, reset, DNS) and retries, where allowed, did not help.</summary>
    public sealed class SeedanceConnectionException : SeedanceException
    {
        public SeedanceConnectionException(string message, Exception? innerException, bool requestWasSent)
            : base(message, innerException)
        {
            RequestWasSent = requestWasSent;
        }

        /// <summary>
        /// False only when the connection was never made (refused, no such host): then the service certainly did
        /// not see the request, which is the one case a create may be sent again.
        /// </summary>
        public bool RequestWasSent { get; }
    }
}
