using System;
using Seedance.Client.Journal;
using Seedance.Client.Models;

namespace Seedance.Client
{
    /// <summary>The <see cref="SeedanceException"/> of each <see cref="SeedanceProblem"/>, with its message and target (the error map adds the advice).</summary>
    public static class Problems
    {
        /// <summary>The task id (as the service gave it) cannot be a file name; the caller's target (the task) stays.</summary>
        public static SeedanceException InvalidTaskId(string taskId, string reason) =>
            new SeedanceException(SeedanceProblem.InvalidTaskId,
                $"The task id '{ServiceText.Clean(taskId)}' cannot be used as a file name: {reason}. Nothing was written. " +
                "To save this video anyway, give -Path a file name for it.");

        /// <param name="kind">"directory", "FIFO", "character device", "block device", "socket".</param>
        public static SeedanceException DestinationNotAFile(string path, string kind) =>
            new SeedanceException(SeedanceProblem.DestinationNotAFile,
                $"'{path}' is a {kind}, not a regular file, so no video is saved there (not even with -Force). Choose another -Path.", path);

        /// <param name="given">-Path as the user wrote it: the error's target.</param>
        public static SeedanceException DestinationFolderNotFound(string given, string message) =>
            new SeedanceException(SeedanceProblem.DestinationFolderNotFound, message, given);

        public static SeedanceException DestinationNotWritable(string given, string folder, Exception cause) =>
            new SeedanceException(SeedanceProblem.DestinationNotWritable,
                $"Cannot write to '{folder}': {cause.Message} Nothing was created or paid for; save to a folder you can write to (-Path), or change the folder's permissions.",
                given, null, cause);

        /// <summary>Never the key itself as the target: the error map gives this one none at all.</summary>
        public static SeedanceException InvalidApiKey(string problem) => new SeedanceException(SeedanceProblem.InvalidApiKey, problem);

        public static SeedanceException FileExists(string path, string message) => new SeedanceException(SeedanceProblem.FileExists, message, path);

        /// <param name="bytes">The file's size now.</param>
        /// <param name="expectedBytes">The video's size, as the service declares it.</param>
        public static SeedanceException IncompleteVideoFile(string path, string taskId, long bytes, long expectedBytes) =>
            new SeedanceException(SeedanceProblem.IncompleteVideoFile,
                $"The file '{path}' is an incomplete copy of the video of task {taskId}: {bytes:N0} of its {expectedBytes:N0} bytes. It was kept and nothing was downloaded: use -Force to replace it with the whole video, or remove it and save again.",
                path);

        public static SeedanceException PathIsSingleFile(string given, string taskId) =>
            new SeedanceException(SeedanceProblem.PathIsSingleFile,
                $"-Path '{given}' names one file (it has an extension), but the video of task {taskId} came in after another. Give a folder to save several videos, e.g. -Path ./videos.");

        /// <param name="target">What the error is about when it is not the body itself (a body too large to show: its size).</param>
        public static SeedanceException InvalidWebhookBody(string message, Exception? innerException = null, object? target = null) =>
            new SeedanceException(SeedanceProblem.InvalidWebhookBody, message, target, innerException: innerException);

        public static SeedanceException TaskIdMismatch(string requestedId, string returnedId) =>
            new SeedanceException(SeedanceProblem.TaskIdMismatch,
                $"Asked the service for task '{requestedId}' but it answered with task '{ServiceText.Clean(returnedId)}'. " +
                "The answer was not used; ask again later, and report it to the service if it persists.");

        public static SeedanceException DownloadUrlContainsKey() =>
            new SeedanceException(SeedanceProblem.DownloadUrlContainsKey,
                "The video URL the service gave contains the API key, so it was not fetched: the key goes to the API host only. " +
                "Report it to the service; the key may need to be rotated if it was shared elsewhere.");

        /// <param name="answer">recordInfo, webhook, uploads.</param>
        /// <param name="field">The field as the service named it, e.g. output[0].lastFrameImage, uploadUrl.</param>
        public static SeedanceException UnsafeServiceUrl(string answer, string field, string problem, string? shownValue) =>
            new SeedanceException(SeedanceProblem.UnsafeServiceUrl,
                $"The service's {answer} answer: '{field}' {problem}" + (shownValue is null ? "" : $": '{shownValue}'") +
                ". It was not used: nothing was fetched from or sent to it, and nothing of it was recorded. Report it to the service.");

        /// <param name="redirectedFrom">The URL whose redirect led there, or null when the service gave the refused URL itself.</param>
        public static SeedanceException InternalAddressRefused(Uri target, string what, Uri? redirectedFrom, string problem) =>
            new SeedanceException(SeedanceProblem.InternalAddressRefused,
                $"The URL of {what} " + (redirectedFrom is null ? "" : $"(a redirect from '{Shown(redirectedFrom)}') ") + $"'{Shown(target)}' {problem}. " +
                "It was refused: nothing was fetched from it or sent to it. A service answer must not make this machine reach its own network; report it to the service.");

