namespace Seedance.Client.Validation
{
    /// <summary>One thing wrong with a request, found before anything is sent (so before any money is spent).</summary>
    public sealed class ValidationFailure
    {
        public ValidationFailure(string errorId, string parameterName, object? target, string message)
        {
            ErrorId = errorId;
            ParameterName = parameterName;
            Target = target;
            Message = message;
        }

        /// <summary>Stable id, e.g. "InvalidDuration": scripts can match on it.</summary>
        public string ErrorId { get; }

        /// <summary>The cmdlet parameter the value came from, e.g. "Duration".</summary>
        public string ParameterName { get; }

        /// <summary>The offending value itself.</summary>
        public object? Target { get; }

        public string Message { get; }

        /// <summary>
        /// The value as it was given, when <see cref="Target"/> shows it altered (a URL's user:pass@ masked): what the key
        /// check (<see cref="CreateTaskRequestValidator.KeyCarried"/>) reads, never what an error shows.
        /// </summary>
        internal string? Given { get; set; }

        public override string ToString() => $"{ErrorId}: {Message}";
    }
}
