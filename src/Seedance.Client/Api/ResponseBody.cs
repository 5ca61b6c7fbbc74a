using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Seedance.Client.Http
{
    /// <summary>
    /// The body of an answer as every read of one goes (API answers and error bodies, as text through
    /// <see cref="ReadTextAsync"/>; videos, a video's first bytes):
    /// <list type="bullet">
    /// <item>A read ends when its token fires, on every runtime. .NET Framework's network stream looks at the token only
    /// before a read starts, and HttpClient stops watching it once the headers are in, so a read the server stalls would
    /// wait past the stall timeout and past Ctrl+C. Here the token disposes the whole response, which closes the
    /// connection under the pending read; that read's failure is reported as the cancellation it is (the callers tell a
    /// stall from Ctrl+C by which token fired).</item>
    /// <item>No more than a limit is read off the wire. Past it the body either ends there (an error answer: only its
    /// first words matter) or fails with the caller's exception (an answer or a video larger than any real one).</item>
    /// </list>
    /// </summary>
    internal sealed class ResponseBody : Stream
    {
        /// <summary>What the API client asks for; anything else sent back is read as it is.</summary>
        public const string AcceptEncoding = "gzip, deflate";

        private readonly Stream _inner;
        private readonly HttpResponseMessage? _response;
        private readonly long _limit;
        private readonly Func<Exception>? _tooLong;
        private long _count;
        private bool _ended;

        /// <param name="response">Disposed when a read's token fires (null: a stream in memory, which needs no stopping).</param>
        private ResponseBody(Stream inner, HttpResponseMessage? response, long limit, Func<Exception>? tooLong)
        {
            _inner = inner;
            _response = response;
            _limit = limit;
            _tooLong = tooLong;
        }

        /// <summary>
        /// The body of <paramref name="response"/>, at most <paramref name="limit"/> bytes: beyond them it ends, or throws
        /// what <paramref name="tooLong"/> makes. Reading it with a token that fires disposes <paramref name="response"/>.
        /// </summary>
        public static async Task<ResponseBody> OpenAsync(HttpResponseMessage response, long limit, Func<Exception>? tooLong) =>
            new ResponseBody(await response.Content.ReadAsStreamAsync().ConfigureAwait(false), response, limit, tooLong);

        /// <summary>
        /// An API answer as text, without trusting its size: the declared length, the bytes on the wire and the bytes
        /// after decompression are each held to <paramref name="limit"/>, so a 500 MB, endless or gzip-bombed answer costs
        /// at most that in memory. The API client decompresses (gzip, deflate) here for that reason: automatic
        /// decompression would hide the compressed length and inflate without bound. A success answer over the limit
        /// throws <see cref="SeedanceProblem.ResponseTooLarge"/>; an error answer (<paramref name="truncate"/>) is cut at the
        /// limit instead, since only its first words matter.
        /// </summary>
        public static async Task<string> ReadTextAsync(HttpResponseMessage response, long limit, bool truncate, string operation, CancellationToken cancellationToken)
        {
            long? declared = response.Content.Headers.ContentLength;
            if (declared > limit && !truncate)
            {
                throw Problems.ResponseTooLarge(operation, limit, $"it declared {declared:N0} bytes");
            }

            byte[] wire;
            using (Stream body = await OpenAsync(response, limit, truncate ? null : () => Problems.ResponseTooLarge(operation, limit, "as sent")).ConfigureAwait(false))
            using (MemoryStream copy = new MemoryStream())
            {
                await body.CopyToAsync(copy, 16 * 1024, cancellationToken).ConfigureAwait(false);
                wire = copy.ToArray();
            }

            string? encoding = response.Content.Headers.ContentEncoding.LastOrDefault()?.Trim().ToLowerInvariant();
            if (encoding != "gzip" && encoding != "x-gzip" && encoding != "deflate")
            {
                return Encoding.UTF8.GetString(wire);
            }

            // HTTP "deflate" is meant to be zlib (a 2-byte header before the deflate data), but some servers send raw
            // deflate: the header is skipped only when it is there.
            int skip = encoding == "deflate" && wire.Length >= 2 && (wire[0] & 0x0F) == 8 && ((wire[0] << 8) | wire[1]) % 31 == 0 ? 2 : 0;
            MemoryStream compressed = new MemoryStream(wire, skip, wire.Length - skip);
            using Stream decoded = encoding == "deflate"
                ? new DeflateStream(compressed, CompressionMode.Decompress)
                : (Stream)new GZipStream(compressed, CompressionMode.Decompress);
            using MemoryStream text = new MemoryStream();
            try
            {
                // The decompressed text is held to the limit by the same stream that holds the wire's bytes to it.
                using Stream limited = new ResponseBody(decoded, null, limit, truncate ? null : () => Problems.ResponseTooLarge(operation, limit, "after decompression"));
                await limited.CopyToAsync(text, 16 * 1024, cancellationToken).ConfigureAwait(false);
            }
            catch (InvalidDataException) when (truncate)
            {
                // An error body cut at the limit mid-stream: what decompressed so far is the message.
            }
            catch (InvalidDataException e)
            {
                throw Problems.InvalidResponse($"Seedance {operation} answered with a body that does not decompress: {e.Message}", e);
            }

            return Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            // One byte past the limit is enough to know the body is too long. Never a zero-byte read of the network
            // stream: that waits for data instead of returning.
            int allowed = _ended ? 0 : (int)Math.Max(0, Math.Min(count, _limit - _count + 1));
            if (allowed == 0)
            {
                return 0;
            }

            cancellationToken.ThrowIfCancellationRequested();
            int read;
            using (cancellationToken.Register(state => ((HttpResponseMessage?)state)?.Dispose(), _response))
            {
                try
                {
                    read = await _inner.ReadAsync(buffer, offset, allowed, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (cancellationToken.IsCancellationRequested && !(e is OperationCanceledException))
                {
                    // The connection was closed under the read because the token fired: that, not the closing, is what happened.
                    throw new OperationCanceledException("The read of the answer was stopped.", e, cancellationToken);
                }
            }

            _count += read;
            if (_count <= _limit)
            {
                return read;
            }

            if (_tooLong is not null)
            {
                throw _tooLong();
            }

            // Keep what fits; the body ends there.
            int over = (int)(_count - _limit);
            _count = _limit;
            _ended = true;
            return read - over;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