        public static SeedanceException UploadsNotSupported(Uri endpoint, SeedanceApiException innerException) =>
            new SeedanceException(SeedanceProblem.UploadsNotSupported,
                $"The Seedance API at {endpoint} has no upload endpoint (it answered {(int)innerException.StatusCode} to POST), " +
                "so local files cannot be uploaded through the service. Upload them to storage of your own with " +
                "'Set-SeedanceConfiguration -Uploader { param($File) ...; return $url }' (see about_Seedance), or pass public http(s) URLs instead. " +
                "No task was created for this input.",
                innerException: innerException);

        /// <param name="earlier">The failed task, as the journal knows it.</param>
        public static SeedanceException FailedBefore(string name, JournalTaskSummary earlier, CreateTaskRequest request) =>
            new SeedanceException(SeedanceProblem.FailedBefore,
                $"Not created: row '{name}' failed before as task {earlier.TaskId} ({earlier.UpdatedAt.ToUniversalTime():u}), " +
                $"{FailureClasses.Describe(FailureClasses.Classify(earlier.Error))}: " +
                $"{(earlier.Error is null ? "the service gave no reason" : ServiceText.Clean(earlier.Error.ToString()).TrimEnd('.'))}. " +
                $"Its prompt and materials are unchanged, so it would fail again. ({request.Describe()})",
                advice: FailureClasses.Classify(earlier.Error) == SeedanceFailureClass.OutputModeration
                    ? "Change the prompt (the service's review refused the generated video), or send the same request once more on purpose with New-SeedanceTask -Force: it may pass, or fail again."
                    : "Change what the service's message names (the prompt, or a reference image or video) in the row, then run it again; -Force sends it unchanged anyway.");

        /// <summary>A failed task -RetryFailed cannot resubmit: the journal has no record of its request. The task is the target.</summary>
        public static SeedanceException ResubmitRequestUnknown(SeedanceTask failed) =>
            new SeedanceException(SeedanceProblem.ResubmitRequestUnknown,
                $"Task {failed.TaskId}{RowOf(failed)} failed for a transient reason, but it cannot be resubmitted: the task journal has no record of the request " +
                "it was created from (the journal is off, or the task was not created by this module). Nothing was sent.",
                failed);

        /// <summary>A failed task -RetryFailed cannot resubmit: its journaled request fails today's checks (<paramref name="detail"/>).</summary>
        public static SeedanceException ResubmitRequestInvalid(SeedanceTask failed, string detail) =>
            new SeedanceException(SeedanceProblem.ResubmitRequestInvalid,
                $"Task {failed.TaskId}{RowOf(failed)} failed for a transient reason, but its request, as the task journal recorded it, does not pass the checks " +
                $"a create must pass now: {detail.TrimEnd('.')}. Nothing was sent.",
                failed);

        /// <summary>A failed task -RetryFailed does not resubmit: its journaled request holds the API key. The parameter is the target.</summary>
        public static SeedanceException RequestContainsApiKey(SeedanceTask failed, Validation.ValidationFailure keyCarried) =>
            new SeedanceException(SeedanceProblem.RequestContainsApiKey,
                $"Task {failed.TaskId}{RowOf(failed)} failed for a transient reason, but its request, as the task journal recorded it, is not resubmitted: {keyCarried.Message}",
                keyCarried.Target);

        public static SeedanceException InvalidResponse(string message, Exception? innerException = null) =>
            new SeedanceException(SeedanceProblem.InvalidResponse, message, innerException: innerException);

        /// <param name="how">How it was found larger: "it declared N bytes", "as sent", "after decompression".</param>
        public static SeedanceException ResponseTooLarge(string operation, long limit, string how) =>
            new SeedanceException(SeedanceProblem.ResponseTooLarge,
                $"Seedance {operation} answered with more than {limit / 1048576.0:0.#} MiB ({how}); a real answer is a few KiB. It was not read further and not retried.");

        public static SeedanceException RequestTimedOut(string message, Exception? innerException = null) =>
            new SeedanceException(SeedanceProblem.RequestTimedOut, message, innerException: innerException);

        /// <param name="requestWasSent">False only when the connection was never made (<see cref="SeedanceProblem.ConnectionNotMade"/>).</param>
        public static SeedanceException ConnectionFailed(string message, Exception? innerException, bool requestWasSent = true) =>
            new SeedanceException(requestWasSent ? SeedanceProblem.ConnectionFailed : SeedanceProblem.ConnectionNotMade, message, innerException: innerException);

        public static SeedanceException TlsFailure(string message, Exception innerException) =>
            new SeedanceException(SeedanceProblem.TlsFailure, message, innerException: innerException);

        /// <param name="path">The data file: the error's target.</param>
        public static SeedanceException GalleryDataUnreadable(string path, string problem, Exception? innerException = null) =>
            new SeedanceException(SeedanceProblem.GalleryDataUnreadable,
                $"The gallery data file '{path}' cannot be read: {problem}. Nothing was written, so the rows it remembers are kept; move it away to start the page afresh.",
                path, innerException: innerException);

        private static string RowOf(SeedanceTask task) => string.IsNullOrEmpty(task.Name) ? string.Empty : $" (row '{task.Name}')";

        /// <summary>A URL as a message shows it: without user info, cut short.</summary>
        private static string Shown(Uri uri)
        {
            string text = ServiceText.Clean(Http.BaseUriPolicy.Displayable(uri));
            return text.Length <= 200 ? text : text.Substring(0, 200) + "…";
        }
    }
}
