using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Files;

namespace Seedance.Client.Http
{
    /// <summary>
    /// Streams an output file to a temporary file beside the destination and renames it into place only when it
    /// is whole (length checked), so a failure never leaves a partial file under the final name. A transfer cut
    /// off part way resumes with Range. Requests go out without any Authorization header: the key is for the API
    /// host only, and output URLs live on another host.
    /// </summary>
    public sealed class VideoDownloader
    {
        private const int BufferSize = 81920;

        /// <summary>Redirect hops followed for one request; real storage redirects once or twice.</summary>
        private const int MaxRedirects = 10;

        private readonly HttpClient _http;
        private readonly SeedanceClientOptions _options;

        /// <param name="http">A client that does not follow redirects itself: every hop is followed here, through <paramref name="gate"/>.</param>
        public VideoDownloader(HttpClient http, SeedanceClientOptions options, InternalAddressGate? gate = null)
        {
            _http = http;
            _options = options;
            AddressGate = gate ?? new InternalAddressGate(options.BaseUri);
        }

        /// <summary>Where a download and each of its redirect hops may go (see <see cref="InternalAddressGate"/>).</summary>
        public InternalAddressGate AddressGate { get; }

        /// <summary>Opens the temporary file (a test seam: lets tests simulate a full disk).</summary>
        internal Func<string, Stream> OpenTemporaryFile { get; set; } =
            path => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);

