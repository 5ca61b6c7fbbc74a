using System;
using System.Management.Automation;
using Seedance.Client;
using Seedance.Client.Http;
using Seedance.Client.Uploads;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// ErrorRecords for local materials (called from <see cref="SeedanceErrors.FromException"/>): the exception's own
    /// ErrorId, a category by problem, the file's full path as TargetObject, and what to do about it.
    /// </summary>
    internal static class MaterialErrors
    {
        public static ErrorRecord From(LocalMaterialException exception, ApiKey? key)
        {
            string message = key is null ? exception.Message : key.Redact(exception.Message);
            return new ErrorRecord(exception, exception.ErrorId, CategoryOf(exception), exception.Path)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = AdviceFor(exception) },
            };
        }

        public static ErrorRecord From(UploadsNotSupportedException exception, object? target) =>
            new ErrorRecord(exception, "UploadsNotSupported", ErrorCategory.NotImplemented, target)
            {
                ErrorDetails = new ErrorDetails(exception.Message)
                {
                    RecommendedAction = "Set-SeedanceConfiguration -Uploader { param($File) ...; return $url } uploads to storage of your own; see Get-Help about_Seedance.",
                },
            };

        private static ErrorCategory CategoryOf(LocalMaterialException exception)
        {
            switch (exception)
            {
                case MaterialFileNotFoundException _:
                    return ErrorCategory.ObjectNotFound;
                case MaterialFileUnreadableException unreadable:
                    return unreadable.InnerException is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.ReadError;
                case MaterialContentMismatchException _:
                    return ErrorCategory.InvalidData;
                case VideoFileTooLargeException _:
                    return ErrorCategory.LimitsExceeded;
                case MaterialUploadException upload:
                    return UploadCategory(upload.InnerException);
                case UploaderFailedException _:
                    return ErrorCategory.InvalidOperation;
                case InvalidUploaderResultException _:
                    return ErrorCategory.InvalidResult;
                default:
                    // MaterialNotAFile, UnsupportedMaterialType
                    return ErrorCategory.InvalidArgument;
            }
        }

        private static ErrorCategory UploadCategory(Exception? cause)
        {
            switch (cause)
            {
                case SeedanceApiException api when api.Kind == SeedanceErrorKind.ServerError || api.Kind == SeedanceErrorKind.RateLimited:
                    return ErrorCategory.ResourceUnavailable;
                case SeedanceApiException api when api.Kind == SeedanceErrorKind.Forbidden:
                    return ErrorCategory.PermissionDenied;
                case SeedanceApiException _:
                    return ErrorCategory.InvalidResult;
                case SeedanceConnectionException _:
                    return ErrorCategory.ConnectionError;
                case SeedanceTimeoutException _:
                    return ErrorCategory.OperationTimeout;
                case SeedanceProtocolException _:
                    return ErrorCategory.ProtocolError;
                case UnsafeServiceUrlException _:
                    return ErrorCategory.SecurityError;
                default:
                    return ErrorCategory.ReadError;
            }
        }

        private static string? AdviceFor(LocalMaterialException exception)
        {
            switch (exception)
            {
                case MaterialFileNotFoundException _:
                    return "Check the path; relative paths are resolved against the current location (Get-Location).";
                case MaterialUploadException _:
                    return "Run the command again for this input; nothing was created for it.";
                case UploaderFailedException _:
                case InvalidUploaderResultException _:
                    return "Fix the script block given to Set-SeedanceConfiguration -Uploader, or remove it (-Uploader $null) to upload through the service.";
                default:
                    return null;
            }
        }
    }
}
