namespace Seedance.Client.Models
{
    /// <summary>Why a task failed. The service sends either a bare string or an object {code, message}.</summary>
    public sealed class SeedanceTaskError
    {
        public SeedanceTaskError(string? code, string message)
        {
            Code = code;
            Message = message;
        }

        /// <summary>The service's code, e.g. "2038" (input violates platform rules); null when only text was sent.</summary>
        public string? Code { get; }
        public string Message { get; }

        /// <summary>"code: message", what a CSV cell shows: inert for a spreadsheet (<see cref="SpreadsheetCell"/>).</summary>
        public override string ToString() => SpreadsheetCell.Inert(Code is null ? Message : $"{Code}: {Message}")!;
    }
}
