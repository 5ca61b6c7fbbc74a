namespace Seedance.Emulator.Faults;

/// <summary>
/// A response-body wrapper that lets the first <c>limit</c> bytes through, flushes them, then aborts the connection:
/// the client has a declared Content-Length it never receives, i.e. a download cut mid-way.
/// </summary>
public sealed class TruncatingStream(Stream inner, long limit, HttpContext context) : Stream
{
    private long _written;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _written; set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var allowed = (int)Math.Min(buffer.Length, Math.Max(0, limit - _written));
        if (allowed > 0)
        {
            await inner.WriteAsync(buffer[..allowed], cancellationToken);
            _written += allowed;
        }

        if (allowed < buffer.Length) await CutAsync();
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    private async Task CutAsync()
    {
        try { await inner.FlushAsync(); }
        catch (IOException) { /* the client may be gone already */ }
        context.Items[FaultMiddleware.AbortedItem] = true;
        context.Abort();
        throw new OperationCanceledException("Download truncated by an injected fault.", context.RequestAborted);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
    public override void Flush() => inner.Flush();
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
