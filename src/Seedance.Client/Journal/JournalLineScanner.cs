using System;
using System.IO;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// Splits a journal stream into lines from an offset, in chunks, so a large journal is never read whole. A line
    /// longer than <see cref="MaxLineBytes"/> is no record this module writes: it is passed on as too long and its
    /// bytes are skipped, never collected, so memory stays bounded (a chunk and the cap) whatever the file.
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
            byte[] chunk = new byte[ChunkSize];
            MemoryStream line = new MemoryStream();
            long lineStart = start;
            long position = start;
            bool tooLong = false;
            int read;
            while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
            {
                for (int from = 0; from < read;)
                {
                    int newline = Array.IndexOf(chunk, (byte)'\n', from, read - from);
                    int end = newline < 0 ? read : newline;
                    tooLong |= line.Length + (end - from) > MaxLineBytes;
                    if (!tooLong)
                    {
                        line.Write(chunk, from, end - from);
                    }

                    position += end - from;
                    if (newline < 0)
                    {
                        break;
                    }

                    onLine(tooLong ? ReadOnlyMemory<byte>.Empty : new ReadOnlyMemory<byte>(line.GetBuffer(), 0, (int)line.Length), lineStart, tooLong);
                    line.SetLength(0);
                    tooLong = false;
                    lineStart = ++position;
                    from = newline + 1;
                }
            }

            tailLength = tooLong ? position - lineStart : IsBlank(new ReadOnlySpan<byte>(line.GetBuffer(), 0, (int)line.Length)) ? 0 : line.Length;
            return lineStart;
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
