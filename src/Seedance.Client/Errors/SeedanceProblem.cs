namespace Seedance.Client
{
    /// <summary>
    /// What a <see cref="SeedanceException"/> is about. Each name is the ErrorId the error carries, so a script can
    /// tell one from another by <c>$_.FullyQualifiedErrorId</c> or by <see cref="SeedanceException.Problem"/>;
    /// <see cref="Problems"/> builds each with its message.
    /// </summary>
    public enum SeedanceProblem
    {
        /// <summary>A task id that cannot be a file name inside the destination folder (a separator, "..", a device name...).</summary>
        InvalidTaskId,

        /// <summary>
        /// Something other than a regular file sits at the final name (a folder, device, FIFO, socket). Replacing it would
        /// turn /dev/null into a file or hang on a FIFO, so it is refused before anything is downloaded.
        /// </summary>
        DestinationNotAFile,

        /// <summary>The folder to save into does not exist (the folder of a one-file -Path, or a folder not created: declined under -Confirm).</summary>
        DestinationFolderNotFound,

        /// <summary>The folder to save into takes no files (a probe file could not be written): refused before anything is paid for.</summary>
        DestinationNotWritable,

        /// <summary>A key that cannot travel in an Authorization header (control or non-ASCII characters, whitespace inside).</summary>
        InvalidApiKey,

        /// <summary>A file is already at the name a video would be saved to, and -Force was not given: it is kept, untouched.</summary>
        FileExists,

        /// <summary>
        /// The file at a video's name holds the start of the video but is shorter than the service's (a copy cut off):
        /// kept, untouched; -Force replaces it, or the user removes it.
        /// </summary>
        IncompleteVideoFile,

        /// <summary>-Path names one file (it has an extension), and a second video came in for it.</summary>
        PathIsSingleFile,

        /// <summary>A callback body that is not a usable Seedance task (not JSON, no task id, too large, a refused URL).</summary>
        InvalidWebhookBody,

        /// <summary>
        /// The service answered for another task than the one asked (recordInfo?taskId=A gave task B). Trusting it would
        /// report, wait on or save someone else's task under the user's id, so the answer is refused for that task.
        /// </summary>
        TaskIdMismatch,

        /// <summary>
        /// A video URL that carries the API key (in the path, query or any encoding of it), or a URL whose key was already
        /// masked out of the answer. Fetching it would hand the key to the storage host, so it is not fetched.
        /// </summary>
        DownloadUrlContainsKey,

        /// <summary>
        /// A URL field of a service answer (a video's url or lastFrameImage, an upload slot's uploadUrl or url) that is not
        /// an absolute http(s) URL without user info and without the key. The item it belongs to (the task, the upload) is
        /// refused: nothing is fetched from it, sent to it or journaled. The value is shown only when it holds no key.
        /// </summary>
        UnsafeServiceUrl,

        /// <summary>
        /// A URL the module was to fetch from or send a file to (a video, a last frame, an upload slot, or a redirect hop of
        /// one) whose host is on this machine's own networks (loopback, private, link-local...) while the API host is not:
        /// refused before anything was sent (see <c>InternalAddressGate</c>).
        /// </summary>
        InternalAddressRefused,

        /// <summary>
        /// The API host has no upload endpoint (404 or 405 on POST {base}/uploads): the endpoint is documented by one
        /// secondary source only. Every further upload would fail the same way.
        /// </summary>
        UploadsNotSupported,

        /// <summary>
        /// A create refused before it was sent because the row's last task failed for an input or moderation reason
        /// (<see cref="FailureClasses"/>) and the row asks for exactly the same request again: it would fail again, so it
        /// is not created. A changed prompt or materials, or -Force, creates it.
        /// </summary>
        FailedBefore,

        /// <summary>
        /// A failed task -RetryFailed would resubmit, but the journal has no create of it (journal off, or a task not
        /// created by this module): its request is unknown. Nothing was sent; the failed task is reported as it is.
        /// </summary>
        ResubmitRequestUnknown,

        /// <summary>
        /// A failed task -RetryFailed would resubmit, but its journaled request does not pass today's checks (the catalog,
        /// the request shape, a budget needs its price). Nothing was sent; the failed task is reported as it is.
        /// </summary>
        ResubmitRequestInvalid,

        // Register-SeedanceTask: a task id that cannot be tied to an uncertain create; nothing was written.
        /// <summary>No create with an unknown outcome matches the IntentId or Name.</summary>
        NoUncertainCreate,

        /// <summary>The Name has more than one uncertain create: the IntentId must choose.</summary>
        AmbiguousUncertainCreate,

        /// <summary>The create's process is alive and still waiting for a slot or sending it: it records the answer itself.</summary>
        CreateInFlight,

        /// <summary>The task id is already the task of another journaled create (two rows never share one paid task).</summary>
        TaskAlreadyRegistered,

        /// <summary>The service made the task with another model, or before the create was sent: it is not its answer.</summary>
        TaskDoesNotMatchCreate,

        // A local file given as a material (LocalMaterialException) that cannot be used or could not be uploaded.
        /// <summary>No file at that path (after resolving it against the current location).</summary>
        MaterialFileNotFound,

        /// <summary>The path names a folder, or something that is not in the file system.</summary>
        MaterialNotAFile,

        /// <summary>The file exists but cannot be opened or read (permissions, a lock, an I/O error).</summary>
        MaterialFileUnreadable,

        /// <summary>The extension is not one the service takes for this parameter (.gif, or a .png given as a video).</summary>
        UnsupportedMaterialType,

        /// <summary>The content is not what the extension says (a text file named .png, a JPEG named .png, an empty file).</summary>
        MaterialContentMismatch,

        /// <summary>A video over the service's 50 MB limit.</summary>
        VideoFileTooLarge,

        /// <summary>The upload itself failed (the service's upload endpoint, or the PUT to the signed URL), after retries.</summary>
        UploadFailed,

        /// <summary>The user's uploader (Set-SeedanceConfiguration -Uploader) threw or wrote an error.</summary>
        UploaderFailed,

        /// <summary>The user's uploader returned something that is not an absolute http(s) URL.</summary>
        InvalidUploaderResult,

        // The exchange with a server failed; the kinds differ in whether a request may be sent again (HttpFailures.ReadVerdict, the create's retry rule).
        /// <summary>The service answered, but not in a shape we can read (not JSON, no task id, a download that cannot be trusted).</summary>
        InvalidResponse,

        /// <summary>
        /// An answer larger than any real one (over <c>SeedanceClientOptions.MaxResponseBytes</c>, declared or as read, before or
        /// after decompression); ErrorId InvalidResponse. Not retried: the same server would send the same flood again.
        /// </summary>
        ResponseTooLarge,

        /// <summary>A request did not get an answer in time (the per-request timeout, not a wait deadline).</summary>
        RequestTimedOut,

        /// <summary>The network failed (reset, cut off) after the request may have reached the service, and retries, where allowed, did not help.</summary>
        ConnectionFailed,

        /// <summary>
        /// The connection was never made (refused, no such host); ErrorId ConnectionFailed. The service certainly did not see
        /// the request, which is the one case a create may be sent again.
        /// </summary>
        ConnectionNotMade,

        /// <summary>
        /// The TLS handshake failed (no protocol in common, or a certificate this machine does not trust): nothing was sent,
        /// and sending again cannot help until the machine's TLS settings or trust change.
        /// </summary>
        TlsFailure,

        /// <summary>
        /// A request that holds the API key (found in a journaled request -RetryFailed would resubmit): the service would
        /// pass it on. The ErrorId of <c>CreateTaskRequestValidator.KeyCarried</c>'s refusal of a new create too.
        /// </summary>
        RequestContainsApiKey,

        /// <summary>The gallery page's data file cannot be read as one: nothing is written over it (its rows would be lost).</summary>
        GalleryDataUnreadable,
    }
}
