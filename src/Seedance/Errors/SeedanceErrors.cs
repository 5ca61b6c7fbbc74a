using System;
using System.Collections.Generic;
using System.Management.Automation;
using Seedance.Client;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Json;
using Seedance.Client.Models;
using Seedance.Client.Uploads;
using Seedance.Client.Validation;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// The one error map: every ErrorRecord the module writes is built here. <see cref="Table"/> maps each kind of
    /// failure (an exception type, first match wins) to its stable ErrorId, the category PowerShell users filter on,
    /// the TargetObject (the task, row, file or path it is about) and the recommended action; the named builders
    /// below cover the refusals the commands find themselves. The original exception is kept inside, and every
    /// message passes through the key scrubber and the terminal-control filter on its way out.
    /// </summary>
    internal static class SeedanceErrors
    {
        /// <summary>How the journal's settings are named in advice.</summary>
        public const string WhereToConfigure =
            "Choose another path (SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath), fix the folder's permissions, " +
            "or turn the journal off with 'off' (then nothing protects a crashed or re-run batch from losing or paying for tasks twice).";

        private static readonly string BaseUriAdvice =
            "Check the base URI with Get-SeedanceConfiguration and set the right one with Set-SeedanceConfiguration -BaseUri " +
            $"(the service's own is {SeedanceClientOptions.DefaultBaseUri}), or correct {Configuration.SeedanceConfiguration.BaseUriVariable}.";

        /// <summary>
        /// Error kind -> ErrorId, category, target, message and recommended action. Without a target function the
        /// caller's target is used; without a message or advice function the exception's message stands alone.
        /// More specific rows come before the rows of their base types.
        /// </summary>
        private static readonly Row[] Table =
        {
            Row.For<LocalMaterialException>(e => e.ErrorId, MaterialCategory, target: (e, _) => e.Path, advice: MaterialAdvice),

            // A create has no resource id, so its 404 means the createTask endpoint is not at this base URI (a typo, a
            // missing /api/v1, another host): said so, with the URL, instead of "not found".
            Row.For<SeedanceApiException>(ErrorIds.Of, _ => ErrorCategory.ObjectNotFound, when: IsMissingCreateEndpoint,
                message: (e, _) => $"{e.Message} There is no createTask endpoint at {e.RequestUri?.AbsoluteUri ?? "the configured base URI"}, " +
                    $"so the base URI is probably wrong. Nothing was created. {BaseUriAdvice}",
                advice: _ => BaseUriAdvice),
            Row.For<SeedanceApiException>(ErrorIds.Of, e => ApiCategory(e.Kind), message: (e, _) => e.Message, advice: ApiAdvice),
            Row.For<CreateOutcomeUnknownException>("CreateOutcomeUnknown", ErrorCategory.OperationTimeout, target: (e, _) => e.Request,
                message: (e, _) => e.Message, advice: e => CreateOutcomeUnknownException.HowToCheck(e.Request, e.SentAt)),
            Row.For<TaskFailedException>(_ => "TaskFailed", e => FailureCategory(e.Task.Error), target: (e, _) => e.Task,
                message: (e, _) => e.Message, advice: e => e.Advice),
            Row.For<JournalException>(JournalId, JournalCategory, target: (e, _) => e.Path, message: JournalMessage, advice: JournalAdvice),
            Row.For<BudgetExceededException>("BudgetExceeded", ErrorCategory.QuotaExceeded, message: (e, _) => e.Message,
                advice: e => e.Kind == BudgetKind.DailyCreditLimit
                    ? "Wait until earlier creates leave the 24-hour window (Get-SeedanceUsage shows them), or raise the limit (Set-SeedanceConfiguration -DailyCreditLimit, SEEDANCE_DAILY_CREDIT_LIMIT)."
                    : "Raise -MaxCredits, or run the remaining rows in another command."),
            Row.For<PossibleDuplicateException>("PossibleDuplicate", ErrorCategory.ResourceExists, message: (e, _) => e.Message, advice: e => e.Advice),

            // Register-SeedanceTask could not tie the task to an uncertain create; nothing was written.
            Row.For<SettleRefusedException>(e => e.Reason switch
            {
                SettleRefusal.NoUncertainCreate => "NoUncertainCreate",
                SettleRefusal.Ambiguous => "AmbiguousUncertainCreate",
                SettleRefusal.InFlight => "CreateInFlight",
                SettleRefusal.NotItsAnswer => "TaskDoesNotMatchCreate",
                _ => "TaskAlreadyRegistered",
            }, e => e.Reason switch
            {
                SettleRefusal.NoUncertainCreate => ErrorCategory.ObjectNotFound,
                SettleRefusal.Ambiguous => ErrorCategory.InvalidArgument,
                SettleRefusal.InFlight => ErrorCategory.ResourceBusy,
                SettleRefusal.NotItsAnswer => ErrorCategory.InvalidData,
                _ => ErrorCategory.ResourceExists,
            }, message: (e, _) => e.Message),
            Row.For<WaitTimeoutException>("WaitTimeout", ErrorCategory.OperationTimeout, target: (e, _) => e.Task),
            Row.For<SeedanceTimeoutException>("RequestTimedOut", ErrorCategory.OperationTimeout),

            // Nothing was sent (a create costs nothing); the message names TLS and the fix.
            Row.For<SeedanceConnectionException>("TlsFailure", ErrorCategory.SecurityError, when: e => e.IsTlsFailure),
            Row.For<SeedanceConnectionException>("ConnectionFailed", ErrorCategory.ConnectionError),
            Row.For<SeedanceProtocolException>("InvalidResponse", ErrorCategory.ProtocolError),

            // A problem the client named: its id, its target (else the caller's: for InvalidTaskId the task that could
            // not be saved) and its advice. Never the key itself as the target.
            Row.For<SeedanceException>(e => e.Problem!.Value.ToString(), e => ProblemCategory(e.Problem!.Value), when: e => e.Problem is not null,
                target: (e, given) => e.Problem == SeedanceProblem.InvalidApiKey ? null : e.Target ?? given, advice: e => e.Advice),
            Row.For<ResponseTooLargeException>("InvalidResponse", ErrorCategory.ProtocolError),
            Row.For<UnauthorizedAccessException>("DestinationNotWritable", ErrorCategory.PermissionDenied,
                message: (e, target) => $"Cannot write to '{target}': {e.Message} Save to a folder you can write to (-Path), or change the folder's permissions."),
            Row.For<System.IO.IOException>("FileWriteFailed", ErrorCategory.WriteError),
            Row.For<Exception>("UnexpectedError", ErrorCategory.NotSpecified),
        };

        public static ErrorRecord FromException(Exception exception, object? target, ApiKey? key)
        {
            foreach (Row row in Table)
            {
                if (row.Matches(exception))
                {
                    return row.Build(exception, target, key);
                }
            }

            throw new InvalidOperationException("The error map's last row matches every exception.");
        }

        /// <summary>
        /// A request refused before sending. The exception keeps the parameter name; ErrorDetails carries the plain
        /// message, so the error reads as one sentence of advice rather than ending in "(Parameter 'Duration')".
        /// </summary>
        public static ErrorRecord Validation(ValidationFailure failure) =>
            Record(new ArgumentException(failure.Message, failure.ParameterName), failure.ErrorId, ErrorCategory.InvalidArgument, failure.Target, failure.Message);

        /// <summary>
        /// A row refused before sending: the piped row itself is the target when there is one (so a script can tie
        /// the error to its row, export it, or pipe it back), else the offending value; the message names the row.
        /// </summary>
        public static ErrorRecord Validation(ValidationFailure failure, object? row, CreateTaskRequest request)
        {
            string message = $"{failure.Message} ({request.Describe()})";
            return Record(new ArgumentException(message, failure.ParameterName), failure.ErrorId, ErrorCategory.InvalidArgument, row ?? failure.Target, message);
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

        /// <summary>The key scripts read from a terminating error: <c>$_.Exception.Data['SeedanceUnsavedTaskIds']</c>.</summary>
        public const string UnsavedIdsKey = "SeedanceUnsavedTaskIds";

        /// <summary>Puts the paid, unsaved ids on <paramref name="error"/> (once), in its message and where a script reads them.</summary>
        public static void WithUnsavedIds(ErrorRecord? error, IReadOnlyList<string> ids)
        {
            if (error is null || ids.Count == 0 || error.Exception.Data.Contains(UnsavedIdsKey))
            {
                return;
            }

            error.Exception.Data[UnsavedIdsKey] = ids is string[] array ? array : new List<string>(ids).ToArray();
            string message = error.ErrorDetails?.Message ?? error.Exception.Message;
            error.ErrorDetails = new ErrorDetails(message + $" Not saved yet (paid): {string.Join(", ", ids)}.")
            {
                RecommendedAction = error.ErrorDetails?.RecommendedAction,
            };
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
        public static ErrorRecord TaskFailed(SeedanceTask task) => FromException(new TaskFailedException(task), task, null);

        /// <summary>WaitTimeout: the task is still running (and billed) when the wait gives up on it.</summary>
        public static ErrorRecord WaitTimeout(SeedanceTask task, TimeSpan timeout) =>
            FromException(new WaitTimeoutException(task, timeout), task, null);

        /// <summary>The journal cannot be used: InvalidJournalPath, DailyLimitNeedsJournal, or JournalUnavailable (by cause).</summary>
        public static ErrorRecord Journal(JournalException e) => FromException(e, e.Path, null);

        /// <summary>
        /// Save-SeedanceVideo was given a task without a video: says why (its failure, or that it is still running)
        /// and what to do. A failed task's exception is the same <see cref="TaskFailedException"/> Wait-SeedanceTask uses.
        /// </summary>
        public static ErrorRecord TaskNotSucceeded(SeedanceTask task)
        {
            string message;
            Exception exception;
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

            return Record(exception, "TaskNotSucceeded", ErrorCategory.InvalidOperation, task, message);
        }

        public static ErrorRecord NoApiKey(Uri? baseUri)
        {
            string message =
                "No Seedance API key is set. Store one for your user with 'Set-SeedanceApiKey' (it prompts securely), " +
                "set it for this session with 'Set-SeedanceApiKey -Scope Process', or set the environment variable SEEDANCE_API_KEY.";
            return Record(new InvalidOperationException(message), "ApiKeyNotSet", ErrorCategory.AuthenticationError, baseUri);
        }

        /// <summary>Set-SeedanceApiKey was given a plain string where a SecureString goes: say how to pass one, show none of it.</summary>
        public static ErrorRecord PlainTextApiKey()
        {
            const string message =
                "The key was given as plain text, and -ApiKey takes a SecureString (so that the key is never echoed or kept in " +
                "your history). To pass plain text on purpose (CI, a key already in a variable), use -PlainTextApiKey: " +
                "Set-SeedanceApiKey -PlainTextApiKey $key. Or run Set-SeedanceApiKey without a key to be prompted without echo.";
            return Record(new ArgumentException(message, "ApiKey"), "ApiKeyNotSecureString", ErrorCategory.InvalidArgument, null, message,
                "Set-SeedanceApiKey -PlainTextApiKey $key");
        }

        /// <summary>A blank task id (an empty CSV cell, a variable that was never set): one error, nothing sent.</summary>
        public static ErrorRecord EmptyTaskId(string? id) => Create("EmptyTaskId", ErrorCategory.InvalidArgument, id,
            "A task id is empty. Give the id that New-SeedanceTask returned (task_...), or pipe the task object itself.");

        /// <summary>
        /// The settings stored for the current user (Set-SeedanceConfiguration -Scope CurrentUser) cannot be used: the
        /// commands that would rely on them stop, since the file may hold the daily limit or the key's host.
        /// </summary>
        public static ErrorRecord StoredSettings(string problem, string path) =>
            Record(new PSInvalidOperationException(problem), "InvalidStoredConfiguration", ErrorCategory.InvalidData, path, problem,
                "Correct the file, or remove it with Set-SeedanceConfiguration -Reset -Scope CurrentUser and store again what you meant " +
                "(e.g. Set-SeedanceConfiguration -DailyCreditLimit 2000 -Scope CurrentUser).");

        public static ErrorRecord InvalidBaseUri(string problem, object? target) =>
            Record(new ArgumentException(problem), "InvalidBaseUri", ErrorCategory.InvalidArgument,
                target is Uri uri && uri.IsAbsoluteUri && !string.IsNullOrEmpty(uri.UserInfo) ? BaseUriPolicy.Displayable(uri) : target,
                problem,
                $"Use an https URI, e.g. Set-SeedanceConfiguration -BaseUri {SeedanceClientOptions.DefaultBaseUri}, " +
                $"or correct or remove the environment variable {Configuration.SeedanceConfiguration.BaseUriVariable}.");

        /// <summary>A journal or budget setting that cannot be used (a relative SEEDANCE_JOURNAL_PATH, a limit that is no number).</summary>
        public static ErrorRecord BadSetting(string errorId, string problem, object? target) =>
            Record(new PSArgumentException(problem), errorId, ErrorCategory.InvalidArgument, target, problem + " Nothing was created.");

        /// <summary>Listing or usage needs the journal, and it is off.</summary>
        public static ErrorRecord JournalOff(string what) =>
            Record(new PSInvalidOperationException(what), "JournalOff", ErrorCategory.InvalidOperation, JournalLocation.OffValue,
                what + " The task journal is off (SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath is 'off'), and the API has no list call. " +
                "Turn the journal on to record tasks from now on.",
                "Set-SeedanceConfiguration -JournalPath <path>, or remove SEEDANCE_JOURNAL_PATH for the default place.");

        public static ErrorRecord Create(string errorId, ErrorCategory category, object? target, string message) =>
            Record(new InvalidOperationException(message), errorId, category, target);

        /// <summary>
        /// An ErrorRecord for a failure the commands find themselves (a parameter, a path, a prompt), and the one
        /// constructor of ErrorRecord in the module: every row of <see cref="Table"/> comes through here too.
        /// </summary>
        public static ErrorRecord Record(Exception exception, string errorId, ErrorCategory category, object? target, string? message = null, string? advice = null) =>
            new ErrorRecord(exception, errorId, category, target)
            {
                ErrorDetails = message is null && advice is null ? null : new ErrorDetails(message ?? exception.Message) { RecommendedAction = advice },
            };

        private static ErrorCategory ProblemCategory(SeedanceProblem problem)
        {
            switch (problem)
            {
                case SeedanceProblem.FileExists: return ErrorCategory.ResourceExists;
                case SeedanceProblem.DestinationFolderNotFound: return ErrorCategory.ObjectNotFound;
                case SeedanceProblem.DestinationNotWritable: return ErrorCategory.PermissionDenied;
                case SeedanceProblem.ResubmitRequestUnknown: return ErrorCategory.ObjectNotFound;
                case SeedanceProblem.TaskIdMismatch: return ErrorCategory.InvalidResult;
                case SeedanceProblem.UploadsNotSupported: return ErrorCategory.NotImplemented;
                case SeedanceProblem.UnsafeServiceUrl:
                case SeedanceProblem.DownloadUrlContainsKey:
                case SeedanceProblem.InternalAddressRefused: return ErrorCategory.SecurityError;
                case SeedanceProblem.InvalidTaskId:
                case SeedanceProblem.FailedBefore:
                case SeedanceProblem.ResubmitRequestInvalid:
                case SeedanceProblem.InvalidWebhookBody:
                case SeedanceProblem.IncompleteVideoFile: return ErrorCategory.InvalidData;
                default: return ErrorCategory.InvalidArgument;
            }
        }

        private static bool IsMissingCreateEndpoint(SeedanceApiException api) =>
            api.Kind == SeedanceErrorKind.NotFound && api.Operation == "createTask";

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

        private static string? ApiAdvice(SeedanceApiException api)
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

        private static string JournalId(JournalException e)
        {
            switch (e.Reason)
            {
                case JournalFailureReason.InvalidPath: return "InvalidJournalPath";
                case JournalFailureReason.Disabled: return "DailyLimitNeedsJournal";
                case JournalFailureReason.Insecure: return "JournalInsecure";
                default: return "JournalUnavailable";
            }
        }

        private static ErrorCategory JournalCategory(JournalException e)
        {
            switch (e.Reason)
            {
                case JournalFailureReason.InvalidPath: return ErrorCategory.InvalidArgument;
                case JournalFailureReason.Disabled: return ErrorCategory.InvalidOperation;
                case JournalFailureReason.CannotRead: return ErrorCategory.ReadError;
                case JournalFailureReason.LockTimeout: return ErrorCategory.ResourceBusy;
                case JournalFailureReason.Insecure: return ErrorCategory.SecurityError;
                case JournalFailureReason.LockingUnsupported: return ErrorCategory.NotImplemented;
                default: return ErrorCategory.WriteError;
            }
        }

        private static string JournalMessage(JournalException e, object? target) =>
            e.Reason != JournalFailureReason.Disabled && e.Reason != JournalFailureReason.InvalidPath && !e.Message.Contains("SEEDANCE_JOURNAL_PATH")
                ? e.Message + " " + WhereToConfigure
                : e.Message;

        /// <summary>A path that is no path needs another one; the folder's permissions are advice only for a real folder.</summary>
        private static string JournalAdvice(JournalException e) =>
            e.Reason == JournalFailureReason.InvalidPath
                ? "Give a full path (or ~/...) in SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath, or 'off' to turn the journal off."
                : e.InnerException is Seedance.Client.Files.OwnedFileException unsafeFile
                ? unsafeFile.Fix + " Or choose another path (SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath)."
                : WhereToConfigure;

        private static ErrorCategory MaterialCategory(LocalMaterialException exception)
        {
            switch (exception.Problem)
            {
                case SeedanceProblem.MaterialFileNotFound:
                    return ErrorCategory.ObjectNotFound;
                case SeedanceProblem.MaterialFileUnreadable:
                    return exception.InnerException is UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.ReadError;
                case SeedanceProblem.MaterialContentMismatch:
                    return ErrorCategory.InvalidData;
                case SeedanceProblem.VideoFileTooLarge:
                    return ErrorCategory.LimitsExceeded;
                case SeedanceProblem.UploadFailed:
                    return UploadCategory(exception.InnerException);
                case SeedanceProblem.UploaderFailed:
                    return ErrorCategory.InvalidOperation;
                case SeedanceProblem.InvalidUploaderResult:
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
                case SeedanceException e when e.Problem == SeedanceProblem.UnsafeServiceUrl || e.Problem == SeedanceProblem.InternalAddressRefused:
                    return ErrorCategory.SecurityError;
                default:
                    return ErrorCategory.ReadError;
            }
        }

        private static string? MaterialAdvice(LocalMaterialException exception)
        {
            switch (exception.Problem)
            {
                case SeedanceProblem.MaterialFileNotFound:
                    return "Check the path; relative paths are resolved against the current location (Get-Location).";
                case SeedanceProblem.UploadFailed:
                    return "Run the command again for this input; nothing was created for it.";
                case SeedanceProblem.UploaderFailed:
                case SeedanceProblem.InvalidUploaderResult:
                    return "Fix the script block given to Set-SeedanceConfiguration -Uploader, or remove it (-Uploader $null) to upload through the service.";
                default:
                    return null;
            }
        }

        private static string Scrub(string text, ApiKey? key) => key is null ? text : key.Redact(text);

        /// <summary>One row of <see cref="Table"/>: which failures it maps, and to what.</summary>
        private sealed class Row
        {
            private readonly Func<Exception, bool> _matches;
            private readonly Func<Exception, string> _id;
            private readonly Func<Exception, ErrorCategory> _category;
            private readonly Func<Exception, object?, object?>? _target;
            private readonly Func<Exception, object?, string>? _message;
            private readonly Func<Exception, string?>? _advice;

            private Row(Func<Exception, bool> matches, Func<Exception, string> id, Func<Exception, ErrorCategory> category,
                Func<Exception, object?, object?>? target, Func<Exception, object?, string>? message, Func<Exception, string?>? advice)
            {
                _matches = matches;
                _id = id;
                _category = category;
                _target = target;
                _message = message;
                _advice = advice;
            }

            public static Row For<T>(string id, ErrorCategory category, Func<T, bool>? when = null, Func<T, object?, object?>? target = null,
                Func<T, object?, string>? message = null, Func<T, string?>? advice = null)
                where T : Exception =>
                For(_ => id, _ => category, when, target, message, advice);

            public static Row For<T>(Func<T, string> id, Func<T, ErrorCategory> category, Func<T, bool>? when = null, Func<T, object?, object?>? target = null,
                Func<T, object?, string>? message = null, Func<T, string?>? advice = null)
                where T : Exception =>
                new Row(
                    e => e is T t && (when is null || when(t)),
                    e => id((T)e),
                    e => category((T)e),
                    target is null ? null : (e, given) => target((T)e, given),
                    message is null ? null : (e, given) => message((T)e, given),
                    advice is null ? null : e => advice((T)e));

            public bool Matches(Exception e) => _matches(e);

            /// <summary>
            /// The record, its message scrubbed of the key and, since a server or the network may have put text in it,
            /// of terminal controls.
            /// </summary>
            public ErrorRecord Build(Exception e, object? target, ApiKey? key)
            {
                string? message = _message?.Invoke(e, target);
                string? advice = _advice?.Invoke(e);
                ErrorRecord record = Record(e, _id(e), _category(e), _target is null ? target : _target(e, target),
                    message is null ? null : Scrub(message, key), advice);
                string shown = record.ErrorDetails?.Message ?? e.Message;
                string safe = ServiceText.Clean(Scrub(shown, key));
                if (!string.Equals(safe, shown, StringComparison.Ordinal))
                {
                    record.ErrorDetails = new ErrorDetails(safe) { RecommendedAction = advice };
                }

                return record;
            }
        }
    }
}
