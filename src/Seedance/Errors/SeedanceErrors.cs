using System;
using System.Collections.Generic;
using System.Linq;
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
    /// The one error map: every ErrorRecord the module writes is built here (<see cref="Build"/>). A failure's stable
    /// ErrorId is its exception's own (<see cref="SeedanceException.ErrorId"/>) or the one a command names for a
    /// refusal it finds itself; <see cref="Categories"/> gives each ErrorId the category PowerShell users filter on;
    /// the TargetObject is the task, row, file or path it is about, and the recommended action says what to do. The
    /// original exception is kept inside, and every message passes through the key scrubber and the terminal-control
    /// filter on its way out.
    /// </summary>
    internal static class SeedanceErrors
    {
        /// <summary>How the journal's settings are named in advice.</summary>
        private const string WhereToConfigure =
            "Choose another path (SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath), fix the folder's permissions, " +
            "or turn the journal off with 'off' (then nothing protects a crashed or re-run batch from losing or paying for tasks twice).";

        private static readonly string BaseUriAdvice =
            "Check the base URI with Get-SeedanceConfiguration and set the right one with Set-SeedanceConfiguration -BaseUri " +
            $"(the service's own is {SeedanceClientOptions.DefaultBaseUri}), or correct {Configuration.SeedanceConfiguration.BaseUriVariable}.";

        /// <summary>
        /// The one table: ErrorId -> the category PowerShell users filter on, for every error the module writes. A
        /// client failure names its own ErrorId (<see cref="SeedanceException.ErrorId"/>); <see cref="CategoryOf"/>
        /// decides the few ids whose category depends on the cause. A validation failure the table does not name is InvalidArgument.
        /// </summary>
        private static readonly Dictionary<string, ErrorCategory> Categories = new Dictionary<string, ErrorCategory>(StringComparer.Ordinal);

        static SeedanceErrors()
        {
            Add(ErrorCategory.InvalidArgument, "InvalidRequest", "InvalidApiKey", "ApiKeyEmpty", "ApiKeyNotSecureString", "EmptyTaskId",
                "PromptMissing", "NotATask", "InvalidBaseUri", "InvalidDailyCreditLimit", "InvalidJournalPath", "UploaderNotStored",
                "InvalidDestination", "DestinationNotAFile", "PathIsSingleFile", "MaterialNotAFile", "UnsupportedMaterialType",
                "AmbiguousUncertainCreate", "UncertainCreateNotGiven");
            Add(ErrorCategory.InvalidData, "InvalidTaskId", "IncompleteVideoFile", "InvalidWebhookBody", "FailedBefore", "ResubmitRequestInvalid",
                "MaterialContentMismatch", "TaskDoesNotMatchCreate", "InvalidStoredConfiguration", "InvalidPriceTable", "GalleryDataUnreadable");
            Add(ErrorCategory.InvalidOperation, "TaskNotSucceeded", "JournalOff", "DailyLimitNeedsJournal", "UploaderFailed", "ApiKeyPromptUnavailable");
            Add(ErrorCategory.InvalidResult, "UnexpectedResponse", "TaskIdMismatch", "InvalidUploaderResult");
            Add(ErrorCategory.ObjectNotFound, "TaskNotFound", "VideoNotFound", "ApiEndpointNotFound", "ResubmitRequestUnknown", "MaterialFileNotFound",
                "NoUncertainCreate", "DestinationFolderNotFound");
            Add(ErrorCategory.ResourceExists, "FileExists", "PossibleDuplicate", "TaskAlreadyRegistered");
            Add(ErrorCategory.ResourceBusy, "CreateInFlight");
            Add(ErrorCategory.AuthenticationError, "Unauthorized", "ApiKeyNotSet");
            Add(ErrorCategory.PermissionDenied, "Forbidden", "VideoUrlForbidden", "DestinationNotWritable");
            Add(ErrorCategory.SecurityError, "TlsFailure", "UnsafeServiceUrl", "DownloadUrlContainsKey", "InternalAddressRefused", "JournalInsecure",
                "ApiKeyStoreInsecure", CreateTaskRequestValidator.KeyCarriedId);
            Add(ErrorCategory.QuotaExceeded, "InsufficientCredits", "BudgetExceeded");
            Add(ErrorCategory.LimitsExceeded, "RateLimited", "VideoFileTooLarge");
            Add(ErrorCategory.ResourceUnavailable, "ServerError");
            Add(ErrorCategory.OperationTimeout, "CreateOutcomeUnknown", "WaitTimeout", "RequestTimedOut");
            Add(ErrorCategory.ConnectionError, "ConnectionFailed");
            Add(ErrorCategory.ProtocolError, "InvalidResponse");
            Add(ErrorCategory.NotImplemented, "UploadsNotSupported");
            Add(ErrorCategory.ReadError, "MaterialFileUnreadable");
            Add(ErrorCategory.WriteError, "JournalUnavailable", "FileWriteFailed", "DestinationFolderNotCreated", "GalleryNotWritten",
                "ApiKeyStoreFailed", "CannotStoreConfiguration");
        }

        private static void Add(ErrorCategory category, params string[] errorIds)
        {
            foreach (string id in errorIds)
            {
                Categories.Add(id, category);
            }
        }

        /// <summary>
        /// The record of a failure: its ErrorId, its category, its target (the exception's own, else the caller's), its
        /// message and the recommended action. The original exception is kept inside.
        /// </summary>
        public static ErrorRecord FromException(Exception exception, object? target)
        {
            string id = exception switch
            {
                SeedanceException e => e.ErrorId,
                UnauthorizedAccessException _ => "DestinationNotWritable",
                System.IO.IOException _ => "FileWriteFailed",
                _ => "UnexpectedError",
            };
            string message = exception switch
            {
                // A create has no resource id, so its 404 means the createTask endpoint is not at this base URI (a typo, a
                // missing /api/v1, another host): said so, with the URL, instead of "not found".
                SeedanceApiException api when id == "ApiEndpointNotFound" =>
                    $"{api.Message} There is no createTask endpoint at {api.RequestUri?.AbsoluteUri ?? "the configured base URI"}, " +
                    $"so the base URI is probably wrong. Nothing was created. {BaseUriAdvice}",
                JournalException journal when journal.Reason != JournalFailureReason.Disabled && journal.Reason != JournalFailureReason.InvalidPath &&
                    !journal.Message.Contains("SEEDANCE_JOURNAL_PATH") => journal.Message + " " + WhereToConfigure,
                UnauthorizedAccessException _ =>
                    $"Cannot write to '{target}': {exception.Message} Save to a folder you can write to (-Path), or change the folder's permissions.",
                _ => exception.Message,
            };
            string? advice = exception switch
            {
                SeedanceApiException api => ApiAdvice(api),
                JournalException journal => JournalAdvice(journal),
                SeedanceException e => e.Advice,
                _ => null,
            };
            target = exception switch
            {
                JournalException journal => journal.Path,
                SeedanceException { Problem: SeedanceProblem.InvalidApiKey } => null, // never the key itself
                SeedanceException e => e.Target ?? target, // InvalidTaskId keeps the caller's: the task that could not be saved
                _ => target,
            };
            return Build(exception, id, CategoryOf(exception, id), target, message, advice);
        }

        /// <summary>
        /// A request refused before sending. The exception keeps the parameter name; ErrorDetails carries the plain
        /// message, so the error reads as one sentence of advice rather than ending in "(Parameter 'Duration')".
        /// </summary>
        public static ErrorRecord Validation(ValidationFailure failure) =>
            Build(new ArgumentException(Redact(failure.Message), failure.ParameterName), failure.ErrorId, ValidationCategory(failure), failure.Target, failure.Message);

        /// <summary>
        /// A row refused before sending: the piped row itself is the target when there is one (so a script can tie
        /// the error to its row, export it, or pipe it back), else the offending value; the message names the row. A row
        /// that holds the key is no target (the failure's own is: for RequestContainsApiKey, the parameter's name).
        /// </summary>
        public static ErrorRecord Validation(ValidationFailure failure, object? row, CreateTaskRequest request)
        {
            string message = Redact($"{failure.Message} ({request.Describe()})");
            object? target = row is not null && !CarriesKey(TextOf(row)) ? row : failure.Target;
            return Build(new ArgumentException(message, failure.ParameterName), failure.ErrorId, ValidationCategory(failure), target, message);
        }

        /// <summary>InvalidArgument, unless the table names the failure's id otherwise (a request that carries the key is a SecurityError).</summary>
        private static ErrorCategory ValidationCategory(ValidationFailure failure) =>
            Categories.TryGetValue(failure.ErrorId, out ErrorCategory category) ? category : ErrorCategory.InvalidArgument;

        /// <summary>
        /// Names the task in the message of an error about it, so a transcript or a log says which paid task it was
        /// (the id is also the TargetObject, but a console line shows only the message).
        /// </summary>
        public static ErrorRecord ForTask(ErrorRecord record, string taskId) =>
            MessageOf(record).IndexOf(taskId, StringComparison.Ordinal) >= 0 ? record : Reword(record, $"Task {taskId}: {MessageOf(record)}");

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
            Reword(error, MessageOf(error) + $" Not saved yet (paid): {string.Join(", ", ids)}.");
        }

        /// <summary>Names the row (prompt excerpt, and its Name when it has one) in the message of an error about it.</summary>
        public static ErrorRecord ForRow(ErrorRecord record, CreateTaskRequest request) => Reword(record, $"{MessageOf(record)} ({request.Describe()})");

        private static string MessageOf(ErrorRecord record) => record.ErrorDetails?.Message ?? record.Exception.Message;

        /// <summary>The record with another message (through the same gate as <see cref="Build"/>'s), and the same recommended action.</summary>
        internal static ErrorRecord Reword(ErrorRecord record, string message) => Reword(record, message, record.ErrorDetails?.RecommendedAction);

        internal static ErrorRecord Reword(ErrorRecord record, string message, string? advice)
        {
            record.ErrorDetails = new ErrorDetails(ServiceText.Clean(Redact(message))) { RecommendedAction = advice is null ? null : Redact(advice) };
            return record;
        }

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

            return Record(exception, "TaskNotSucceeded", task, message);
        }

        public static ErrorRecord NoApiKey(Uri? baseUri)
        {
            string message =
                "No Seedance API key is set. Store one for your user with 'Set-SeedanceApiKey' (it prompts securely), " +
                "set it for this session with 'Set-SeedanceApiKey -Scope Process', or set the environment variable SEEDANCE_API_KEY.";
            return Record(new InvalidOperationException(message), "ApiKeyNotSet", baseUri);
        }

        /// <summary>Set-SeedanceApiKey was given a plain string where a SecureString goes: say how to pass one, show none of it.</summary>
        public static ErrorRecord PlainTextApiKey()
        {
            const string message =
                "The key was given as plain text, and -ApiKey takes a SecureString (so that the key is never echoed or kept in " +
                "your history). To pass plain text on purpose (CI, a key already in a variable), use -PlainTextApiKey: " +
                "Set-SeedanceApiKey -PlainTextApiKey $key. Or run Set-SeedanceApiKey without a key to be prompted without echo.";
            return Record(new ArgumentException(message, "ApiKey"), "ApiKeyNotSecureString", null, message,
                "Set-SeedanceApiKey -PlainTextApiKey $key");
        }

        /// <summary>A blank task id (an empty CSV cell, a variable that was never set): one error, nothing sent.</summary>
        public static ErrorRecord EmptyTaskId(string? id) => Create("EmptyTaskId", id,
            "A task id is empty. Give the id that New-SeedanceTask returned (task_...), or pipe the task object itself.");

        /// <summary>
        /// The settings stored for the current user (Set-SeedanceConfiguration -Scope CurrentUser) cannot be used: the
        /// commands that would rely on them stop, since the file may hold the daily limit or the key's host.
        /// </summary>
        public static ErrorRecord StoredSettings(string problem, string path) =>
            Record(new PSInvalidOperationException(problem), "InvalidStoredConfiguration", path, problem,
                "Correct the file, or remove it with Set-SeedanceConfiguration -Reset -Scope CurrentUser and store again what you meant " +
                "(e.g. Set-SeedanceConfiguration -DailyCreditLimit 2000 -Scope CurrentUser).");

        public static ErrorRecord InvalidBaseUri(string problem, object? target) =>
            Record(new ArgumentException(problem), "InvalidBaseUri",
                target is Uri uri && uri.IsAbsoluteUri && !string.IsNullOrEmpty(uri.UserInfo) ? BaseUriPolicy.Displayable(uri) : target,
                problem,
                $"Use an https URI, e.g. Set-SeedanceConfiguration -BaseUri {SeedanceClientOptions.DefaultBaseUri}, " +
                $"or correct or remove the environment variable {Configuration.SeedanceConfiguration.BaseUriVariable}.");

        /// <summary>A journal or budget setting that cannot be used (a relative SEEDANCE_JOURNAL_PATH, a limit that is no number).</summary>
        public static ErrorRecord BadSetting(string errorId, string problem, object? target) =>
            Record(new PSArgumentException(problem), errorId, target, problem + " Nothing was created.");

        /// <summary>Listing or usage needs the journal, and it is off.</summary>
        public static ErrorRecord JournalOff(string what) =>
            Record(new PSInvalidOperationException(what), "JournalOff", JournalLocation.OffValue,
                what + " The task journal is off (SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath is 'off'), and the API has no list call. " +
                "Turn the journal on to record tasks from now on.",
                "Set-SeedanceConfiguration -JournalPath <path>, or remove SEEDANCE_JOURNAL_PATH for the default place.");

        public static ErrorRecord Create(string errorId, object? target, string message) =>
            Record(new InvalidOperationException(Redact(message)), errorId, target);

        /// <summary>
        /// An ErrorRecord for a failure the commands find themselves (a parameter, a path, a prompt): its category
        /// comes from the table, like every other's.
        /// </summary>
        public static ErrorRecord Record(Exception exception, string errorId, object? target, string? message = null, string? advice = null) =>
            Build(exception, errorId, Categories.TryGetValue(errorId, out ErrorCategory category) ? category : ErrorCategory.NotSpecified,
                target, message ?? exception.Message, advice);

        /// <summary>
        /// The one constructor of ErrorRecord in the module, and the gate every record passes: each key this process
        /// resolved is masked (<see cref="Redact"/>) in the message, the recommended action and a target that is text,
        /// and, since a server or the network may have put text in the message, terminal controls are removed. An
        /// exception whose text holds a key (its message, or an inner one's) is replaced by one with the masked message:
        /// its type and inner exceptions are lost, but $_.Exception and Format-List show no key.
        /// </summary>
        private static ErrorRecord Build(Exception exception, string errorId, ErrorCategory category, object? target, string message, string? advice = null) =>
            Reword(new ErrorRecord(ExceptionCarriesKey(exception) ? new SeedanceException(Redact(exception.Message)) : exception, errorId, category, SafeTarget(target)),
                message, advice);

        /// <summary>
        /// Whether an exception shows a key anywhere a user can look: its text (message, inner ones) or the text of a
        /// public property of it or of an inner exception (SeedanceApiException.RequestUri holds the task id the user
        /// typed; Format-List * and Export-Clixml show every property).
        /// </summary>
        private static bool ExceptionCarriesKey(Exception exception)
        {
            if (s_keys.Length == 0)
            {
                return false;
            }

            if (CarriesKey(exception.ToString())) // the inner exceptions' text included
            {
                return true;
            }

            for (Exception? e = exception; e is not null; e = e.InnerException)
            {
                if (e.GetType().GetProperties().Any(p => p.GetIndexParameters().Length == 0 && CarriesKey(TextOfProperty(p, e))))
                {
                    return true;
                }
            }

            return false;
        }

        private static string? TextOfProperty(System.Reflection.PropertyInfo property, Exception exception)
        {
            try
            {
                return property.GetValue(exception)?.ToString();
            }
            catch (Exception)
            {
                return null; // a property that throws shows nothing either
            }
        }

        /// <summary>
        /// The target with the key masked: text (a task id, a path) masked; an object whose text holds a key (a task whose
        /// id is one, a URL) becomes that text masked, since PowerShell shows a target as its text (CategoryInfo, Format-List).
        /// </summary>
        private static object? SafeTarget(object? target) => target switch
        {
            null => null,
            string text => Redact(text),
            _ => TextOf(target) is string text && CarriesKey(text) ? Redact(text) : target,
        };

        private static string? TextOf(object target) => PSObject.AsPSObject(target).ToString();

        /// <summary>
        /// Every key a command of this process resolved (<see cref="Remember"/>). The process's, not one command's: a
        /// record is also built where no key is in hand (the async base, path binding), and a key set in one runspace
        /// may come back in the input of another.
        /// </summary>
        private static ApiKey[] s_keys = Array.Empty<ApiKey>();

        private static readonly object s_keysLock = new object();

        /// <summary>From now on <paramref name="key"/> is masked in every error, warning and verbose line the module writes.</summary>
        internal static void Remember(ApiKey? key)
        {
            lock (s_keysLock)
            {
                if (key is null || Array.Exists(s_keys, known => known.Reveal() == key.Reveal()))
                {
                    return;
                }

                ApiKey[] keys = new ApiKey[s_keys.Length + 1];
                s_keys.CopyTo(keys, 0);
                keys[s_keys.Length] = key;
                s_keys = keys;
            }
        }

        /// <summary>
        /// <paramref name="text"/> with every remembered key masked (<see cref="ApiKey.Mask"/>) in any form it comes back
        /// in: any letter case, percent-encoded up to three times, JSON-escaped (<see cref="ApiKey.Redact"/>).
        /// </summary>
        internal static string Redact(string? text)
        {
            string result = text ?? string.Empty;
            foreach (ApiKey key in s_keys)
            {
                result = key.Redact(result);
            }

            return result;
        }

        internal static bool CarriesKey(string? text) => Array.Exists(s_keys, key => key.IsIn(text));

        /// <summary>The category of a failure: the table's, except where it depends on the cause.</summary>
        private static ErrorCategory CategoryOf(Exception exception, string errorId) => exception switch
        {
            TaskFailedException failed => FailureCategory(failed.Task.Error),
            JournalException { Reason: JournalFailureReason.CannotRead } => ErrorCategory.ReadError,
            JournalException { Reason: JournalFailureReason.LockTimeout } => ErrorCategory.ResourceBusy,
            JournalException { Reason: JournalFailureReason.LockingUnsupported } => ErrorCategory.NotImplemented,
            LocalMaterialException { Problem: SeedanceProblem.UploadFailed } upload => UploadCategory(upload.InnerException),
            LocalMaterialException { Problem: SeedanceProblem.MaterialFileUnreadable, InnerException: UnauthorizedAccessException _ } => ErrorCategory.PermissionDenied,
            _ => Categories.TryGetValue(errorId, out ErrorCategory category) ? category : ErrorCategory.NotSpecified,
        };

        private static string? ApiAdvice(SeedanceApiException api)
        {
            switch (api.Kind)
            {
                case SeedanceErrorKind.Unauthorized: return "Check the key with Get-SeedanceConfiguration and set a valid one with Set-SeedanceApiKey.";
                case SeedanceErrorKind.InsufficientCredits: return $"Top up the account: {api.RequiredCredits} credits needed, {api.AvailableCredits} available.";
                case SeedanceErrorKind.RateLimited: return $"Too many tasks are running ({api.Current} of {api.Limit}); wait for some to finish.";
                case SeedanceErrorKind.ServerError when api.Operation == "createTask": return SeedanceApiException.CreateMayExist;
                case SeedanceErrorKind.ServerError: return "The service had an internal error; try again later.";
                case SeedanceErrorKind.NotFound when api.Operation == "createTask": return BaseUriAdvice;
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

        /// <summary>
        /// A daily limit with the journal off needs one of the two gone; a path that is no path needs another one; the folder's
        /// permissions are advice only for a real folder.
        /// </summary>
        private static string JournalAdvice(JournalException e) =>
            e.Reason == JournalFailureReason.Disabled
                ? "Turn the journal on (Set-SeedanceConfiguration -JournalPath <path>, or remove SEEDANCE_JOURNAL_PATH for the default place), " +
                  "or remove the daily limit (Set-SeedanceConfiguration -DailyCreditLimit $null, and SEEDANCE_DAILY_CREDIT_LIMIT if set)."
                : e.Reason == JournalFailureReason.InvalidPath
                ? "Give a full path (or ~/...) in SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath, or 'off' to turn the journal off."
                : e.InnerException is Seedance.Client.Files.OwnedFileException unsafeFile
                ? unsafeFile.Fix + " Or choose another path (SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath)."
                : WhereToConfigure;

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
                case SeedanceException { Problem: SeedanceProblem.ConnectionFailed or SeedanceProblem.ConnectionNotMade or SeedanceProblem.TlsFailure }:
                    return ErrorCategory.ConnectionError;
                case SeedanceException { Problem: SeedanceProblem.RequestTimedOut }:
                    return ErrorCategory.OperationTimeout;
                case SeedanceException { Problem: SeedanceProblem.InvalidResponse }:
                    return ErrorCategory.ProtocolError;
                case SeedanceException { Problem: SeedanceProblem.UnsafeServiceUrl or SeedanceProblem.InternalAddressRefused }:
                    return ErrorCategory.SecurityError;
                default:
                    return ErrorCategory.ReadError;
            }
        }
    }
}
