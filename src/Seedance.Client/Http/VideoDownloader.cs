using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;
using System.Threading.Tasks;

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

        private readonly HttpClient _http;
        private readonly SeedanceClientOptions _options;

        public VideoDownloader(HttpClient http, SeedanceClientOptions options)
        {
            _http = http;
            _options = options;
        }

        /// <summary>Opens the temporary file (a test seam: lets tests simulate a full disk).</summary>
        internal Func<string, Stream> OpenTemporaryFile { get; set; } =
            path => new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);

        /// <summary>Downloads <paramref name="source"/> to <paramref name="destinationPath"/>; returns the bytes written.</summary>
        /// <exception cref="IOException">The destination exists and <paramref name="overwrite"/> is false.</exception>
        public async Task<long> DownloadAsync(Uri source, string destinationPath, bool overwrite, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
        {
            string directory = Path.GetDirectoryName(Path.GetFullPath(destinationPath)) ?? ".";
            string temporaryPath = Path.Combine(directory, "." + Path.GetFileName(destinationPath) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial");
            try
            {
                long length;
                using (Stream file = OpenTemporaryFile(temporaryPath))
                {
                    length = await TransferWithResumeAsync(source, file, progress, cancellationToken).ConfigureAwait(false);
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                }

                MoveIntoPlace(temporaryPath, destinationPath, overwrite);
                return length;
            }
            finally
            {
                TryDelete(temporaryPath);
            }
        }

        private Task<long> TransferWithResumeAsync(Uri source, Stream file, IProgress<DownloadProgress>? progress, CancellationToken cancellationToken)
        {
            TransferMeter meter = new TransferMeter(progress);
            RetryLoop retries = new RetryLoop(_options.ReadRetry, _options.Clock, _options.Log);
            return retries.RunAsync(
                "download",
                async token =>
                {
                    if (!await TransferOnceAsync(source, file, meter, token).ConfigureAwait(false))
                    {
                        throw new SeedanceConnectionException($"The download of {source} ended early at {file.Length:N0} bytes.", null, requestWasSent: true);
                    }

                    return file.Length;
                },
                // A failure writing the local file is not among these: it propagates as it is (see TransferOnceAsync).
                failure => failure is SeedanceProtocolException ? RetryVerdict.Stop : SeedanceClient.ClassifyReadFailure(failure),
                () => $"resuming at byte {file.Length:N0}",
                cancellationToken);
        }

        /// <summary>
        /// One GET (ranged when resuming). True when the file is now complete. Only failures of the network side
        /// become retryable exceptions; a failure writing the local file (disk full, quota, I/O error) propagates as
        /// it is, since sending the request again cannot help and would only hide the cause.
        /// </summary>
        private async Task<bool> TransferOnceAsync(Uri source, Stream file, TransferMeter meter, CancellationToken cancellationToken)
        {
            using HttpRequestMessage request = new HttpRequestMessage(HttpMethod.Get, source);
            request.Headers.UserAgent.ParseAdd(_options.UserAgent);
            long resumeFrom = file.Length;
            if (resumeFrom > 0)
            {
                request.Headers.Range = new RangeHeaderValue(resumeFrom, null);
            }

            // The timeout is re-armed on every read, so it limits a stall, not the length of a large transfer.
            using CancellationTokenSource stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            stall.CancelAfter(_options.RequestTimeout);
            bool writingLocalFile = false;
            try
            {
                using HttpResponseMessage response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    string body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    SeedanceApiException error = SeedanceApiException.FromResponse(response.StatusCode, body, "download", _options.ApiKey);
                    error.RetryAfter = ApiResponse.RetryAfterOf(response);
                    throw error;
                }

                long? total = ExpectedTotal(response, resumeFrom);
                if (resumeFrom > 0 && response.StatusCode != HttpStatusCode.PartialContent)
                {
                    // The server ignored the Range and sent the whole file: start over rather than append.
                    writingLocalFile = true;
                    file.SetLength(0);
                    file.Position = 0;
                    writingLocalFile = false;
                    total = response.Content.Headers.ContentLength;
                }

                meter.Start(file.Length, total);
                using Stream body2 = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                byte[] buffer = new byte[BufferSize];
                while (true)
                {
                    stall.CancelAfter(_options.RequestTimeout);
                    int read = await body2.ReadAsync(buffer, 0, buffer.Length, stall.Token).ConfigureAwait(false);
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
                if (total is not null && file.Length != total.Value)
                {
                    return false;
                }

                return true;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (OperationCanceledException e)
            {
                throw new SeedanceTimeoutException($"The download of {source} stalled for {_options.RequestTimeout.TotalSeconds:0.#} s.", e);
            }
            catch (HttpRequestException e)
            {
                throw new SeedanceConnectionException($"The download of {source} failed: {FailureClassifier.Describe(e)}", e, requestWasSent: true);
            }
            catch (IOException e) when (!writingLocalFile && !(e is FileNotFoundException))
            {
                throw new SeedanceConnectionException($"The download of {source} was cut off: {FailureClassifier.Describe(e)}", e, requestWasSent: true);
            }
        }

        /// <summary>The full file length: Content-Range's total on a 206, else Content-Length.</summary>
        private static long? ExpectedTotal(HttpResponseMessage response, long resumeFrom)
        {
            ContentRangeHeaderValue? range = response.Content.Headers.ContentRange;
            if (response.StatusCode == HttpStatusCode.PartialContent && range is not null)
            {
                if (range.From != resumeFrom)
                {
                    throw new SeedanceProtocolException($"Asked to resume at byte {resumeFrom} but the server sent from byte {range.From}.");
                }

                return range.Length;
            }

            long? length = response.Content.Headers.ContentLength;
            return length;
        }

        private static void MoveIntoPlace(string temporaryPath, string destinationPath, bool overwrite)
        {
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
