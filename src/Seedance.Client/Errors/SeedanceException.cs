using System;

namespace Seedance.Client
{
    /// <summary>
    /// Every failure the client reports, with its <see cref="ErrorId"/>, the object the error is about and what to do;
    /// the module's error map adds the ErrorCategory. Most carry a <see cref="Problem"/>, the kind callers test for
    /// (whose name is the ErrorId). Subtypes remain only where they carry data of their own that scripts read (a
    /// service answer's status, a failed task, a lost create, a refused create).
    /// </summary>
    public class SeedanceException : Exception
    {
        public SeedanceException(string message, Exception? innerException = null)
            : base(message, innerException)
        {
        }

        /// <summary>For subtypes that carry data of their own: their ErrorId, and the object their error is about (a task, a request).</summary>
        protected SeedanceException(string errorId, string message, object? target, Exception? innerException)
            : base(message, innerException)
        {
            _errorId = errorId;
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
        private readonly string? _errorId;

        /// <summary>What went wrong; null for the subtypes that the error map names themselves.</summary>
        public SeedanceProblem? Problem { get; }

        /// <summary>The task, path or value the error is about (its TargetObject); null to keep the caller's.</summary>
        public object? Target { get; }

        /// <summary>What to do next, in a sentence (the error's RecommendedAction), when the message does not say it.</summary>
        public virtual string? Advice => _advice;

        /// <summary>
        /// The stable id of this failure, decided once: the module's error map names the error with it, and the task
        /// journal records a refused create under it. A <see cref="Problem"/>'s name (two kinds that only the retry
        /// rules tell apart share their ErrorId with their sibling), or the subtype's own.
        /// </summary>
        public virtual string ErrorId => Problem switch
        {
            null => _errorId ?? "UnexpectedError",
            SeedanceProblem.ResponseTooLarge => nameof(SeedanceProblem.InvalidResponse),
            SeedanceProblem.ConnectionNotMade => nameof(SeedanceProblem.ConnectionFailed),
            SeedanceProblem problem => problem.ToString(),
        };
    }
}
