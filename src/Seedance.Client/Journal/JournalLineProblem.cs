namespace Seedance.Client.Journal
{
    public enum JournalLineProblemKind
    {
        /// <summary>The file ends in a line without its newline: a write cut off by a crash (or power loss).</summary>
        TornLastLine,

        /// <summary>A complete line that is not a record: usually a torn write that later appends left in the middle.</summary>
        UnreadableLine,
    }

    /// <summary>A line the reader skipped. Never fatal: every other record is still read.</summary>
    public sealed class JournalLineProblem
    {
        public JournalLineProblem(JournalLineProblemKind kind, long lineNumber, string detail)
        {
            Kind = kind;
            LineNumber = lineNumber;
            Detail = detail;
        }

        public JournalLineProblemKind Kind { get; }

        /// <summary>1-based, as an editor shows it.</summary>
        public long LineNumber { get; }

        public string Detail { get; }

        public override string ToString() => $"line {LineNumber}: {Detail}";
    }
}
