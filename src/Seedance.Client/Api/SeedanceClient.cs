using System;
using System.Diagnostics;
using System.IO;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Json;
using Seedance.Client.Models;
using Seedance.Client.Uploads;

namespace Seedance.Client.Http
{
    /// <summary>
    /// The two API calls (createTask, recordInfo) with the retry rules that keep money safe: reads retry on any
    /// transient failure; a create is retried only when the service certainly did not take it.
    /// </summary>
    public sealed class SeedanceClient
    {
        private readonly SeedanceClientOptions _options;
        private readonly HttpClient _api;
        private readonly ServiceAnswerReader _answers;

        public SeedanceClient(SeedanceClientOptions options, IHttpClientSource http)
            : this(options, http.CreateApiClient(options.BaseUri), http.CreateDownloadClient())
        {
        }

        public SeedanceClient(SeedanceClientOptions options, HttpClient apiHttp, HttpClient downloadHttp)
        {
            _options = options;
            _api = apiHttp;
            _answers = new ServiceAnswerReader(options.ApiKey, options.MaxResponseBytes);
            Downloader = new VideoDownloader(downloadHttp, options);
            Uploader = new MaterialUploader(this, downloadHttp, options, Downloader.AddressGate);
        }

        public SeedanceClientOptions Options => _options;

        /// <summary>Fetches output files; shares this client's timeouts, retries and log.</summary>
        public VideoDownloader Downloader { get; }

        /// <summary>Uploads local files through the service (slot from the API, bytes to the signed URL without the key).</summary>
        public MaterialUploader Uploader { get; }

        /// <summary>
        /// Creates a task and returns its id. While the account has no free slot (429), waits as
        /// <paramref name="slotWait"/> says (by default as long as it takes) and sends again: the service did not take
        /// the request. Throws <see cref="CreateOutcomeUnknownException"/> when the request left but no answer came.
        /// </summary>
        public async Task<string> CreateTaskAsync(CreateTaskRequest request, SlotWait? slotWait, CancellationToken cancellationToken)
        {
            string body = CreateTaskBodyWriter.Write(request, _options.Shape);
            Uri uri = Endpoint("jobs/createTask");
            DateTimeOffset sentAt = DateTimeOffset.UtcNow;
            string answer;
            try
            {
                answer = await SendAsync(HttpMethod.Post, uri, body, "createTask", isCreate: true, cancellationToken, slotWait ?? new SlotWait()).ConfigureAwait(false);
            }
            catch (SeedanceException e) when (e.Problem is SeedanceProblem.RequestTimedOut or SeedanceProblem.ConnectionFailed or SeedanceProblem.ResponseTooLarge)
            {
                // No answer, or one too large to read: the service may well have created the task.
                throw new CreateOutcomeUnknownException(request, sentAt, e);
            }

            try
            {
                return _answers.ReadCreatedTaskId(answer);
            }
            catch (SeedanceException e) when (e.Problem == SeedanceProblem.InvalidResponse)
            {
                // A 2xx without a readable id: the task was probably created, and we cannot name it.
                throw new CreateOutcomeUnknownException(request, sentAt, e);
            }
        }

        /// <summary>Reads a task's current state (recordInfo).</summary>
        public async Task<SeedanceTask> GetTaskAsync(string taskId, CancellationToken cancellationToken)
        {
            if (string.IsNullOrWhiteSpace(taskId))
            {
                throw new ArgumentException("The task id is empty.", nameof(taskId));
            }

            string requested = taskId.Trim();
            Uri uri = Endpoint("jobs/recordInfo?taskId=" + Uri.EscapeDataString(requested));
            string answer = await SendAsync(HttpMethod.Get, uri, null, "recordInfo", isCreate: false, cancellationToken).ConfigureAwait(false);
            SeedanceTask task;
            try
            {
                task = _answers.ReadTask(answer, "recordInfo");
            }
            catch (Exception e) when (!(e is SeedanceException) && !(e is OperationCanceledException))
            {
                // Whatever the reader trips over in a hostile answer is a bad answer for this task, not the end of a batch.
                throw Problems.InvalidResponse($"The recordInfo answer for {requested} could not be read: {e.Message}", e);
            }

            // Get, Wait and Save all read tasks here: an answer about another task never stands in for the one asked.
            if (!string.Equals(task.TaskId, requested, StringComparison.Ordinal))
            {
                throw Problems.TaskIdMismatch(requested, task.TaskId);
            }

            return task;
        }

