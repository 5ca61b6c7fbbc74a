using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;

namespace Seedance.Client.Uploads
{
    /// <summary>
    /// The body of an upload PUT: copies the file to the request as HttpClient sends it, one buffer at a time (bounded
    /// memory), counts the bytes for progress and for the stall timer, and keeps any failure of the local file apart
    /// from network failures (HttpClient wraps both the same way; only the network side is worth a retry).
    /// </summary>
    internal sealed class UploadBodyContent : HttpContent
    {
        /// <summary>One buffer of the copy; the file is opened with the same (<see cref="MaterialUploader"/>), so each read fills one.</summary>
        internal const int BufferSize = 81920;

        private readonly Stream _file;
        private readonly long _length;
        private readonly TransferMeter _meter;
        private readonly CancellationToken _stall;

        /// <param name="stall">The attempt's stall timer (<see cref="TransferMeter.Arm"/>).</param>
        public UploadBodyContent(Stream file, long length, TransferMeter meter, CancellationToken stall)
        {
            _file = file;
            _length = length;
            _meter = meter;
            _stall = stall;
        }

        /// <summary>Set when reading the local file failed (or it changed length): the upload cannot succeed by retrying.</summary>
        public Exception? LocalFailure { get; private set; }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext context)
        {
            byte[] buffer = new byte[BufferSize];
            for (long sent = 0; sent < _length;)
            {
                int read;
                try
                {
                    read = await _file.ReadAsync(buffer, 0, (int)Math.Min(buffer.Length, _length - sent), _stall).ConfigureAwait(false);
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                    LocalFailure = e;
                    throw;
                }

                if (read == 0)
                {
                    // Content-Length was promised from the size checked earlier; a shorter file now means it changed.
                    LocalFailure = new IOException($"The file became shorter while it was uploaded ({sent:N0} of {_length:N0} bytes read).");
                    throw LocalFailure;
                }

                await stream.WriteAsync(buffer, 0, read, _stall).ConfigureAwait(false);
                sent += read;
                _meter.Add(read);
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _length;
            return true;
        }

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
