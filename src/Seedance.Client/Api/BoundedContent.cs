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
    /// Reads an API answer without trusting its size: the declared length, the bytes on the wire and the bytes after
    /// decompression are each held to a limit, so a 500 MB, endless or gzip-bombed answer costs at most that limit in
    /// memory. The API client does its own decompression (gzip, deflate) for that reason: automatic decompression
    /// would hide the compressed length and inflate without bound.
    /// </summary>
    internal static class BoundedContent
    {
        /// <summary>What the API client asks for; anything else sent back is read as it is.</summary>
        public const string AcceptEncoding = "gzip, deflate";

        private const int ChunkSize = 16 * 1024;

        /// <summary>
        /// The body as text. A success answer over <paramref name="limit"/> throws <see cref="ResponseTooLargeException"/>;
        /// an error answer (<paramref name="truncate"/>) is cut at the limit instead, since only its first words matter.
        /// </summary>
        public static async Task<string> ReadAsStringAsync(HttpResponseMessage response, long limit, bool truncate, string operation, CancellationToken cancellationToken)
        {
            long? declared = response.Content.Headers.ContentLength;
            if (declared > limit && !truncate)
            {
                throw new ResponseTooLargeException(operation, limit, $"it declared {declared:N0} bytes");
            }

            using Stream wire = await ResponseBody.OpenAsync(
                response, limit, truncate ? null : () => new ResponseTooLargeException(operation, limit, "as sent")).ConfigureAwait(false);
            using Stream decoded = Decode(wire, response.Content.Headers.ContentEncoding.LastOrDefault());
            using MemoryStream text = new MemoryStream();
            byte[] buffer = new byte[ChunkSize];
            try
            {
                while (true)
                {
                    int read = await decoded.ReadAsync(buffer, 0, buffer.Length, cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    if (text.Length + read > limit)
                    {
                        if (truncate)
                        {
                            text.Write(buffer, 0, (int)(limit - text.Length));
                            break;
                        }

                        throw new ResponseTooLargeException(operation, limit, "after decompression");
                    }

                    text.Write(buffer, 0, read);
                }
            }
            catch (InvalidDataException) when (truncate)
            {
                // An error body cut at the limit mid-stream: what decompressed so far is the message.
            }
            catch (InvalidDataException e)
            {
                throw new SeedanceProtocolException($"Seedance {operation} answered with a body that does not decompress: {e.Message}", e);
            }

            return Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
        }

        private static Stream Decode(Stream raw, string? encoding)
        {
            switch (encoding?.Trim().ToLowerInvariant())
            {
                case "gzip":
                case "x-gzip":
                    return new GZipStream(raw, CompressionMode.Decompress, leaveOpen: true);
                case "deflate":
                    return new DeflateStream(new ZlibHeaderSkipper(raw), CompressionMode.Decompress, leaveOpen: true);
                default:
                    return new NonClosing(raw);
            }
        }

        /// <summary>
        /// HTTP "deflate" is meant to be zlib (a 2-byte header before the deflate data), but some servers send raw
        /// deflate: skip the header only when it is there.
        /// </summary>
        private sealed class ZlibHeaderSkipper : NonClosing
        {
            private byte[]? _head;
            private int _headOffset;
            private int _headCount;

            public ZlibHeaderSkipper(Stream inner)
                : base(inner)
            {
            }

            public override int Read(byte[] buffer, int offset, int count) =>
                ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

            public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
            {
                if (_head is null)
                {
                    _head = new byte[2];
                    while (_headCount < 2)
                    {
                        int read = await base.ReadAsync(_head, _headCount, 2 - _headCount, cancellationToken).ConfigureAwait(false);
                        if (read == 0)
                        {
                            break;
                        }

                        _headCount += read;
                    }

                    bool zlib = _headCount == 2 && (_head[0] & 0x0F) == 8 && ((_head[0] << 8) | _head[1]) % 31 == 0;
                    _headOffset = zlib ? 2 : 0;
                }

                if (_headOffset < _headCount && count > 0)
                {
                    int n = Math.Min(count, _headCount - _headOffset);
                    Array.Copy(_head, _headOffset, buffer, offset, n);
                    _headOffset += n;
                    return n;
                }

                return await base.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>A read-only pass-through whose Dispose leaves the inner stream to its owner.</summary>
        private class NonClosing : Stream
        {
            private readonly Stream _inner;

            public NonClosing(Stream inner)
            {
                _inner = inner;
            }

            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

            public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

            public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
                _inner.ReadAsync(buffer, offset, count, cancellationToken);

            public override void Flush()
            {
            }

            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }
    }
}
