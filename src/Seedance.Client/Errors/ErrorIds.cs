using System;

namespace Seedance.Client
{
    /// <summary>
    /// The ErrorId of a failure the service or the network caused, decided once: the module's error map names the
    /// error with it, and the task journal records a refused create under the same id.
    /// </summary>
    public static class ErrorIds
    {
        /// <summary>The id of <paramref name="e"/>, or null for a failure this table does not name (the error map does).</summary>
        public static string? Of(Exception e) => e switch
        {
            SeedanceApiException api => Of(api),
            CreateOutcomeUnknownException _ => "CreateOutcomeUnknown",
            SeedanceTimeoutException _ => "RequestTimedOut",
            SeedanceConnectionException tls when tls.IsTlsFailure => "TlsFailure",
            SeedanceConnectionException _ => "ConnectionFailed",
            SeedanceProtocolException _ => "InvalidResponse",
            ResponseTooLargeException _ => "InvalidResponse",
            _ => null,
        };

        public static string Of(SeedanceApiException api)
        {
            switch (api.Kind)
            {
                case SeedanceErrorKind.InvalidRequest: return "InvalidRequest";
                case SeedanceErrorKind.Unauthorized: return "Unauthorized";
                case SeedanceErrorKind.InsufficientCredits: return "InsufficientCredits";
                case SeedanceErrorKind.Forbidden: return api.Operation == "download" ? "VideoUrlForbidden" : "Forbidden";
                case SeedanceErrorKind.NotFound when api.Operation == "createTask": return "ApiEndpointNotFound";
                case SeedanceErrorKind.NotFound: return api.Operation == "download" ? "VideoNotFound" : "TaskNotFound";
                case SeedanceErrorKind.RateLimited: return "RateLimited";
                case SeedanceErrorKind.ServerError: return "ServerError";
                default: return "UnexpectedResponse";
            }
        }
    }
}
