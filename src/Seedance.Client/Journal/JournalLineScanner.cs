using System;
using System.IO;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// Splits a journal stream into lines from an offset, in chunks, so a large journal is never read whole. A line
    /// longer than <see cref="MaxLineBytes"/> is no record this module writes: it is passed on as too long and its
    /// bytes are skipped, never collected, so memory stays bounded (about two chunks past the cap) whatever the file.
    /// </summary>
    internal static class JournalLineScanner
    {
        /// <summary>The longest line read as a record (a record with a long prompt and many URLs is a few KB).</summary>
        public const int MaxLineBytes = 1024 * 1024;

        private const int ChunkSize = 64 * 1024;

        /// <summary>
        /// A complete line (without its newline) and where it starts; <paramref name="tooLong"/> lines come with no
        /// bytes. The memory is reused after the call returns.
        /// </summary>
        public delegate void LineHandler(ReadOnlyMemory<byte> line, long offset, bool tooLong);

        /// <summary>
        /// Calls <paramref name="onLine"/> for every complete line from <paramref name="start"/> to the end of the stream.
        /// Returns the offset just after the last newline; <paramref name="tailLength"/> gets the number of bytes after it
        /// that are not blank (a line still being written, or one a crash cut off), which the caller does not count as read.
        /// </summary>
        public static long Scan(Stream stream, long start, LineHandler onLine, out long tailLength)
        {
            stream.Seek(start, SeekOrigin.Begin);
            byte[] buffer = new byte[ChunkSize];
            int filled = 0;
            long bufferOffset = start;
            long skipping = -1; // where a too-long line being skipped started
            while (true)
            {
                if (filled == buffer.Length)
                {
                    if (buffer.Length <= MaxLineBytes)
                    {
                        Array.Resize(ref buffer, buffer.Length * 2); // one line longer than a chunk
                    }
                    else
                    {
                        skipping = skipping < 0 ? bufferOffset : skipping;
                        bufferOffset += filled;
                        filled = 0;
                    }
                }

                int read = stream.Read(buffer, filled, buffer.Length - filled);
                if (read == 0)
                {
                    break;
                }

                int scanFrom = filled;
                filled += read;
                int lineStart = 0;
                int newline;
                while ((newline = Array.IndexOf(buffer, (byte)'\n', scanFrom, filled - scanFrom)) >= 0)
                {
                    if (skipping >= 0)
                    {
                        onLine(ReadOnlyMemory<byte>.Empty, skipping, tooLong: true);
                        skipping = -1;
                    }
                    else
                    {
                        int length = newline - lineStart;
                        bool tooLong = length > MaxLineBytes;
                        onLine(tooLong ? ReadOnlyMemory<byte>.Empty : new ReadOnlyMemory<byte>(buffer, lineStart, length), bufferOffset + lineStart, tooLong);
                    }

                    lineStart = newline + 1;
                    scanFrom = lineStart;
                }

                int remaining = filled - lineStart;
                if (lineStart > 0 && remaining > 0)
                {
                    Buffer.BlockCopy(buffer, lineStart, buffer, 0, remaining);
                }

                bufferOffset += lineStart;
                filled = remaining;
            }

            if (skipping >= 0)
            {
                tailLength = bufferOffset + filled - skipping;
                return skipping;
            }

            tailLength = IsBlank(new ReadOnlySpan<byte>(buffer, 0, filled)) ? 0 : filled;
            return bufferOffset;
        }

        /// <summary>True for a line with nothing but spaces, tabs and carriage returns (skipped silently).</summary>
        public static bool IsBlank(ReadOnlySpan<byte> line)
        {
            foreach (byte b in line)
            {
                if (b != (byte)' ' && b != (byte)'\t' && b != (byte)'\r')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
