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
                case SeedanceApiException api when IsMissingCreateEndpoint(api):
                    return MissingCreateEndpoint(api, target, key);
                case SeedanceApiException api:
                    record = new ErrorRecord(exception, ErrorIds.Of(api), ApiCategory(api.Kind), target);
                    record.ErrorDetails = new ErrorDetails(Scrub(api.Message, key)) { RecommendedAction = Advice(api) };
                    return record;
                case CreateOutcomeUnknownException unknown:
                    record = new ErrorRecord(exception, "CreateOutcomeUnknown", ErrorCategory.OperationTimeout, unknown.Request);
                    record.ErrorDetails = new ErrorDetails(Scrub(exception.Message, key))
                    {
                        RecommendedAction = CreateOutcomeUnknownException.HowToCheck(unknown.Request, unknown.SentAt),
                    };
                    return record;
                case TaskFailedException failed:
                    return TaskFailed(failed.Task);
                case Client.Journal.JournalException journal:
                    return JournalErrors.Journal(journal);
                case BudgetExceededException budget:
                    return JournalErrors.BudgetExceeded(budget, target);
                case PossibleDuplicateException duplicate:
                    return JournalErrors.PossibleDuplicate(duplicate, target);
                case FailedBeforeException failedBefore:
                    return JournalErrors.FailedBefore(failedBefore, target);
                case WaitTimeoutException late:
                    return new ErrorRecord(exception, "WaitTimeout", ErrorCategory.OperationTimeout, late.Task);
                case SeedanceTimeoutException _:
                    record = new ErrorRecord(exception, "RequestTimedOut", ErrorCategory.OperationTimeout, target);
                    break;
                case SeedanceConnectionException tls when tls.IsTlsFailure:
                    // Nothing was sent (a create costs nothing); the message names TLS and the fix.
                    record = new ErrorRecord(exception, "TlsFailure", ErrorCategory.SecurityError, target);
                    break;
                case SeedanceConnectionException _:
                    record = new ErrorRecord(exception, "ConnectionFailed", ErrorCategory.ConnectionError, target);
                    break;
                case SeedanceProtocolException _:
                    record = new ErrorRecord(exception, "InvalidResponse", ErrorCategory.ProtocolError, target);
                    break;
                case InvalidTaskIdException _:
                    // The id came from the service; the task (the caller's target) is what could not be saved.
                    record = new ErrorRecord(exception, "InvalidTaskId", ErrorCategory.InvalidData, target);
                    break;
                case TaskIdMismatchException _:
                    record = new ErrorRecord(exception, "TaskIdMismatch", ErrorCategory.InvalidResult, target);
                    break;
                case ResponseTooLargeException _:
                    record = new ErrorRecord(exception, "InvalidResponse", ErrorCategory.ProtocolError, target);
                    break;
                case FileExistsException exists:
                    return new ErrorRecord(exception, "FileExists", ErrorCategory.ResourceExists, exists.Path);
                case PathIsSingleFileException _:
                    record = new ErrorRecord(exception, "PathIsSingleFile", ErrorCategory.InvalidArgument, target);
                    break;
                case DestinationNotAFileException notAFile:
                    record = new ErrorRecord(exception, "DestinationNotAFile", ErrorCategory.InvalidArgument, notAFile.Path);
                    break;
                case UnsafeServiceUrlException _:
                    record = new ErrorRecord(exception, "UnsafeServiceUrl", ErrorCategory.SecurityError, target);
                    break;
                case InternalAddressException _:
                    record = new ErrorRecord(exception, "InternalAddressRefused", ErrorCategory.SecurityError, target);
                    break;
                case UnsafeDownloadUrlException _:
                    record = new ErrorRecord(exception, "DownloadUrlContainsKey", ErrorCategory.SecurityError, target);
                    break;
                case InvalidApiKeyException _:
                    // Never the key itself as the target.
                    record = new ErrorRecord(exception, "InvalidApiKey", ErrorCategory.InvalidArgument, null);
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

            // Text a server or the network put in a message (an unexpected exception's, say) is shown without terminal controls.
            string shown = record.ErrorDetails?.Message ?? exception.Message;
            if (!string.Equals(ServiceText.Clean(shown), shown, StringComparison.Ordinal))
            {
                record.ErrorDetails = new ErrorDetails(Scrub(ServiceText.Clean(shown), key));
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

        /// <summary>
        /// A row refused before sending: the piped row itself is the target when there is one (so a script can tie
        /// the error to its row, export it, or pipe it back), else the offending value; the message names the row.
        /// </summary>
        public static ErrorRecord Validation(ValidationFailure failure, object? row, CreateTaskRequest request)
        {
            string message = $"{failure.Message} ({request.Describe()})";
            return new ErrorRecord(new ArgumentException(message, failure.ParameterName), failure.ErrorId, ErrorCategory.InvalidArgument, row ?? failure.Target)
            {
                ErrorDetails = new ErrorDetails(message),
            };
        }

        /// <summary>
        /// Names the task in the message of an error about it, so a transcript or a log says which paid task it was
        /// (the id is also the TargetObject, but a console line shows only the message).
        /// </summary>
        public static ErrorRecord ForTask(ErrorRecord record, string taskId)
        {
            string message = record.ErrorDetails?.Message ?? record.Exception.Message;
            if (message.IndexOf(taskId, StringComparison.Ordinal) < 0)
            {
                record.ErrorDetails = new ErrorDetails($"Task {taskId}: {message}")
                {
                    RecommendedAction = record.ErrorDetails?.RecommendedAction,
                };
            }

            return record;
        }

        /// <summary>Names the row (prompt excerpt, and its Name when it has one) in the message of an error about it.</summary>
        public static ErrorRecord ForRow(ErrorRecord record, CreateTaskRequest request)
        {
            string message = record.ErrorDetails?.Message ?? record.Exception.Message;
            record.ErrorDetails = new ErrorDetails($"{message} ({request.Describe()})")
            {
                RecommendedAction = record.ErrorDetails?.RecommendedAction,
            };
            return record;
        }

        /// <summary>TaskFailed: the exception is a <see cref="TaskFailedException"/>, so <c>catch [...]</c> can name it.</summary>
        public static ErrorRecord TaskFailed(SeedanceTask task)
        {
            TaskFailedException exception = new TaskFailedException(task);
            return new ErrorRecord(exception, "TaskFailed", FailureCategory(task.Error), task)
            {
                ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = exception.Advice },
            };
        }

        /// <summary>WaitTimeout: the task is still running (and billed) when the wait gives up on it.</summary>
        public static ErrorRecord WaitTimeout(SeedanceTask task, TimeSpan timeout) =>
            FromException(new WaitTimeoutException(task, timeout), task, null);

        /// <summary>
        /// Save-SeedanceVideo was given a task without a video: says why (its failure, or that it is still running)
        /// and what to do. A failed task's exception is the same <see cref="TaskFailedException"/> Wait-SeedanceTask uses.
        /// </summary>
        public static ErrorRecord TaskNotSucceeded(SeedanceTask task)
        {
            string message;
            Exception exception;
            ErrorCategory category = ErrorCategory.InvalidOperation;
            if (task.Status == SeedanceTaskStatus.Fail)
            {
                TaskFailedException failed = new TaskFailedException(task);
                message = $"Task {task.TaskId} has no video to save: it failed ({TaskFailedException.ReasonOf(task)}). {failed.Advice} " +
                    "Resubmit it with New-SeedanceTask (a new task, billed again).";
                exception = failed;
            }
            else if (task.IsFinished)
            {
                message = $"Task {task.TaskId} succeeded, but this view of it has no video URL. Read it again: Get-SeedanceTask {task.TaskId} | Save-SeedanceVideo.";
                exception = new InvalidOperationException(message);
            }
            else
            {
                message = $"Task {task.TaskId} has no video yet: it is still {task.StatusText ?? task.Status}. " +
                    $"Wait for it first: Wait-SeedanceTask -TaskId {task.TaskId} | Save-SeedanceVideo.";
                exception = new InvalidOperationException(message);
            }

            return new ErrorRecord(exception, "TaskNotSucceeded", category, task) { ErrorDetails = new ErrorDetails(message) };
        }

        public static ErrorRecord NoApiKey(Uri? baseUri)
        {
            string message =
                "No Seedance API key is set. Store one for your user with 'Set-SeedanceApiKey' (it prompts securely), " +
                "set it for this session with 'Set-SeedanceApiKey -Scope Process', or set the environment variable SEEDANCE_API_KEY.";
            return new ErrorRecord(new InvalidOperationException(message), "ApiKeyNotSet", ErrorCategory.AuthenticationError, baseUri);
        }

        /// <summary>Set-SeedanceApiKey was given a plain string where a SecureString goes: say how to pass one, show none of it.</summary>
        public static ErrorRecord PlainTextApiKey()
        {
            const string message =
                "The key was given as plain text, and -ApiKey takes a SecureString (so that the key is never echoed or kept in " +
                "your history). To pass plain text on purpose (CI, a key already in a variable), use -PlainTextApiKey: " +
                "Set-SeedanceApiKey -PlainTextApiKey $key. Or run Set-SeedanceApiKey without a key to be prompted without echo.";
            return new ErrorRecord(new System.ArgumentException(message, "ApiKey"), "ApiKeyNotSecureString", ErrorCategory.InvalidArgument, null)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Set-SeedanceApiKey -PlainTextApiKey $key" },
            };
        }

        /// <summary>A blank task id (an empty CSV cell, a variable that was never set): one error, nothing sent.</summary>
        public static ErrorRecord EmptyTaskId(string? id) => Create("EmptyTaskId", ErrorCategory.InvalidArgument, id,
            "A task id is empty. Give the id that New-SeedanceTask returned (task_...), or pipe the task object itself.");

        public static ErrorRecord InvalidBaseUri(string problem, object? target) =>
            new ErrorRecord(new ArgumentException(problem), "InvalidBaseUri", ErrorCategory.InvalidArgument,
                target is Uri uri && uri.IsAbsoluteUri && !string.IsNullOrEmpty(uri.UserInfo) ? BaseUriPolicy.Displayable(uri) : target)
            {
                ErrorDetails = new ErrorDetails(problem)
                {
                    RecommendedAction = $"Use an https URI, e.g. Set-SeedanceConfiguration -BaseUri {SeedanceClientOptions.DefaultBaseUri}, " +
                        $"or correct or remove the environment variable {Configuration.SeedanceConfiguration.BaseUriVariable}.",
                },
            };

        public static ErrorRecord Journal(Client.Journal.JournalException e) => JournalErrors.Journal(e);

        public static ErrorRecord Create(string errorId, ErrorCategory category, object? target, string message) =>
            Record(new InvalidOperationException(message), errorId, category, target);

        /// <summary>
        /// An ErrorRecord for a failure the commands find themselves (a parameter, a path, a prompt): built here so
        /// that the ErrorId, category, target, message and advice of every error the module writes live in Errors/.
        /// </summary>
        public static ErrorRecord Record(Exception exception, string errorId, ErrorCategory category, object? target, string? message = null, string? advice = null) =>
            new ErrorRecord(exception, errorId, category, target)
            {
                ErrorDetails = message is null && advice is null ? null : new ErrorDetails(message ?? exception.Message) { RecommendedAction = advice },
            };

        /// <summary>
        /// A create has no resource id, so a 404 means the createTask endpoint is not at this base URI (a typo, a
        /// missing /api/v1, another host): say so, with the URL, instead of "not found".
        /// </summary>
        private static bool IsMissingCreateEndpoint(SeedanceApiException api) =>
            api.Kind == SeedanceErrorKind.NotFound && api.Operation == "createTask";

        private static ErrorRecord MissingCreateEndpoint(SeedanceApiException api, object? target, ApiKey? key)
        {
            string url = api.RequestUri?.AbsoluteUri ?? "the configured base URI";
            string message = Scrub(
                $"{api.Message} There is no createTask endpoint at {url}, so the base URI is probably wrong. Nothing was created.", key);
            return new ErrorRecord(api, ErrorIds.Of(api), ErrorCategory.ObjectNotFound, target)
            {
                ErrorDetails = new ErrorDetails(message + " " + BaseUriAdvice)
                {
                    RecommendedAction = BaseUriAdvice,
                },
            };
        }

        private static readonly string BaseUriAdvice =
            "Check the base URI with Get-SeedanceConfiguration and set the right one with Set-SeedanceConfiguration -BaseUri " +
            $"(the service's own is {SeedanceClientOptions.DefaultBaseUri}), or correct {Configuration.SeedanceConfiguration.BaseUriVariable}.";

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
                case SeedanceErrorKind.ServerError when api.Operation == "createTask": return SeedanceApiException.CreateMayExist;
                case SeedanceErrorKind.ServerError: return "The service had an internal error; try again later.";
                case SeedanceErrorKind.NotFound when api.Operation == "recordInfo":
                    return $"Check the task id. If ids that exist are not found either, the base URI may be wrong ({api.RequestUri?.GetLeftPart(UriPartial.Path)}): {BaseUriAdvice}";
                default: return null;
            }
        }

        /// <summary>Task failure codes: content rules, bad input, or the service's own fault.</summary>
        private static ErrorCategory FailureCategory(SeedanceTaskError? error)
        {
            string code = error?.Code ?? string.Empty;
            if (FailureClasses.Classify(error) == SeedanceFailureClass.Transient)
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