        /// <summary>
        /// Asks for a signed upload URL (POST {base}/uploads, documented by one secondary source only). Retried like a
        /// read: a slot that is never used costs nothing and expires. 404 or 405 means this host has no such endpoint:
        /// an UploadsNotSupported <see cref="SeedanceException"/>.
        /// </summary>
        public async Task<UploadSlot> RequestUploadAsync(string fileName, CancellationToken cancellationToken)
        {
            Uri uri = Endpoint("uploads");
            string answer;
            try
            {
                answer = await SendAsync(HttpMethod.Post, uri, UploadSlot.RequestBody(fileName), "uploads", isCreate: false, cancellationToken).ConfigureAwait(false);
            }
            catch (SeedanceApiException e) when ((int)e.StatusCode == 404 || (int)e.StatusCode == 405)
            {
                throw Problems.UploadsNotSupported(uri, e);
            }

            return _answers.ReadUploadSlot(answer);
        }

        private Uri Endpoint(string relative) => new Uri(_options.BaseUri.AbsoluteUri.TrimEnd('/') + "/" + relative);

        /// <summary>Sends until the answer is a success (its body is returned) or the retry rules say stop.</summary>
        private Task<string> SendAsync(HttpMethod method, Uri uri, string? jsonBody, string operation, bool isCreate, CancellationToken cancellationToken, SlotWait? slotWait = null)
        {
            RetryLoop retries = new RetryLoop(isCreate ? _options.CreateRetry : _options.ReadRetry, _options.Clock, _options.Log, slotWait);
            return retries.RunAsync(
                operation,
                async token =>
                {
                    if (isCreate)
                    {
                        // A create once sent is given CreateStopGrace to answer after a stop: its answer names a paid task.
                        return await _options.CreatesInFlight.SendAsync(token, _options.CreateStopGrace, send => SendOnceAsync(method, uri, jsonBody, operation, send)).ConfigureAwait(false);
                    }

                    string body = await SendOnceAsync(method, uri, jsonBody, operation, token).ConfigureAwait(false);

                    // Validate now so a garbled read is retried like any other transient failure.
                    ServiceAnswerReader.ParseDocument(body).Dispose();
                    return body;
                },
                failure => isCreate ? ClassifyCreateFailure(failure) : HttpFailures.ReadVerdict(failure),
                retryNote: null,
                cancellationToken);
        }

        /// <summary>
        /// A create is sent again only where the service certainly did not take it: a 429 (documented as not queued
        /// and not charged: wait for a free slot) or a connection that was never made. Any other answer is final,
        /// since the service may have acted on it.
        /// </summary>
        private static RetryVerdict ClassifyCreateFailure(Exception failure)
        {
            switch (failure)
            {
                case SeedanceApiException { ErrorId: "RateLimited" }:
                    return RetryVerdict.WaitForSlot;
                case SeedanceException { Problem: SeedanceProblem.ConnectionNotMade }:
                    // Not a TLS failure: not sent either, but the next handshake fails the same way, so it is said at once, with its fix.
                    return RetryVerdict.Retry;
                default:
                    return RetryVerdict.Stop;
            }
        }

        /// <summary>One request: the body of a success answer; an error answer is thrown as a <see cref="SeedanceApiException"/>.</summary>
        private async Task<string> SendOnceAsync(HttpMethod method, Uri uri, string? jsonBody, string operation, CancellationToken cancellationToken)
        {
            string? keyProblem = ApiKey.Problem(_options.ApiKey.Reveal());
            if (keyProblem is not null)
            {
                // Found before sending: otherwise the header writer fails with a raw FormatException, retried as a network error.
                throw Problems.InvalidApiKey(keyProblem);
            }

            using HttpRequestMessage request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey.Reveal());
            request.Headers.UserAgent.ParseAdd(_options.UserAgent);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            request.Headers.TryAddWithoutValidation("Accept-Encoding", ResponseBody.AcceptEncoding);
            if (jsonBody is not null)
            {
                request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
            }

            using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            Stopwatch clock = Stopwatch.StartNew();
            try
            {
                // Headers first, then a bounded read: an answer's size is the server's claim, not ours to trust.
                using HttpResponseMessage response = await _api.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                Log($"{method} {operation} -> {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms.");
                if (!response.IsSuccessStatusCode)
                {
                    SeedanceApiException error = await HttpFailures.ErrorAnswerAsync(response, operation, _options.ApiKey, timeout.Token, _options.MaxResponseBytes).ConfigureAwait(false);
                    error.RequestUri = uri;
                    throw error;
                }

                return await ResponseBody.ReadTextAsync(response, _options.MaxResponseBytes, truncate: false, operation, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (HttpFailures.NetworkFailure(
                e, $"Seedance {operation}", uri, $"Seedance {operation} got no answer within {_options.RequestTimeout.TotalSeconds:0.#} s.", cancellationToken) is SeedanceException failure)
            {
                throw failure;
            }
        }

        private void Log(string message) => _options.Log?.Invoke(message);
    }
}
