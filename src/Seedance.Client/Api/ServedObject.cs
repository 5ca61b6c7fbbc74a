using System;

namespace Seedance.Client.Http
{
    /// <summary>
    /// What the files origin said of a video: its length (checked against the largest video there can be), its first
    /// bytes when they were asked for, and its validators. Service data: trusted only as far as the downloader checked it.
    /// </summary>
    public sealed class ServedObject
    {
        public ServedObject(long? length, byte[] start, string? etag, DateTimeOffset? lastModified)
        {
            Length = length;
            Start = start;
            ETag = etag;
            LastModified = lastModified;
        }

        /// <summary>The video's length in bytes; null when the service did not say.</summary>
        public long? Length { get; }

        /// <summary>The video's first bytes (as many as were asked for, fewer when it is shorter); empty after a download.</summary>
        public byte[] Start { get; }

        public string? ETag { get; }

        public DateTimeOffset? LastModified { get; }
    }
}
