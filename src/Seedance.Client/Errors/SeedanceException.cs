using System;

namespace Seedance.Client
{
    /// <summary>
    /// Every failure the client reports, with its <see cref="ErrorId"/>, the object the error is about and what to do;
    /// the module's error map adds the ErrorCategory. Most carry a <see cref="Problem"/> (whose name is the ErrorId).
    /// Subtypes remain only where a caller catches them for a behaviour of their own (a service answer's status, a
    /// failed task, a lost create).
    /// </summary>
    public class SeedanceException : Exception
    {
        public SeedanceException(string message, Exception? innerException = null)
            : base(message, innerException)
        {
        }

        /// <summary>For subtypes whose error is about an object of their own (a task, a request, a file).</summary>
        protected SeedanceException(string message, object? target, Exception? innerException)
            : base(message, innerException)
        {
            Target = target;
        }

        public SeedanceException(SeedanceProblem problem, string message, object? target = null, string? advice = null, Exception? innerException = null)
            : base(message, innerException)
        {
            Problem = problem;
            Target = target;
            _advice = advice;
        }

        private readonly string? _advice;

        /// <summary>What went wrong; null for the subtypes that the error map names themselves.</summary>
        public SeedanceProblem? Problem { get; }

        /// <summary>The task, path or value the error is about (its TargetObject); null to keep the caller's.</summary>
        public object? Target { get; }

        /// <summary>What to do next, in a sentence (the error's RecommendedAction), when the message does not say it.</summary>
        public virtual string? Advice => _advice;

        /// <summary>
        /// The stable id of this failure, decided once: the module's error map names the error with it, and the task
        /// journal records a refused create under it. A <see cref="Problem"/>'s name, or the subtype's own.
        /// </summary>
        public virtual string ErrorId => Problem?.ToString() ?? "UnexpectedError";
    }

    /// <summary>The service answered, but not in a shape we can read (not JSON, no task id).</summary>
    public sealed class SeedanceProtocolException : SeedanceException
    {
        public SeedanceProtocolException(string message, Exception? innerException = null)
            : base(message, innerException)
        {
        }

        public override string ErrorId => "InvalidResponse";
    }

    /// <summary>
    /// An answer larger than any real one (over <c>SeedanceClientOptions.MaxResponseBytes</c>, declared or as read,
    /// before or after decompression). Not retried: the same server would send the same flood again.
    /// </summary>
    public sealed class ResponseTooLargeException : SeedanceException
    {
        public ResponseTooLargeException(string operation, long limit, string how)
            : base($"Seedance {operation} answered with more than {limit / 1048576.0:0.#} MiB ({how}); a real answer is a few KiB. It was not read further and not retried.")
        {
            Operation = operation;
            Limit = limit;
        }

        public string Operation { get; }
        public long Limit { get; }

        public override string ErrorId => "InvalidResponse";
    }

    /// <summary>A request did not get an answer in time (the per-request timeout, not a wait deadline).</summary>
    public sealed class SeedanceTimeoutException : SeedanceException
    {
        public SeedanceTimeoutException(string message, Exception? innerException = null)
            : base(message, innerException)
        {
        }

        public override string ErrorId => "RequestTimedOut";
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

        public override string ErrorId => IsTlsFailure ? "TlsFailure" : "ConnectionFailed";

        /// <summary>A TLS handshake failure: never sent, not retried.</summary>
        public static SeedanceConnectionException TlsFailure(string message, Exception innerException) =>
            new SeedanceConnectionException(message, innerException, requestWasSent: false, isTlsFailure: true);
    }
}
