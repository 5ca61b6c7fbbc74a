using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using Seedance.Client;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Validation;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// The one error map: every ErrorRecord the module writes is built here (<see cref="Record"/>). A failure's stable
    /// ErrorId is its exception's own (<see cref="SeedanceException.ErrorId"/>) or the one a command names for a
    /// refusal it finds itself; the table (<see cref="Categories"/> and <see cref="Advice"/>) gives each the category
    /// PowerShell users filter on and what to do; the TargetObject is the task, row, file or path it is about. The
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
            $"(the service's own is {SeedanceClientOptions.DefaultBaseUri}), or correct {Client.Settings.Setting.BaseUri.Variable}.";

        /// <summary>
        /// The table, keyed by kind of error: its ErrorId, or "ErrorId.Cause" where the category depends on the cause
        /// (<see cref="CauseOf"/>: an upload's failure, a task's failure code, the journal's reason). A kind the table
        /// does not name is InvalidArgument when it is an argument refused (every validation failure), else NotSpecified.
        /// </summary>
        private static readonly Dictionary<string, ErrorCategory> Categories = new Dictionary<string, ErrorCategory>(StringComparer.OrdinalIgnoreCase);

        /// <summary>The table's other column: what to do, where it does not depend on the failure's data (that is the exception's own advice).</summary>
        private static readonly Dictionary<string, string> Advice = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        static SeedanceErrors()
        {
            Add(ErrorCategory.InvalidArgument, "InvalidRequest", "InvalidApiKey", "ApiKeyEmpty", "ApiKeyNotSecureString", "EmptyTaskId",
                "PromptMissing", "NotATask", "InvalidBaseUri", "InvalidDailyCreditLimit", "InvalidJournalPath", "UploaderNotStored",
                "InvalidDestination", "DestinationNotAFile", "PathIsSingleFile", "MaterialNotAFile", "UnsupportedMaterialType",
                "AmbiguousUncertainCreate", "UncertainCreateNotGiven", "TaskFailed.Code.InvalidParameter");
            Add(ErrorCategory.InvalidData, "InvalidTaskId", "IncompleteVideoFile", "InvalidWebhookBody", "FailedBefore", "ResubmitRequestInvalid",
                "MaterialContentMismatch", "TaskDoesNotMatchCreate", "InvalidStoredConfiguration", "InvalidPriceTable", "GalleryDataUnreadable", "TaskFailed");
            Add(ErrorCategory.InvalidOperation, "TaskNotSucceeded", "JournalOff", "DailyLimitNeedsJournal", "UploaderFailed", "ApiKeyPromptUnavailable");
            Add(ErrorCategory.InvalidResult, "UnexpectedResponse", "TaskIdMismatch", "InvalidUploaderResult", "TaskFailed.NoCode",
                "UploadFailed.InvalidRequest", "UploadFailed.Unauthorized", "UploadFailed.InsufficientCredits", "UploadFailed.TaskNotFound",
                "UploadFailed.VideoNotFound", "UploadFailed.ApiEndpointNotFound", "UploadFailed.UnexpectedResponse");
            Add(ErrorCategory.ObjectNotFound, "TaskNotFound", "VideoNotFound", "ApiEndpointNotFound", "ResubmitRequestUnknown", "MaterialFileNotFound",
                "NoUncertainCreate", "DestinationFolderNotFound");
            Add(ErrorCategory.ResourceExists, "FileExists", "PossibleDuplicate", "TaskAlreadyRegistered");
            Add(ErrorCategory.ResourceBusy, "CreateInFlight", "JournalUnavailable.LockTimeout");
            Add(ErrorCategory.AuthenticationError, "Unauthorized", "ApiKeyNotSet");
            Add(ErrorCategory.PermissionDenied, "Forbidden", "VideoUrlForbidden", "DestinationNotWritable", "UploadFailed.Forbidden",
                "UploadFailed.VideoUrlForbidden", "MaterialFileUnreadable.UnauthorizedAccessException");
            Add(ErrorCategory.SecurityError, "TlsFailure", "UnsafeServiceUrl", "DownloadUrlContainsKey", "InternalAddressRefused", "JournalInsecure",
                "ApiKeyStoreInsecure", nameof(SeedanceProblem.RequestContainsApiKey), "UploadFailed.UnsafeServiceUrl", "UploadFailed.InternalAddressRefused");
            Add(ErrorCategory.QuotaExceeded, "InsufficientCredits", "BudgetExceeded");
            Add(ErrorCategory.LimitsExceeded, "RateLimited", "VideoFileTooLarge");
            Add(ErrorCategory.ResourceUnavailable, "ServerError", "TaskFailed.Transient", "UploadFailed.ServerError", "UploadFailed.RateLimited");
            Add(ErrorCategory.OperationTimeout, "CreateOutcomeUnknown", "WaitTimeout", "RequestTimedOut", "UploadFailed.RequestTimedOut");
            Add(ErrorCategory.ConnectionError, "ConnectionFailed", "UploadFailed.ConnectionFailed", "UploadFailed.TlsFailure");
            Add(ErrorCategory.ProtocolError, "InvalidResponse", "UploadFailed.InvalidResponse");
            Add(ErrorCategory.NotImplemented, "UploadsNotSupported", "JournalUnavailable.LockingUnsupported");
            Add(ErrorCategory.ReadError, "MaterialFileUnreadable", "UploadFailed", "JournalUnavailable.CannotRead");
            Add(ErrorCategory.WriteError, "JournalUnavailable", "FileWriteFailed", "DestinationFolderNotCreated", "GalleryNotWritten",
                "ApiKeyStoreFailed", "CannotStoreConfiguration");

            Advise("Check the key with Get-SeedanceConfiguration and set a valid one with Set-SeedanceApiKey.", "Unauthorized");
            Advise(BaseUriAdvice, "ApiEndpointNotFound", "TaskNotFound");
            Advise("Turn the journal on (Set-SeedanceConfiguration -JournalPath <path>, or remove SEEDANCE_JOURNAL_PATH for the default place), " +
                "or remove the daily limit (Set-SeedanceConfiguration -DailyCreditLimit $null, and SEEDANCE_DAILY_CREDIT_LIMIT if set).", "DailyLimitNeedsJournal");
            Advise("Give a full path (or ~/...) in SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath, or 'off' to turn the journal off.", "InvalidJournalPath");
            Advise(WhereToConfigure, "JournalUnavailable");
            Advise("Choose another path (SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath) if this one cannot be made safe.", "JournalInsecure");
            Advise("Set-SeedanceConfiguration -JournalPath <path>, or remove SEEDANCE_JOURNAL_PATH for the default place.", "JournalOff");
            Advise("Check the path; relative paths are resolved against the current location (Get-Location).", "MaterialFileNotFound");
            Advise("Run the command again for this input; nothing was created for it.", "UploadFailed");
            Advise("Fix the script block given to Set-SeedanceConfiguration -Uploader, or remove it (-Uploader $null) to upload through the service.",
                "UploaderFailed", "InvalidUploaderResult");
            Advise("Set-SeedanceConfiguration -Uploader { param($File) ...; return $url } uploads to storage of your own; see Get-Help about_Seedance.", "UploadsNotSupported");
            Advise("Use -Force to replace it with the whole video, or remove the file and save again.", "IncompleteVideoFile");
            Advise("Check what the function received; a webhook is unsigned, so confirm any task it names with Get-SeedanceTask.", "InvalidWebhookBody");
            Advise("Only a task created by New-SeedanceTask with the task journal on can be resubmitted. " +
                "Create it again on purpose with New-SeedanceTask and the same prompt and materials.", "ResubmitRequestUnknown");
            Advise("Correct the row (or the price table) and create it again with New-SeedanceTask.", "ResubmitRequestInvalid");
            Advise("Correct the file, or remove it with Set-SeedanceConfiguration -Reset -Scope CurrentUser and store again what you meant " +
                "(e.g. Set-SeedanceConfiguration -DailyCreditLimit 2000 -Scope CurrentUser).", "InvalidStoredConfiguration");
            Advise($"Use an https URI, e.g. Set-SeedanceConfiguration -BaseUri {SeedanceClientOptions.DefaultBaseUri}, " +
                $"or correct or remove the environment variable {Client.Settings.Setting.BaseUri.Variable}.", "InvalidBaseUri");
            Advise("Set-SeedanceApiKey -PlainTextApiKey $key", "ApiKeyNotSecureString");
            Advise("Set it in each session (e.g. in your profile) with Set-SeedanceConfiguration -Uploader, and store the other settings with -Scope CurrentUser.",
                "UploaderNotStored");
            Advise("Fix the file (the README shows the format), or leave -PriceTable out to keep the built-in prices.", "InvalidPriceTable");
        }

        private static void Add(ErrorCategory category, params string[] kinds) => Array.ForEach(kinds, kind => Categories.Add(kind, category));

        private static void Advise(string advice, params string[] kinds) => Array.ForEach(kinds, kind => Advice.Add(kind, advice));

        /// <summary>
        /// What refines the kind of a failure whose category depends on its cause: the failure of an upload (its cause's
        /// ErrorId), of a task (transient, or the service's code), the journal's reason, an unreadable file's cause.
        /// </summary>
        private static string? CauseOf(Exception exception) => exception switch
        {
            // The service's code is its own namespace ("Code."): a task failed with code "Transient" must not pick the
            // module's own Transient row (the service would choose a category and advice that are not its to choose).
            TaskFailedException failed => failed.IsSafeToResubmit ? SeedanceFailureClass.Transient : string.IsNullOrEmpty(failed.ErrorCode) ? "NoCode" : "Code." + failed.ErrorCode,
            JournalException journal => journal.Reason.ToString(),
            _ => exception.InnerException is SeedanceException cause ? cause.ErrorId : exception.InnerException?.GetType().Name,
        };

        /// <summary>The table's row for the failure's cause when it has one, else for its ErrorId.</summary>
        private static bool TryLookUp<T>(Dictionary<string, T> column, string errorId, string? cause, out T value) =>
            (cause is not null && column.TryGetValue(errorId + "." + cause, out value)) || column.TryGetValue(errorId, out value);

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
            target = exception switch
            {
                JournalException journal => journal.Path,
                SeedanceException { Problem: SeedanceProblem.InvalidApiKey } => null, // never the key itself
                SeedanceException e => e.Target ?? target, // InvalidTaskId keeps the caller's: the task that could not be saved
                _ => target,
            };
            return Record(exception, id, target, message);
        }

        /// <summary>
        /// A request refused before sending. The exception keeps the parameter name; ErrorDetails carries the plain
        /// message, so the error reads as one sentence of advice rather than ending in "(Parameter 'Duration')".
        /// </summary>
        public static ErrorRecord Validation(ValidationFailure failure) =>
            Record(new ArgumentException(Redact(failure.Message), failure.ParameterName), failure.ErrorId, failure.Target, failure.Message);

        /// <summary>
        /// A row refused before sending: the piped row itself is the target when there is one (so a script can tie
        /// the error to its row, export it, or pipe it back), else the offending value; the message names the row. A row
        /// that holds the key is no target (the failure's own is: for RequestContainsApiKey, the parameter's name).
        /// </summary>
        public static ErrorRecord Validation(ValidationFailure failure, object? row, CreateTaskRequest request)
        {
            string message = Redact($"{failure.Message} ({request.Describe()})");
            object? target = row is not null && !CarriesKey(TextOf(row)) ? row : failure.Target;
            return Record(new ArgumentException(message, failure.ParameterName), failure.ErrorId, target, message);
        }
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

        /// <summary>The record with another message (through the same gate as <see cref="Record"/>'s), and the same recommended action.</summary>
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


        public static ErrorRecord NoApiKey(Uri? baseUri) => Create("ApiKeyNotSet", baseUri,
            "No Seedance API key is set. Store one for your user with 'Set-SeedanceApiKey' (it prompts securely), " +
            "set it for this session with 'Set-SeedanceApiKey -Scope Process', or set the environment variable SEEDANCE_API_KEY.");

        /// <summary>Set-SeedanceApiKey was given a plain string where a SecureString goes: say how to pass one, show none of it.</summary>
        public static ErrorRecord PlainTextApiKey()
        {
            const string message =
                "The key was given as plain text, and -ApiKey takes a SecureString (so that the key is never echoed or kept in " +
                "your history). To pass plain text on purpose (CI, a key already in a variable), use -PlainTextApiKey: " +
                "Set-SeedanceApiKey -PlainTextApiKey $key. Or run Set-SeedanceApiKey without a key to be prompted without echo.";
            return Record(new ArgumentException(message, "ApiKey"), "ApiKeyNotSecureString", null, message);
        }

        /// <summary>A blank task id (an empty CSV cell, a variable that was never set): one error, nothing sent.</summary>
        public static ErrorRecord EmptyTaskId(string? id) => Create("EmptyTaskId", id,
            "A task id is empty. Give the id that New-SeedanceTask returned (task_...), or pipe the task object itself.");

        /// <summary>
        /// The settings stored for the current user (Set-SeedanceConfiguration -Scope CurrentUser) cannot be used: the
        /// commands that would rely on them stop, since the file may hold the daily limit or the key's host.
        /// </summary>
        public static ErrorRecord StoredSettings(string problem, string path) => Record(new PSInvalidOperationException(problem), "InvalidStoredConfiguration", path);

        public static ErrorRecord InvalidBaseUri(string problem, object? target) => Record(new ArgumentException(problem), "InvalidBaseUri", target);

        /// <summary>A journal or budget setting that cannot be used (a relative SEEDANCE_JOURNAL_PATH, a limit that is no number).</summary>
        public static ErrorRecord BadSetting(string errorId, string problem, object? target) =>
            Record(new PSArgumentException(problem), errorId, target, problem + " Nothing was created.");

        /// <summary>Listing or usage needs the journal, and it is off.</summary>
        public static ErrorRecord JournalOff(string what) =>
            Record(new PSInvalidOperationException(what), "JournalOff", JournalLocation.OffValue,
                what + " The task journal is off (SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath is 'off'), and the API has no list call. " +
                "Turn the journal on to record tasks from now on.");

        public static ErrorRecord Create(string errorId, object? target, string message) => Record(new InvalidOperationException(message), errorId, target);

        /// <summary>
        /// The one constructor of ErrorRecord in the module. The category and the recommended action come from the table
        /// (the action after the exception's own, which depends on its data), unless the caller gives the action. Every
        /// record passes the gate here: each key this process resolved is masked (<see cref="Redact"/>) in the message, the
        /// recommended action and a target that is text, and, since a server or the network may have put text in the
        /// message, terminal controls are removed. An exception whose text holds a key (its message, or an inner one's) is
        /// replaced by one with the masked message: its type and inner exceptions are lost, but $_.Exception and
        /// Format-List show no key.
        /// </summary>
        public static ErrorRecord Record(Exception exception, string errorId, object? target, string? message = null, string? advice = null)
        {
            string? cause = CauseOf(exception);
            ErrorCategory category = TryLookUp(Categories, errorId, cause, out ErrorCategory row) ? row
                : exception is ArgumentException ? ErrorCategory.InvalidArgument : ErrorCategory.NotSpecified;
            string? own = (exception as SeedanceException)?.Advice;
            advice ??= TryLookUp(Advice, errorId, cause, out string? general) ? (own is null ? general : own + " " + general) : own;
            Exception shown = ExceptionCarriesKey(exception) ? new SeedanceException(Redact(exception.Message)) : exception;
            return Reword(new ErrorRecord(shown, errorId, category, SafeTarget(target)), message ?? exception.Message, advice);
        }

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
        /// A URI stays the Uri it was given unless it carries user info (user:password@), which becomes text with *** there.
        /// </summary>
        private static object? SafeTarget(object? target) => target switch
        {
            null => null,
            string text => Redact(text),
            Uri { IsAbsoluteUri: true } uri when !string.IsNullOrEmpty(uri.UserInfo) => Redact(BaseUriPolicy.Displayable(uri)),
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

    }
}
