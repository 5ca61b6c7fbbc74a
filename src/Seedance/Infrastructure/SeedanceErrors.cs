using System;
using System.Management.Automation;
using Seedance.Client;
using Seedance.Client.Http;
using Seedance.Client.Models;
using Seedance.Client.Uploads;
using Seedance.Client.Validation;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// The one place failures become ErrorRecords: a stable ErrorId per kind of failure, the category PowerShell
    /// users filter on, the task or input as TargetObject, the service's own words in ErrorDetails, and the
    /// original exception kept inside. Every message passes through the key scrubber on its way out.
    /// </summary>
    internal static class SeedanceErrors
    {
        public static ErrorRecord FromException(Exception exception, object? target, ApiKey? key)
        {
            ErrorRecord record;
            switch (exception)
            {
                case LocalMaterialException material:
                    return MaterialErrors.From(material, key);
                case UploadsNotSupportedException noUploads:
                    return MaterialErrors.From(noUploads, target);
                case SeedanceApiException api:
                    record = new ErrorRecord(exception, ApiErrorId(api), ApiCategory(api.Kind), target);
                    record.ErrorDetails = new ErrorDetails(Scrub(api.Message, key)) { RecommendedAction = Advice(api) };
                    return record;
                case CreateOutcomeUnknownException unknown:
                    record = new ErrorRecord(exception, "CreateOutcomeUnknown", ErrorCategory.OperationTimeout, unknown.Request);
                    break;
                case SeedanceTimeoutException _:
                    record = new ErrorRecord(exception, "RequestTimedOut", ErrorCategory.OperationTimeout, target);
                    break;
                case SeedanceConnectionException _:
                    record = new ErrorRecord(exception, "ConnectionFailed", ErrorCategory.ConnectionError, target);
                    break;
                case SeedanceProtocolException _:
                    record = new ErrorRecord(exception, "InvalidResponse", ErrorCategory.ProtocolError, target);
                    break;
                case UnauthorizedAccessException _:
                    record = new ErrorRecord(exception, "DestinationNotWritable", ErrorCategory.PermissionDenied, target);
                    record.ErrorDetails = new ErrorDetails(Scrub(
                        $"Cannot write to '{target}': {exception.Message} Save to a folder you can write to (-Path), or change the folder's permissions.", key));
                    return record;
                case System.IO.IOException _:
                    record = new ErrorRecord(exception, "FileWriteFailed", ErrorCategory.WriteError, target);
                    break;
                default:
                    record = new ErrorRecord(exception, "UnexpectedError", ErrorCategory.NotSpecified, target);
                    break;
            }

            if (key is not null && key.IsIn(exception.Message))
            {
                record.ErrorDetails = new ErrorDetails(key.Redact(exception.Message));
            }

            return record;
        }

        /// <summary>
        /// A request refused before sending. The exception keeps the parameter name; ErrorDetails carries the plain
        /// message, so the error reads as one sentence of advice rather than ending in "(Parameter 'Duration')".
        /// </summary>
        public static ErrorRecord Validation(ValidationFailure failure) =>
            new ErrorRecord(new ArgumentException(failure.Message, failure.ParameterName), failure.ErrorId, ErrorCategory.InvalidArgument, failure.Target)
            {
                ErrorDetails = new ErrorDetails(failure.Message),
            };

        public static ErrorRecord TaskFailed(SeedanceTask task)
        {
            SeedanceTaskError? error = task.Error;
            string reason = error is null ? "the service gave no reason" : (error.Code is null ? error.Message : $"error {error.Code}: {error.Message}");
            string message = $"Seedance task {task.TaskId} failed: {reason}.";
            ErrorRecord record = new ErrorRecord(new InvalidOperationException(message), "TaskFailed", FailureCategory(error), task);
            record.ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = error?.Code == "500"
                    ? "The service reports an internal error; submitting the task again is safe."
                    : "Check the prompt and materials against the service's rules, then submit a new task.",
            };
            return record;
        }

        public static ErrorRecord NoApiKey(Uri? baseUri)
        {
            string message =
                "No Seedance API key is set. Store one for your user with 'Set-SeedanceApiKey' (it prompts securely), " +
                "set it for this session with 'Set-SeedanceApiKey -Scope Process', or set the environment variable SEEDANCE_API_KEY.";
            return new ErrorRecord(new InvalidOperationException(message), "ApiKeyNotSet", ErrorCategory.AuthenticationError, baseUri);
        }

        /// <summary>A blank task id (an empty CSV cell, a variable that was never set): one error, nothing sent.</summary>
        public static ErrorRecord EmptyTaskId(string? id) => Create("EmptyTaskId", ErrorCategory.InvalidArgument, id,
            "A task id is empty. Give the id that New-SeedanceTask returned (task_...), or pipe the task object itself.");

        public static ErrorRecord InvalidBaseUri(string problem, object? target) =>
            new ErrorRecord(new ArgumentException(problem), "InvalidBaseUri", ErrorCategory.InvalidArgument, target)
            {
                ErrorDetails = new ErrorDetails(problem)
                {
                    RecommendedAction = $"Use an https URI, e.g. Set-SeedanceConfiguration -BaseUri {SeedanceClientOptions.DefaultBaseUri}, " +
                        $"or correct or remove the environment variable {Configuration.SeedanceConfiguration.BaseUriVariable}.",
                },
            };

        public static ErrorRecord Create(string errorId, ErrorCategory category, object? target, string message) =>
            new ErrorRecord(new InvalidOperationException(message), errorId, category, target);

        private static string ApiErrorId(SeedanceApiException api)
        {
            switch (api.Kind)
            {
                case SeedanceErrorKind.InvalidRequest: return "InvalidRequest";
                case SeedanceErrorKind.Unauthorized: return "Unauthorized";
                case SeedanceErrorKind.InsufficientCredits: return "InsufficientCredits";
                case SeedanceErrorKind.Forbidden: return api.Operation == "download" ? "VideoUrlForbidden" : "Forbidden";
                case SeedanceErrorKind.NotFound: return api.Operation == "download" ? "VideoNotFound" : "TaskNotFound";
                case SeedanceErrorKind.RateLimited: return "RateLimited";
                case SeedanceErrorKind.ServerError: return "ServerError";
                default: return "UnexpectedResponse";
            }
        }

        private static ErrorCategory ApiCategory(SeedanceErrorKind kind)
        {
            switch (kind)
            {
                case SeedanceErrorKind.InvalidRequest: return ErrorCategory.InvalidArgument;
                case SeedanceErrorKind.Unauthorized: return ErrorCategory.AuthenticationError;
                case SeedanceErrorKind.InsufficientCredits: return ErrorCategory.QuotaExceeded;
                case SeedanceErrorKind.Forbidden: return ErrorCategory.PermissionDenied;
                case SeedanceErrorKind.NotFound: return ErrorCategory.ObjectNotFound;
                case SeedanceErrorKind.RateLimited: return ErrorCategory.LimitsExceeded;
                case SeedanceErrorKind.ServerError: return ErrorCategory.ResourceUnavailable;
                default: return ErrorCategory.InvalidResult;
            }
        }

        private static string? Advice(SeedanceApiException api)
        {
            switch (api.Kind)
            {
                case SeedanceErrorKind.Unauthorized: return "Check the key with Get-SeedanceConfiguration and set a valid one with Set-SeedanceApiKey.";
                case SeedanceErrorKind.InsufficientCredits: return $"Top up the account: {api.RequiredCredits} credits needed, {api.AvailableCredits} available.";
                case SeedanceErrorKind.RateLimited: return $"Too many tasks are running ({api.Current} of {api.Limit}); wait for some to finish.";
                case SeedanceErrorKind.ServerError: return "The service had an internal error; try again later.";
                default: return null;
            }
        }

        /// <summary>Task failure codes: content rules, bad input, or the service's own fault.</summary>
        private static ErrorCategory FailureCategory(SeedanceTaskError? error)
        {
            string code = error?.Code ?? string.Empty;
            if (code == "500")
            {
                return ErrorCategory.ResourceUnavailable;
            }

            if (code.Equals("InvalidParameter", StringComparison.OrdinalIgnoreCase))
            {
                return ErrorCategory.InvalidArgument;
            }

            return code.Length > 0 ? ErrorCategory.InvalidData : ErrorCategory.InvalidResult;
        }

        private static string Scrub(string text, ApiKey? key) => key is null ? text : key.Redact(text);
    }
}
