using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;

namespace Seedance.Client.Uploads
{
    /// <summary>
    /// The body of an upload PUT: reads the file as HttpClient sends it, one buffer at a time (bounded memory),
    /// counts the bytes for progress and for the stall timer, and keeps any failure of the local
    /// file apart from network failures (HttpClient wraps both the same way; only the network side is worth a retry).
    /// </summary>
    internal sealed class UploadBodyStream : Stream
    {
        private readonly Stream _file;
        private readonly long _length;
        private readonly TransferMeter _meter;
        private readonly TransferWatchdog _stall;
        private long _sent;

        public UploadBodyStream(Stream file, long length, TransferMeter meter, TransferWatchdog stall)
        {
            _file = file;
            _length = length;
            _meter = meter;
            _stall = stall;
        }

        /// <summary>Set when reading the local file failed (or it changed length): the upload cannot succeed by retrying.</summary>
        public Exception? LocalFailure { get; private set; }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => _length;

        public override long Position
        {
            get => _sent;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) =>
            ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            int wanted = (int)Math.Min(count, _length - _sent);
            int read;
            try
            {
                read = wanted == 0 ? 0 : await _file.ReadAsync(buffer, offset, wanted, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                LocalFailure = e;
                throw;
            }

            if (read == 0 && _sent < _length)
            {
                // Content-Length was promised from the size checked earlier; a shorter file now means it changed.
                LocalFailure = new IOException($"The file became shorter while it was uploaded ({_sent:N0} of {_length:N0} bytes read).");
                throw LocalFailure;
            }

            _sent += read;
            _meter.Add(read);
            _stall.Received(read);
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _file.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