        /// <summary>
        /// Downloads <paramref name="source"/> to a temporary file beside <paramref name="destinationPath"/>; when it is
        /// whole, <paramref name="place"/> (given the temporary path and what was served: its length and validators)
        /// renames it into place and says where it went (the caller may choose another name at that moment: see
        /// <c>TaskJournal.PlaceSaved</c>; or <see cref="MoveIntoPlace"/>).
        /// </summary>
        /// <exception cref="SeedanceException">DownloadUrlContainsKey: The URL carries the API key (or its mask): not fetched.</exception>
        /// <exception cref="SeedanceException">DestinationNotAFile: Something other than a regular file is at the destination: nothing fetched.</exception>
        /// <exception cref="SeedanceException">InternalAddressRefused: The URL (or a redirect hop) points into this machine's own networks: not fetched.</exception>
        /// <param name="what">What is fetched, for messages: "the video", "the last frame".</param>
        public async Task<(long Bytes, string Path)> DownloadAsync(
            Uri source, string what, string destinationPath, Func<string, ServedObject, string> place, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
        {
            await EnsureAllowedAsync(source, what, null, cancellationToken).ConfigureAwait(false);

            OwnedFiles.EnsureRegularFileOrAbsent(Path.GetFullPath(destinationPath));
            TemporaryFiles.RemoveStaleDownloads(destinationPath);
            string temporaryPath = TemporaryFiles.DownloadPathFor(destinationPath);
            try
            {
                long length;

                // One per download, not per attempt: it keeps the first answer's length and validator for every resume.
                ServedObject served = new ServedObject();
                using (Stream file = OpenTemporaryFile(temporaryPath))
                {
                    length = await TransferWithResumeAsync(source, what, file, served, progress, null, cancellationToken).ConfigureAwait(false);
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                served.Length = length;
                return (length, place(temporaryPath, served));
            }
            finally
            {
                TryDelete(temporaryPath);
            }
        }

        /// <summary>
        /// What the service says of the object at <paramref name="source"/> (its length and validators) and its first
        /// <paramref name="startLength"/> bytes, without downloading it: the transfer of a download, asking for the first
        /// bytes only (a ranged GET, not HEAD: a presigned GET URL refuses other methods), with the same URL gates,
        /// redirect checks, retries and length checks. Nothing is written.
        /// </summary>
        public async Task<ServedObject> PeekAsync(Uri source, string what, int startLength, CancellationToken cancellationToken)
        {
            await EnsureAllowedAsync(source, what, null, cancellationToken).ConfigureAwait(false);
            ServedObject served = new ServedObject();
            using MemoryStream start = new MemoryStream();
            await TransferWithResumeAsync(source, what, start, served, null, Math.Max(1, startLength), cancellationToken).ConfigureAwait(false);
            served.Start = start.ToArray();
            return served;
        }

        /// <summary>
        /// Retried like a read, except an answer that cannot be trusted or a URL that may not be fetched: the same server
        /// gives the same answer. A failure writing the local file is not retried either (see <see cref="TransferOnceAsync"/>).
        /// </summary>
        private static RetryVerdict Verdict(Exception failure) =>
            failure is SeedanceException { Problem: SeedanceProblem.InvalidResponse or SeedanceProblem.InternalAddressRefused or SeedanceProblem.DownloadUrlContainsKey }
                ? RetryVerdict.Stop
                : HttpFailures.ReadVerdict(failure);

        /// <summary>The one check of a length the service declares for a video, trusted by nothing before it passes.</summary>
        private void EnsureVideoLength(Uri source, long? length)
        {
            if (length > _options.MaxDownloadBytes)
            {
                throw Problems.InvalidResponse($"The download of {source} declares {length:N0} bytes, more than any video ({_options.MaxDownloadBytes:N0} at most); nothing was saved.");
            }
        }

        /// <summary>
        /// The one check of a URL before anything is sent to it: the key goes to the API host only (the client masks it
        /// in answers, so a URL that held it shows the mask), and the host must not be on this machine's own networks.
        /// </summary>
        private Task EnsureAllowedAsync(Uri target, string what, Uri? redirectedFrom, CancellationToken cancellationToken)
        {
            if (_options.ApiKey.IsIn(target.OriginalString) || target.OriginalString.Contains(ApiKey.Mask))
            {
                throw Problems.DownloadUrlContainsKey();
            }

            return AddressGate.EnsureAllowedAsync(target, what, redirectedFrom, cancellationToken);
        }

        /// <summary>
        /// Sends a GET and follows redirects here, not in the handler: each hop is checked before it is requested, so a
        /// redirect cannot lead into this machine's networks (or to a URL with the key). Range headers go to every hop.
        /// </summary>
        private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(Uri source, string what, Action<HttpRequestMessage> prepare, CancellationToken cancellationToken)
        {
            Uri current = source;
            for (int hop = 0; ; hop++)
            {
                HttpRequestMessage request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.UserAgent.ParseAdd(_options.UserAgent);
                prepare(request);
                HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is null)
                {
                    return response;
                }

                Uri location = response.Headers.Location;
                response.Dispose();
                request.Dispose();
                if (hop >= MaxRedirects)
                {
                    throw Problems.InvalidResponse($"The download of {source} was redirected more than {MaxRedirects} times; nothing was saved.");
                }

                Uri next = location.IsAbsoluteUri ? location : new Uri(current, location);
                await EnsureAllowedAsync(next, what, current, cancellationToken).ConfigureAwait(false);
                current = next;
            }
        }

        /// <param name="firstBytes">Only this many first bytes are wanted (a peek): asked for with a Range, and each attempt starts from byte 0.</param>
        private Task<long> TransferWithResumeAsync(Uri source, string what, Stream file, ServedObject resume, IProgress<DownloadProgress>? progress, long? firstBytes, CancellationToken cancellationToken)
        {
            TransferMeter meter = new TransferMeter(progress, _options);
            RetryLoop retries = new RetryLoop(_options.ReadRetry, _options.Clock, _options.Log);
            return retries.RunAsync(
                "download",
                async token =>
                {
                    if (!await TransferOnceAsync(source, what, file, meter, resume, firstBytes, token).ConfigureAwait(false))
                    {
                        throw Problems.ConnectionFailed($"The download of {source} ended early at {file.Length:N0} bytes.", null, requestWasSent: true);
                    }

                    return file.Length;
                },
                Verdict,
                () => $"resuming at byte {file.Length:N0}",
                cancellationToken);
        }

        /// <summary>
        /// One GET, ranged when resuming. True when the file is now complete. Only failures of the network side
        /// become retryable exceptions; a failure writing the local file (disk full, quota, I/O error) propagates as
        /// it is, since sending the request again cannot help and would only hide the cause. An answer that cannot be
        /// trusted (a length no video has, more bytes than declared, no framing at all) is an InvalidResponse,
        /// not retried; a resume answer that does not match the object starts the file over within this attempt.
        /// </summary>
        private async Task<bool> TransferOnceAsync(Uri source, string what, Stream file, TransferMeter meter, ServedObject resume, long? firstBytes, CancellationToken cancellationToken)
        {
            Outcome outcome = await RequestAsync(source, what, file, meter, resume, firstBytes, cancellationToken).ConfigureAwait(false);
            if (outcome == Outcome.StartOver)
            {
                // At once, not after a back-off: the server answered, just not with the object we had the start of.
                resume.Forget();
                Truncate(file);
                outcome = await RequestAsync(source, what, file, meter, resume, firstBytes, cancellationToken).ConfigureAwait(false);
            }

            return outcome == Outcome.Complete;
        }

        private async Task<Outcome> RequestAsync(Uri source, string what, Stream file, TransferMeter meter, ServedObject resume, long? firstBytes, CancellationToken cancellationToken)
        {
            long resumeFrom = file.Length;
            if (resumeFrom > 0 && (firstBytes is not null || !resume.CanResume))
            {
                // Without a total and a validator a resume cannot be checked: appending might splice two objects.
                if (firstBytes is null)
                {
                    _options.Log?.Invoke($"download: {source} gave no length or no ETag/Last-Modified, so the cut transfer starts over from byte 0 instead of resuming.");
                }

                Truncate(file);
                resumeFrom = 0;
            }

            // The answer's headers within one RequestTimeout; from then on the stall timer, which starts with the answer
            // (not while a connection is being opened or waited for) and is re-armed by progress, not by reads: it limits
            // a stall (or a trickle), not the length of a large transfer.
            using CancellationTokenSource headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            headers.CancelAfter(_options.RequestTimeout);
            bool writingLocalFile = false;
            try
            {
                using HttpResponseMessage response = await SendFollowingRedirectsAsync(
                    source,
                    what,
                    request =>
                    {
                        if (firstBytes is not null)
                        {
                            request.Headers.Range = new RangeHeaderValue(0, firstBytes - 1);
                        }
                        else if (resumeFrom > 0)
                        {
                            resume.ApplyTo(request, resumeFrom);
                        }
                    },
                    headers.Token).ConfigureAwait(false);
                using CancellationTokenSource stall = meter.Arm(cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    throw await HttpFailures.ErrorAnswerAsync(response, "download", _options.ApiKey, stall.Token).ConfigureAwait(false);
                }

                long? end;
                if (response.StatusCode == HttpStatusCode.PartialContent)
                {
                    string? mismatch = resumeFrom > 0 ? resume.Mismatch(response, resumeFrom)
                        : firstBytes is null ? "a 206 answer to a request for the whole file"
                        : ServedObject.StartMismatch(response);
                    if (mismatch is not null && resumeFrom == 0)
                    {
                        throw Problems.InvalidResponse($"The download of {source} cannot be trusted: {mismatch}.");
                    }

                    if (mismatch is not null)
                    {
                        _options.Log?.Invoke($"download: the resume answer of {source} does not match what was started ({mismatch}); starting over from byte 0.");
                        return Outcome.StartOver;
                    }

                    if (resumeFrom == 0)
                    {
                        resume.Record(response);
                    }

                    end = ServedObject.EndOf(response, resume.Length);
                }
                else
                {
                    if (resumeFrom > 0)
                    {
                        // The server sent the whole object (it ignored the Range, or If-Range saw a new version): start over rather than append.
                        writingLocalFile = true;
                        Truncate(file);
                        writingLocalFile = false;
                    }

                    resume.Record(response);
                    end = resume.Length;
                }

                EnsureVideoLength(source, resume.Length ?? end);

                // (A peek is not saved: a length it cannot learn is the caller's to judge.)
                if (firstBytes is null && end is null && response.Headers.TransferEncodingChunked != true && response.Version.Major < 2)
                {
                    // Only the connection's close ends such a body, so a cut-off file would look whole.
                    throw Problems.InvalidResponse($"The download of {source} gives neither a length nor chunked framing, so a cut-off file could not be told from a whole one; nothing was saved.");
                }

                long limit = end ?? _options.MaxDownloadBytes;
                meter.Start(file.Length, resume.Length);
                using Stream body = await ResponseBody.OpenAsync(
                    response,
                    limit - file.Length,
                    () => Problems.InvalidResponse(end is null
                        ? $"The download of {source} went past {limit:N0} bytes without declaring a length; stopped, nothing was saved."
                        : $"The download of {source} sent more than the {limit:N0} bytes it declared; stopped, nothing was saved.")).ConfigureAwait(false);
                byte[] buffer = new byte[BufferSize];
                while (true)
                {
                    // A peek reads only its first bytes, whatever the server sends (a 200 ignores the Range), then drops the connection.
                    int wanted = firstBytes is null ? buffer.Length : (int)Math.Min(buffer.Length, firstBytes.Value - file.Length);
                    int read = wanted == 0 ? 0 : await body.ReadAsync(buffer, 0, wanted, stall.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    writingLocalFile = true;
                    await file.WriteAsync(buffer, 0, read, cancellationToken).ConfigureAwait(false);
                    writingLocalFile = false;
                    meter.Add(read);
                }

                meter.Finish();
                return firstBytes is not null || resume.Length is null || file.Length == resume.Length.Value ? Outcome.Complete : Outcome.Incomplete;
            }
            // A failure writing the local file is not the network's: it propagates as it is.
            catch (Exception e) when (!(writingLocalFile && e is IOException) && HttpFailures.NetworkFailure(
                e, $"The download of {source}", source, $"The download of {source} stalled: less than {_options.MinimumBytesPerTimeout / 1024.0:0.#} KiB arrived in {_options.RequestTimeout.TotalSeconds:0.#} s.", cancellationToken) is SeedanceException failure)
            {
                throw failure;
            }
        }

        private enum Outcome
        {
            Complete,
            Incomplete,
            StartOver,
        }

        private static void Truncate(Stream file)
        {
            file.SetLength(0);
            file.Position = 0;
        }

        /// <summary>
        /// Renames a whole temporary file to its final name: over a regular file only when <paramref name="overwrite"/>
        /// (never through a folder, FIFO or link that appeared at the name during a long download). Returns the final name.
        /// </summary>
        public static string MoveIntoPlace(string temporaryPath, string destinationPath, bool overwrite)
        {
            OwnedFiles.EnsureRegularFileOrAbsent(Path.GetFullPath(destinationPath));
            if (overwrite && File.Exists(destinationPath))
            {
                // Replace is a rename over the old file: readers see the old or the new file, never a mix.
                File.Replace(temporaryPath, destinationPath, null);
            }
            else
            {
                // Move refuses to overwrite, so a file that appeared since the caller checked is kept.
                File.Move(temporaryPath, destinationPath);
            }

            return destinationPath;
        }

        private static void TryDelete(string path)
        {
            try
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                }
            }
            catch (IOException)
            {
                // Best effort: the temporary file has a dot-name and a .partial suffix, never the final name.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
