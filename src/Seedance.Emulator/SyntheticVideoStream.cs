using System.Buffers.Binary;

namespace Seedance.Emulator;

/// <summary>
/// A read-only, seekable stream of <c>length</c> bytes generated on the fly (for <c>--output-bytes</c>), so a 1 GiB
/// "video" costs no memory and ranges can be served from any offset.
/// Content: an MP4 <c>ftyp</c> box (24 bytes), then an <c>mdat</c> box header covering the rest (8 bytes, or 16 with a
/// 64-bit size), then filler where the byte at absolute offset i is <c>i % 251</c>. 251 is prime, so a range served
/// from a wrong offset shows up in a byte comparison.
/// </summary>
public sealed class SyntheticVideoStream : Stream
{
    // A whole number of 251-byte periods, so copying from it at (offset % Block) keeps the formula exact.
    private const int Block = 251 * 256;
    private static readonly byte[] Pattern = CreatePattern();

    private readonly byte[] _header;
    private readonly long _length;
    private long _position;

    public SyntheticVideoStream(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        _length = length;
        _header = CreateHeader(length);
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    /// <summary>The byte at <paramref name="offset"/>, for tests of this class (and as the documented formula).</summary>
    public static byte FillerByte(long offset) => (byte)(offset % 251);

    public override int Read(Span<byte> buffer)
    {
        var count = (int)Math.Min(buffer.Length, Math.Max(0, _length - _position));
        var written = 0;
        while (written < count)
        {
            var pos = _position + written;
            ReadOnlySpan<byte> source = pos < _header.Length
                ? _header.AsSpan((int)pos)
                : Pattern.AsSpan((int)(pos % Block));
            var n = Math.Min(source.Length, count - written);
            source[..n].CopyTo(buffer.Slice(written, n));
            written += n;
        }

        _position += written;
        return written;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => _length + offset,
    };

    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private static byte[] CreatePattern()
    {
        var p = new byte[Block];
        for (var i = 0; i < p.Length; i++) p[i] = FillerByte(i);
        return p;
    }

    private static byte[] CreateHeader(long length)
    {
        var header = new byte[40];
        // ftyp: size 24, major brand isom, minor version 0x200, compatible brands isom, mp41.
        BinaryPrimitives.WriteUInt32BigEndian(header, 24);
        "ftypisom"u8.CopyTo(header.AsSpan(4));
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(12), 0x200);
        "isommp41"u8.CopyTo(header.AsSpan(16));

        var mdatSize = length - 24;
        int used;
        if (mdatSize <= uint.MaxValue)
        {
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(24), (uint)Math.Max(mdatSize, 8));
            "mdat"u8.CopyTo(header.AsSpan(28));
            used = 32;
        }
        else
        {
            // size 1 means "a 64-bit size follows the type".
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(24), 1);
            "mdat"u8.CopyTo(header.AsSpan(28));
            BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(32), (ulong)mdatSize);
            used = 40;
        }

        // A tiny output (shorter than the header) is just the start of the header.
        return header.AsSpan(0, (int)Math.Min(used, length)).ToArray();
    }
}
