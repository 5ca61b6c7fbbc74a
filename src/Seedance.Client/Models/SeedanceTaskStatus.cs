namespace Seedance.Client.Models
{
    /// <summary>Where a task is in its life cycle: waiting → generating → success | fail.</summary>
    /// <remarks>
    /// The service may add states; such a value maps to <see cref="Unknown"/> and the raw text is kept in
    /// <see cref="SeedanceTask.StatusText"/>. Unknown counts as "not finished", so waits keep polling.
    /// </remarks>
    public enum SeedanceTaskStatus
    {
        Unknown = 0,
        Waiting,
        Generating,
        Success,
        Fail,
    }
}
