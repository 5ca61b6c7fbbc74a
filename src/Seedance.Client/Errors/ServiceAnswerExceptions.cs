using System;

namespace Seedance.Client
{
    /// <summary>
    /// The service answered for another task than the one asked (recordInfo?taskId=A gave task B). Trusting it would
    /// report, wait on or save someone else's task under the user's id, so the answer is refused for that task.
    /// </summary>
    public sealed class TaskIdMismatchException : SeedanceException
    {
        public TaskIdMismatchException(string requestedId, string returnedId)
            : base($"Asked the service for task '{requestedId}' but it answered with task '{ServiceText.Clean(returnedId)}'. " +
                "The answer was not used; ask again later, and report it to the service if it persists.")
        {
            RequestedId = requestedId;
            ReturnedId = returnedId;
        }

        public string RequestedId { get; }
        public string ReturnedId { get; }
    }

    /// <summary>
    /// An answer larger than any real one (over <c>SeedanceClientOptions.MaxResponseBytes</c>, declared or as read,
    /// before or after decompression). Not retried: the same server would send the same flood again.
    /// </summary>
    public sealed class ResponseTooLargeException : SeedanceException
    {
        public ResponseTooLargeException(string operation, long limit, string how)
            : base($"Seedance {operation} answered with more than {limit / 1048576.0:0.#} MiB ({how}); a real answer is a few KiB. It was not read further and not retried.")
        {
            Operation = operation;
            Limit = limit;
        }

        public string Operation { get; }
        public long Limit { get; }
    }

    /// <summary>
    /// A video URL that carries the API key (in the path, query or any encoding of it), or a URL whose key was already
    /// masked out of the answer. Fetching it would hand the key to the storage host, so it is not fetched.
    /// </summary>
    public sealed class UnsafeDownloadUrlException : SeedanceException
    {
        public UnsafeDownloadUrlException()
            : base("The video URL the service gave contains the API key, so it was not fetched: the key goes to the API host only. " +
                "Report it to the service; the key may need to be rotated if it was shared elsewhere.")
        {
        }
    }

    /// <summary>
    /// A URL field of a service answer (a video's url or lastFrameImage, an upload slot's uploadUrl or url) that is not
    /// an absolute http(s) URL without user info and without the key. The item it belongs to (the task, the upload) is
    /// refused: nothing is fetched from it, sent to it or journaled. The value is shown only when it holds no key.
    /// </summary>
    public sealed class UnsafeServiceUrlException : SeedanceException
    {
        public UnsafeServiceUrlException(string answer, string field, string problem, string? shownValue)
            : base($"The service's {answer} answer: '{field}' {problem}" + (shownValue is null ? "" : $": '{shownValue}'") +
                ". It was not used: nothing was fetched from or sent to it, and nothing of it was recorded. Report it to the service.")
        {
            Answer = answer;
            Field = field;
        }

        /// <summary>recordInfo, webhook, uploads.</summary>
        public string Answer { get; }

        /// <summary>The field as the service named it, e.g. output[0].lastFrameImage, uploadUrl.</summary>
        public string Field { get; }
    }

    /// <summary>
    /// A URL the module was to fetch from or send a file to (a video, a last frame, an upload slot, or a redirect hop of
    /// one) whose host is on this machine's own networks (loopback, private, link-local...) while the API host is not:
    /// refused before anything was sent (see <c>InternalAddressGate</c>).
    /// </summary>
    public sealed class InternalAddressException : SeedanceException
    {
        public InternalAddressException(Uri target, string what, Uri? redirectedFrom, string problem)
            : base($"The URL of {what} " + (redirectedFrom is null ? "" : $"(a redirect from '{Shown(redirectedFrom)}') ") + $"'{Shown(target)}' {problem}. " +
                "It was refused: nothing was fetched from it or sent to it. A service answer must not make this machine reach its own network; report it to the service.")
        {
            Url = Shown(target);
            RedirectedFrom = redirectedFrom is null ? null : Shown(redirectedFrom);
        }

        /// <summary>The refused URL, without user info, cut short.</summary>
        public string Url { get; }

        /// <summary>The URL whose redirect led there, or null when the service gave the refused URL itself.</summary>
        public string? RedirectedFrom { get; }

        private static string Shown(Uri uri)
        {
            string text = ServiceText.Clean(Http.BaseUriPolicy.Displayable(uri));
            return text.Length <= 200 ? text : text.Substring(0, 200) + "…";
        }
    }
}
