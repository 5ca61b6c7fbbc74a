using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Seedance.Client.Validation;

namespace Seedance.Client.Uploads
{
    /// <summary>
    /// Uploads a local file through the service: asks for a slot (POST {base}/uploads, through the API client, so
    /// with the key and the read retries), then PUTs the bytes to the signed URL with the download HttpClient, which
    /// never carries the key. The contract offers no resumable upload, so a PUT that fails is sent again from byte 0;
    /// it is retried like a read (transient HTTP answers, dropped connections, stalls), with backoff.
    /// </summary>
    public sealed class MaterialUploader
    {
        private readonly SeedanceClient _client;
        private readonly HttpClient _files;
        private readonly SeedanceClientOptions _options;

        private readonly InternalAddressGate _gate;

        internal MaterialUploader(SeedanceClient client, HttpClient files, SeedanceClientOptions options, InternalAddressGate gate)
        {
            _client = client;
            _files = files;
            _options = options;
            _gate = gate;
        }

        /// <summary>
        /// Uploads <paramref name="material"/> and returns the URL to put in the create body. Throws
        /// an UploadsNotSupported <see cref="SeedanceException"/> when the host has no upload endpoint, a
        /// <see cref="SeedanceApiException"/> for 401/403/402 (the key or account, not this file), and
        /// <see cref="LocalMaterialException"/> (UploadFailed) for everything else.
        /// </summary>
        public async Task<Uri> UploadAsync(LocalMaterial material, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
        {
            UploadSlot slot;
            try
            {
                slot = await _client.RequestUploadAsync(material.FileName, cancellationToken).ConfigureAwait(false);
            }
            catch (SeedanceApiException e) when (Workflows.CreateWorkflow.IsFatalForTheBatch(e))
            {
                throw;
            }
            catch (SeedanceException e) when (e.Problem != SeedanceProblem.UploadsNotSupported)
            {
                throw Failed(material, $"the service did not hand out an upload URL: {e.Message}", e);
            }

            string contentType = slot.ContentType ?? material.ContentType;
            if (!string.Equals(contentType, material.ContentType, StringComparison.OrdinalIgnoreCase))
            {
                // The signature covers the service's type; sending ours instead would be refused.
                _options.Log?.Invoke($"upload: the service signed {material.FileName} as {contentType} (its content is {material.Format.Name}); sending it as {contentType}.");
            }

            try
            {
                // The file goes where the service says, so the same check as a download's: not into this machine's networks.
                await _gate.EnsureAllowedAsync(slot.UploadUrl, "the upload", null, cancellationToken).ConfigureAwait(false);
            }
            catch (SeedanceException e) when (e.Problem == SeedanceProblem.InternalAddressRefused)
            {
                throw Failed(material, e.Message, e);
            }

            await PutWithRetriesAsync(material, slot.UploadUrl, contentType, progress, cancellationToken).ConfigureAwait(false);
            return slot.Url;
        }

        private async Task PutWithRetriesAsync(LocalMaterial material, Uri target, string contentType, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
        {
            TransferMeter meter = new TransferMeter(progress, _options);
            RetryLoop retries = new RetryLoop(_options.ReadRetry, _options.Clock, _options.Log);
            int attempts = 0;
            try
            {
                // The contract offers no resumable upload, so every retry sends the whole file again.
                await retries.RunAsync(
                    "upload",
                    async token =>
                    {
                        attempts++;
                        await PutOnceAsync(material, target, contentType, meter, token).ConfigureAwait(false);
                        return true;
                    },
                    HttpFailures.ReadVerdict,
                    () => $"sending {material.FileName} again from byte 0",
                    cancellationToken).ConfigureAwait(false);
            }
            catch (SeedanceApiException e) when (!e.IsTransient)
            {
                throw Failed(material, $"the storage host refused the upload: {e.Message}", e);
            }
            catch (SeedanceException e) when (e is SeedanceApiException || e.Problem is SeedanceProblem.ConnectionFailed or SeedanceProblem.ConnectionNotMade or SeedanceProblem.TlsFailure
                or SeedanceProblem.RequestTimedOut or SeedanceProblem.InvalidResponse)
            {
                throw Failed(material, $"{e.Message} (gave up after {attempts} attempt(s))", e);
            }
        }

        /// <summary>One PUT of the whole file, streamed from disk. No Authorization header: the URL is signed.</summary>
        private async Task PutOnceAsync(LocalMaterial material, Uri target, string contentType, TransferMeter meter, CancellationToken cancellationToken)
        {
            Stream file = OpenForUpload(material);
            // The stall timer of a download: it limits a stall (or a trickle), not the length of a large upload.
            using CancellationTokenSource stall = meter.Arm(cancellationToken);
            using UploadBodyContent body = new UploadBodyContent(file, material.Length, meter, stall.Token);
            body.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            using HttpRequestMessage request = new HttpRequestMessage(HttpMethod.Put, target) { Content = body };
            request.Headers.UserAgent.ParseAdd(_options.UserAgent);
            meter.Start(0, material.Length);
            Stopwatch clock = Stopwatch.StartNew();
            try
            {
                using HttpResponseMessage response = await _files.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
                _options.Log?.Invoke($"PUT upload of {material.FileName} ({material.Length:N0} bytes) -> {(int)response.StatusCode} in {clock.ElapsedMilliseconds} ms.");
                if (!response.IsSuccessStatusCode)
                {
                    throw await HttpFailures.ErrorAnswerAsync(response, "upload", _options.ApiKey, stall.Token).ConfigureAwait(false);
                }

                meter.Finish();
            }
            catch (Exception e) when (body.LocalFailure is not null && !(e is SeedanceApiException))
            {
                throw Failed(material, $"reading the file failed part way: {body.LocalFailure.Message}", body.LocalFailure);
            }
            catch (Exception e) when (HttpFailures.NetworkFailure(
                e, $"The upload of {material.FileName}", target, $"The upload of {material.FileName} stalled for {_options.RequestTimeout.TotalSeconds:0.#} s.", cancellationToken) is SeedanceException failure)
            {
                throw failure;
            }
        }

        /// <summary>Opens the file for one attempt; a file that changed since it was checked is not sent at all.</summary>
        private static Stream OpenForUpload(LocalMaterial material)
        {
            FileStream file;
            try
            {
                file = new FileStream(material.FullPath, FileMode.Open, FileAccess.Read, FileShare.Read, UploadBodyContent.BufferSize, useAsync: true);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw Failed(material, $"the file could not be opened: {e.Message}", e);
            }

            if (file.Length != material.Length)
            {
                long now = file.Length;
                file.Dispose();
                throw Failed(material, $"the file changed since it was checked ({material.Length:N0} bytes then, {now:N0} now); run the command again", null);
            }

            return file;
        }

        private static LocalMaterialException Failed(LocalMaterial material, string reason, Exception? inner) =>
            new LocalMaterialException(SeedanceProblem.UploadFailed, material.FullPath, material.Kind, $"Uploading '{material.FullPath}' failed: {reason.TrimEnd('.', ' ')}. No task was created for this input.", inner);
    }

    /// <summary>
    /// The rules of the user's uploader (Set-SeedanceConfiguration -Uploader { param($File) ...; return $url }): what
    /// its answer must be, and how its failure is named. The command only runs the script block (on the pipeline
    /// thread, with $ErrorActionPreference = 'Stop', so that an error inside it stops it instead of letting it return
    /// the URL of a file that was never stored, and a task be paid for that).
    /// </summary>
    public static class UploaderAnswer
    {
        /// <summary>
        /// Rule: the last object the block outputs is its answer (what `return $url` produces; other output before it,
        /// such as the object an upload cmdlet emits, is ignored), and it must be an absolute http(s) URL the service can
        /// fetch and that passes the material URL gate (<see cref="CreateTaskRequestValidator.Misshapen"/>); anything else is
        /// InvalidUploaderResult, and no task is created for the input.
        /// </summary>
        /// <param name="output">What the block wrote, unwrapped from its PSObjects.</param>
        public static Uri UrlFrom(IEnumerable<object?> output, LocalMaterial material)
        {
            object? answer = output.LastOrDefault(item => item is not null);
            // Trimmed as a URL given to -Image is: a trailing U+2028 stays, to be refused, rather than vanish in Uri's parse.
            string? text = (answer is Uri uri ? uri.OriginalString : answer as string) is string given ? InputParser.TrimAround(given) : null;
            if (UrlChecks.IsWebUrl(text, out Uri? url))
            {
                // The same gate as a URL given to -Image: credentials, controls, a look-alike host... refused before the create.
                if (CreateTaskRequestValidator.Misshapen(text!, material.Kind.ToString(), "material") is ValidationFailure misshapen)
                {
                    throw new LocalMaterialException(SeedanceProblem.InvalidUploaderResult, material.FullPath, material.Kind,
                        $"The uploader (Set-SeedanceConfiguration -Uploader) returned a URL the service must not be given for '{material.FullPath}' " +
                        $"({misshapen.ErrorId}): {misshapen.Message} No task was created for this input.");
                }

                return url!;
            }

            throw new LocalMaterialException(SeedanceProblem.InvalidUploaderResult, material.FullPath, material.Kind,
                $"The uploader (Set-SeedanceConfiguration -Uploader) returned {Describe(answer)} for '{material.FullPath}'; it must return the file's " +
                "absolute http(s) URL, one the service can fetch (e.g. a pre-signed GET URL). No task was created for this input.");
        }

        /// <summary>The block failed (threw, or wrote an error under 'Stop'): UploaderFailed, and no task for the input.</summary>
        public static LocalMaterialException Failed(LocalMaterial material, Exception error) =>
            new LocalMaterialException(SeedanceProblem.UploaderFailed, material.FullPath, material.Kind,
                $"The uploader (Set-SeedanceConfiguration -Uploader) failed for '{material.FullPath}': {error.Message} No task was created for this input.", error);

        private static string Describe(object? answer)
        {
            switch (answer)
            {
                case null:
                    return "nothing";
                case string text:
                    return text.Length == 0 ? "an empty string" : $"'{(text.Length <= 200 ? text : text.Substring(0, 200) + "…")}', which is not an absolute http(s) URL";
                case Uri uri:
                    return $"'{uri.OriginalString}', which is not an absolute http(s) URL";
                default:
                    return $"a {answer.GetType().Name} (not a URL string)";
            }
        }
    }
}
