namespace Seedance.Client
{
    /// <summary>What an HTTP failure of the API means, independent of the exact status code.</summary>
    public enum SeedanceErrorKind
    {
        InvalidRequest,
        Unauthorized,
        InsufficientCredits,
        Forbidden,
        NotFound,
        RateLimited,
        ServerError,
        Unexpected,
    }
}
