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
            : this(message, innerException, requestWasSent, isTlsFailure: false)
        {
        }

        private SeedanceConnectionException(string message, Exception? innerException, bool requestWasSent, bool isTlsFailure)
            : base(message, innerException)
        {
            RequestWasSent = requestWasSent;
            IsTlsFailure = isTlsFailure;
        }

        /// <summary>
        /// False only when the connection was never made (refused, no such host, or no secure channel): then the
        /// service certainly did not see the request, which is the one case a create may be sent again.
        /// </summary>
        public bool RequestWasSent { get; }

        /// <summary>
        /// The TLS handshake failed (no protocol in common, or a certificate this machine does not trust): nothing was
        /// sent, and sending again cannot help until the machine's TLS settings or trust change.
        /// </summary>
        public bool IsTlsFailure { get; }

        /// <summary>A TLS handshake failure: never sent, not retried.</summary>
        public static SeedanceConnectionException TlsFailure(string message, Exception innerException) =>
            new SeedanceConnectionException(message, innerException, requestWasSent: false, isTlsFailure: true);
    }
}
