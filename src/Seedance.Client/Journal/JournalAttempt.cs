namespace Seedance.Client.Journal
{
    /// <summary>Which earlier task of the row a create sends again, and the row's attempt number it becomes (2 for the first resubmission).</summary>
    public sealed class JournalAttempt
    {
        public JournalAttempt(string retryOf, int number)
        {
            RetryOf = retryOf;
            Number = number;
        }

        /// <summary>The failed task whose request this create sends again.</summary>
        public string RetryOf { get; }

        /// <summary>The row's attempt this create is: the failed one's number plus one.</summary>
        public int Number { get; }
    }
}
