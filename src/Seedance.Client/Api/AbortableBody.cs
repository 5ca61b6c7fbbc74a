using System;
using System.IO;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace Seedance.Client.Http
{
    /// <summary>
    /// A response body whose reads end when their token fires, on every runtime. .NET Framework's network stream
    /// looks at the token only before a read starts, and HttpClient stops watching it once the headers are in, so a
    /// read the server stalls would wait past the stall timeout and past Ctrl+C. Here the token disposes the whole
    /// response, which closes the connection under the pending read; that read's failure is reported as the
    /// cancellation it is (the callers tell a stall from Ctrl+C by which token fired).
    /// </summary>
    internal sealed class AbortableBody : Stream
    {
        private readonly Stream _inner;
        private readonly HttpResponseMessage _response;

        private AbortableBody(Stream inner, HttpResponseMessage response)
        {
            _inner = inner;
            _response = response;
        }

        /// <summary>The body of <paramref name="response"/>; reading it with a token that fires disposes <paramref name="response"/>.</summary>
        public static async Task<Stream> OpenAsync(HttpResponseMessage response) =>
            new AbortableBody(await response.Content.ReadAsStreamAsync().ConfigureAwait(false), response);

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using CancellationTokenRegistration abort = cancellationToken.Register(state => ((HttpResponseMessage)state!).Dispose(), _response);
            try
            {
                return await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (cancellationToken.IsCancellationRequested && !(e is OperationCanceledException))
            {
                // The connection was closed under the read because the token fired: that, not the closing, is what happened.
                throw new OperationCanceledException("The read of the answer was stopped.", e, cancellationToken);
            }
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
