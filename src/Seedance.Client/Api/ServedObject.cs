using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;

namespace Seedance.Client.Http
{
    /// <summary>
    /// What the files origin said of a video: its length (checked against the largest video there can be), its
    /// validators (ETag, Last-Modified), and its first bytes when they were asked for. Service data: trusted only as far
    /// as the downloader checked it. Kept from the first answer of a download so that a resume is verified, not
    /// assumed: the ranged request carries If-Range, and its 206 must describe the same object from the right byte. An
    /// answer that does not (no Content-Range, "bytes N-M/*", another start, another total, another validator) is not
    /// appended: the download starts over from byte 0.
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

        internal ServedObject()
        {
        }

        /// <summary>The video's length in bytes; null when the service did not say.</summary>
        public long? Length { get; internal set; }

        /// <summary>The video's first bytes (as many as were asked for, fewer when it is shorter); empty after a download.</summary>
        public byte[] Start { get; internal set; } = Array.Empty<byte>();

        /// <summary>The object's strong ETag, when it gave one.</summary>
        public string? ETag { get; private set; }

        public DateTimeOffset? LastModified { get; private set; }

        /// <summary>
        /// A resume is safe only with a known total (to know when the file is whole) and a validator (to know it is the
        /// same object). Without them a cut transfer starts over.
        /// </summary>
        internal bool CanResume => Length is not null && (ETag is not null || LastModified is not null);

        /// <summary>Keeps what a first answer says: a whole object (200), or its first bytes (206 from byte 0).</summary>
        internal void Record(HttpResponseMessage whole)
        {
            Length = whole.StatusCode == HttpStatusCode.PartialContent ? whole.Content.Headers.ContentRange?.Length : whole.Content.Headers.ContentLength;
            EntityTagHeaderValue? etag = whole.Headers.ETag;

            // If-Range needs a strong validator: a weak ETag cannot promise byte-for-byte sameness.
            ETag = etag is not null && !etag.IsWeak ? etag.Tag : null;
            LastModified = whole.Content.Headers.LastModified;
        }

        internal void Forget()
        {
            Length = null;
            ETag = null;
            LastModified = null;
        }

        /// <summary>Range from <paramref name="from"/> to the end, only if the object is still the one we have the start of.</summary>
        internal void ApplyTo(HttpRequestMessage request, long from)
        {
            request.Headers.Range = new RangeHeaderValue(from, null);
            request.Headers.IfRange = ETag is not null
                ? new RangeConditionHeaderValue(ETag)
                : new RangeConditionHeaderValue(LastModified!.Value);
        }

        /// <summary>Why a 206 answer to a resume from <paramref name="from"/> cannot be appended, or null when it can.</summary>
        internal string? Mismatch(HttpResponseMessage partial, long from)
        {
            ContentRangeHeaderValue? range = partial.Content.Headers.ContentRange;
            if (range is null)
            {
                return "a 206 answer without Content-Range";
            }

            if (!string.Equals(range.Unit, "bytes", StringComparison.OrdinalIgnoreCase) || !range.HasRange)
            {
                return $"a Content-Range that names no byte range ('{range}')";
            }

            if (range.From != from)
            {
                return $"it starts at byte {range.From} instead of {from}";
            }

            if (!range.HasLength)
            {
                return $"it gives no total length ('{range}')";
            }

            if (range.Length != Length)
            {
                return $"the object is now {range.Length} bytes, it was {Length}";
            }

            if (range.To is long to && (to < from || to >= range.Length))
            {
                return $"its range '{range}' does not fit the object";
            }

            EntityTagHeaderValue? etag = partial.Headers.ETag;
            if (ETag is not null && etag is not null && (etag.IsWeak || !string.Equals(etag.Tag, ETag, StringComparison.Ordinal)))
            {
                return $"the object changed (ETag {ETag}, now {etag.Tag})";
            }

            DateTimeOffset? lastModified = partial.Content.Headers.LastModified;
            if (LastModified is not null && lastModified is not null && lastModified != LastModified)
            {
                return $"the object changed (Last-Modified {LastModified:r}, now {lastModified:r})";
            }

            long? length = partial.Content.Headers.ContentLength;
            long? declared = range.To is long end ? end - from + 1 : (long?)null;
            if (length is not null && declared is not null && length != declared)
            {
                return $"Content-Length {length} disagrees with Content-Range '{range}'";
            }

            return null;
        }

        /// <summary>Why a 206 answer to a request for the first bytes cannot be read as them, or null when it can.</summary>
        internal static string? StartMismatch(HttpResponseMessage partial)
        {
            ContentRangeHeaderValue? range = partial.Content.Headers.ContentRange;
            return range is not null && string.Equals(range.Unit, "bytes", StringComparison.OrdinalIgnoreCase) && range.From == 0
                ? null
                : $"Content-Range '{range}' for its first bytes";
        }

        /// <summary>Where the file should end once a 206 answer is written: the end of its range.</summary>
        internal static long? EndOf(HttpResponseMessage partial, long? total)
        {
            ContentRangeHeaderValue? range = partial.Content.Headers.ContentRange;
            return range?.To is long to ? to + 1 : total;
        }
    }
}
