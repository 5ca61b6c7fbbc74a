namespace Seedance.Client.Models
{
    /// <summary>Where a task is in its life cycle: waiting → generating → success | fail. The words of <see cref="SeedanceTask.Status"/>.</summary>
    /// <remarks>
    /// Text, not an enum, on purpose: ConvertTo-Json writes an enum as a number, and a task exported to JSON for
    /// a report or a queue must say "Success", not 3. Compare with these constants in C#, or with the words in
    /// PowerShell (<c>$task.Status -eq 'Success'</c>; <c>[Seedance.Client.Models.SeedanceTaskStatus]::Success</c> works too).
    /// The service may add states; such a value is <see cref="Unknown"/>, with the raw text kept in
    /// <see cref="SeedanceTask.StatusText"/>. Unknown counts as "not finished", so waits keep polling.
    /// </remarks>
    public static class SeedanceTaskStatus
    {
        public const string Unknown = "Unknown";
        public const string Waiting = "Waiting";
        public const string Generating = "Generating";
        public const string Success = "Success";
        public const string Fail = "Fail";
    }
}
