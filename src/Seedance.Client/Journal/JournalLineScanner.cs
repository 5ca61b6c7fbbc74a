using System;
using System.IO;

namespace Seedance.Client.Journal
{
    /// <summary>Splits a journal stream into lines from an offset, in chunks, so a large journal is never read whole.</summary>
    internal static class JournalLineScanner
    {
        private const int ChunkSize = 64 * 1024;

        /// <summary>A complete line (without its newline) and where it starts. The memory is reused after the call returns.</summary>
        public delegate void LineHandler(ReadOnlyMemory<byte> line, long offset);

        /// <summary>
        /// Calls <paramref name="onLine"/> for every complete line from <paramref name="start"/> to the end of the stream.
        /// Returns the offset just after the last newline; <paramref name="tail"/> gets the bytes after it (a line still
        /// being written, or one a crash cut off), which the caller does not count as read.
        /// </summary>
        public static long Scan(Stream stream, long start, LineHandler onLine, out byte[] tail)
        {
            stream.Seek(start, SeekOrigin.Begin);
            byte[] buffer = new byte[ChunkSize];
            int filled = 0;
            long bufferOffset = start;
            while (true)
            {
                if (filled == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2); // one line longer than a chunk
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
                    onLine(new ReadOnlyMemory<byte>(buffer, lineStart, newline - lineStart), bufferOffset + lineStart);
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

            tail = new byte[filled];
            Buffer.BlockCopy(buffer, 0, tail, 0, filled);
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
