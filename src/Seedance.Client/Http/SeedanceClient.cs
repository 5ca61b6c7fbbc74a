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

        public SeedanceClient(SeedanceClientOptions options)
            : this(options, SeedanceHttp.CreateApiClient(), SeedanceHttp.CreateDownloadClient())
        {
        }

        public SeedanceClient(SeedanceClientOptions options, HttpClient apiHttp, HttpClient downloadHttp)
        {
            _options = options;
            _api = apiHttp;
            Downloader = new VideoDownloader(downloadHttp, options);
            Uploader = new MaterialUploader(this, downloadHttp, options);
        }

        public SeedanceClientOptions Options => _options;

        /// <summary>Fetches output files; shares this client's timeouts, retries and log.</summary>
        public VideoDownloader Downloader { get; }

        /// <summary>Uploads local files through the service (slot from the API, bytes to the signed URL without the key).</summary>
        public MaterialUploader Uploader { get; }

        /// <summary>Creates a task and returns its id. Throws <see cref="CreateOutcomeUnknownException"/> when the request left but no answer came.</summary>
        public async Task<string> CreateTaskAsync(CreateTaskRequest request, CancellationToken cancellationToken)
        {
            string body = CreateTaskBodyWriter.Write(request);
            Uri uri = Endpoint("jobs/createTask");
            DateTimeOffset sentAt = DateTimeOffset.UtcNow;
            ApiResponse response;
            try
            {
                response = await SendAsync(HttpMethod.Post, uri, body, "createTask", isCreate: true, cancellationToken).ConfigureAwait(false);
            }
            catch (SeedanceTimeoutException e)
            {
                throw new CreateOutcomeUnknownException(request, sentAt, e);
            }
            catch (SeedanceConnectionException e) when (e.RequestWasSent)
            {
                throw new CreateOutcomeUnknownException(request, sentAt, e);
            }

            try
            {
                return TaskJsonReader.ParseCreatedTaskId(response.Body);
            }
            catch (SeedanceProtocolException e)
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

            Uri uri = Endpoint("jobs/recordInfo?taskId=" + Uri.EscapeDataString(taskId.Trim()));
            ApiResponse response = await SendAsync(HttpMethod.Get, uri, null, "recordInfo", isCreate: false, cancellationToken).ConfigureAwait(false);
            return TaskJsonReader.Parse(response.Body);
        }

        /// <summary>
        /// Asks for a signed upload URL (POST {base}/uploads, documented by one secondary source only). Retried like a
        /// read: a slot that is never used costs nothing and expires. 404 or 405 means this host has no such endpoint:
        /// <see cref="UploadsNotSupportedException"/>.
        /// </summary>
        public async Task<UploadSlot> RequestUploadAsync(string fileName, CancellationToken cancellationToken)
        {
            Uri uri = Endpoint("uploads");
            ApiResponse response;
            try
            {
                response = await SendAsync(HttpMethod.Post, uri, UploadSlot.RequestBody(fileName), "uploads", isCreate: false, cancellationToken).ConfigureAwait(false);
            }
            catch (SeedanceApiException e) when ((int)e.StatusCode == 404 || (int)e.StatusCode == 405)
            {
                throw new UploadsNotSupportedException(uri, e);
            }

            return UploadSlot.Parse(response.Body);
        }

        private Uri Endpoint(string relative) => new Uri(_options.BaseUri.AbsoluteUri.TrimEnd('/') + "/" + relative);

        private async Task<ApiResponse> SendAsync(HttpMethod method, Uri uri, string? jsonBody, string operation, bool isCreate, CancellationToken cancellationToken)
        {
            RetryPolicy policy = isCreate ? _options.CreateRetry : _options.ReadRetry;
            Stopwatch elapsed = Stopwatch.StartNew();
            for (int attempt = 1; ; attempt++)
            {
                Exception failure;
                TimeSpan? retryAfter = null;
                bool mayRetry;
                try
                {
                    ApiResponse response = await SendOnceAsync(method, uri, jsonBody, operation, cancellationToken).ConfigureAwait(false);
                    if (response.IsSuccess)
                    {
                        if (!isCreate)
                        {
                            // Validate now so a garbled read is retried like any other transient failure.
                            EnsureJson(response.Body);
                        }

                        return response;
                    }

                    SeedanceApiException apiError = SeedanceApiException.FromResponse(response.StatusCode, response.Body, operation, _options.ApiKey);
                    apiError.RetryAfter = response.RetryAfter;
                    failure = apiError;
                    retryAfter = response.RetryAfter;

                    // 429 on a create is documented as not queued and not charged; any other error answer to a
                    // create is final: the service may have acted on it.
                    mayRetry = isCreate ? apiError.Kind == SeedanceErrorKind.RateLimited : apiError.IsTransient;
                }
                catch (SeedanceConnectionException e)
                {
                    failure = e;
                    mayRetry = !isCreate || !e.RequestWasSent;
                }
                catch (SeedanceTimeoutException e)
                {
                    failure = e;
                    mayRetry = !isCreate;
                }
                catch (SeedanceProtocolException e)
                {
                    failure = e;
                    mayRetry = !isCreate;
                }

                TimeSpan? delay = mayRetry ? policy.DelayBefore(attempt + 1, elapsed.Elapsed, retryAfter) : null;
                if (delay is null)
                {
                    throw failure;
                }

                Log($"{operation}: {Reason(failure)}; retry {attempt} of {policy.MaxAttempts - 1} in {delay.Value.TotalSeconds:0.0} s{(retryAfter is null ? string.Empty : " (Retry-After)")}.");
                await Task.Delay(delay.Value, cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task<ApiResponse> SendOnceAsync(HttpMethod method, Uri uri, string? jsonBody, string operation, CancellationToken cancellationToken)
        {
            using HttpRequestMessage request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey.Reveal());
            request.Headers.UserAgent.ParseAdd(_options.UserAgent);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (jsonBody is not null)
            {
                request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
            }

            using CancellationTokenSource timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            Stopwatch clock = Stopwatch.StartNew();
            try
            {
                using HttpResponseMessage response = await _api.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                Log($"{method} {operation} -> {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms.");
                return new ApiResponse(response.StatusCode, body, ApiResponse.RetryAfterOf(response));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException e)
            {
                throw new SeedanceTimeoutException($"Seedance {operation} got no answer within {_options.RequestTimeout.TotalSeconds:0.#} s.", e);
            }
            catch (HttpRequestException e)
            {
                bool sent = !FailureClassifier.IsConnectFailure(e);
                throw new SeedanceConnectionException($"Seedance {operation} failed: {FailureClassifier.Describe(e)}", e, sent);
            }
            catch (IOException e)
            {
                throw new SeedanceConnectionException($"Seedance {operation} failed: {FailureClassifier.Describe(e)}", e, requestWasSent: true);
            }
        }

        private static void EnsureJson(string body)
        {
            try
            {
                using System.Text.Json.JsonDocument _ = System.Text.Json.JsonDocument.Parse(body);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new SeedanceProtocolException("The service answered with text that is not valid JSON.", e);
            }
        }

        private static string Reason(Exception failure) =>
            failure is SeedanceApiException api ? $"{(int)api.StatusCode} {api.ApiMessage}" : failure.Message;

        private void Log(string message) => _options.Log?.Invoke(message);
    }
}
