using System;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;

namespace Seedance.Client.Http
{
    /// <summary>
    /// What the first answer of a download said about the object (total length, ETag or Last-Modified), so that a
    /// resume is verified, not assumed: the ranged request carries If-Range, and its 206 must describe the same object
    /// from the right byte. An answer that does not (no Content-Range, "bytes N-M/*", another start, another total,
    /// another validator) is not appended: the download starts over from byte 0.
    /// </summary>
    internal sealed class ResumeValidator
    {
        private EntityTagHeaderValue? _etag;
        private DateTimeOffset? _lastModified;

        /// <summary>The object's length, from the first answer; null when it gave none.</summary>
        public long? TotalLength { get; private set; }

        /// <summary>The object's strong ETag, when it gave one.</summary>
        public string? ETag => _etag?.Tag;

        /// <summary>The object's Last-Modified, when it gave one.</summary>
        public DateTimeOffset? LastModified => _lastModified;

        /// <summary>
        /// A resume is safe only with a known total (to know when the file is whole) and a validator (to know it is the
        /// same object). Without them a cut transfer starts over.
        /// </summary>
        public bool CanResume => TotalLength is not null && (_etag is not null || _lastModified is not null);

        /// <summary>Keeps what a first answer says: a whole object (200), or its first bytes (206 from byte 0).</summary>
        public void Record(HttpResponseMessage whole)
        {
            TotalLength = whole.StatusCode == HttpStatusCode.PartialContent ? whole.Content.Headers.ContentRange?.Length : whole.Content.Headers.ContentLength;
            EntityTagHeaderValue? etag = whole.Headers.ETag;

            // If-Range needs a strong validator: a weak ETag cannot promise byte-for-byte sameness.
            _etag = etag is not null && !etag.IsWeak ? etag : null;
            _lastModified = whole.Content.Headers.LastModified;
        }

        public void Forget()
        {
            TotalLength = null;
            _etag = null;
            _lastModified = null;
        }

        /// <summary>Range from <paramref name="from"/> to the end, only if the object is still the one we have the start of.</summary>
        public void ApplyTo(HttpRequestMessage request, long from)
        {
            request.Headers.Range = new RangeHeaderValue(from, null);
            request.Headers.IfRange = _etag is not null
                ? new RangeConditionHeaderValue(_etag)
                : new RangeConditionHeaderValue(_lastModified!.Value);
        }

        /// <summary>Why a 206 answer to a resume from <paramref name="from"/> cannot be appended, or null when it can.</summary>
        public string? Mismatch(HttpResponseMessage partial, long from)
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

            if (range.Length != TotalLength)
            {
                return $"the object is now {range.Length} bytes, it was {TotalLength}";
            }

            if (range.To is long to && (to < from || to >= range.Length))
            {
                return $"its range '{range}' does not fit the object";
            }

            EntityTagHeaderValue? etag = partial.Headers.ETag;
            if (_etag is not null && etag is not null && (etag.IsWeak || !string.Equals(etag.Tag, _etag.Tag, StringComparison.Ordinal)))
            {
                return $"the object changed (ETag {_etag.Tag}, now {etag.Tag})";
            }

            DateTimeOffset? lastModified = partial.Content.Headers.LastModified;
            if (_lastModified is not null && lastModified is not null && lastModified != _lastModified)
            {
                return $"the object changed (Last-Modified {_lastModified:r}, now {lastModified:r})";
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
        public static string? StartMismatch(HttpResponseMessage partial)
        {
            ContentRangeHeaderValue? range = partial.Content.Headers.ContentRange;
            return range is not null && string.Equals(range.Unit, "bytes", StringComparison.OrdinalIgnoreCase) && range.From == 0
                ? null
                : $"Content-Range '{range}' for its first bytes";
        }

        /// <summary>Where the file should end once a 206 answer is written: the end of its range.</summary>
        public static long? EndOf(HttpResponseMessage partial, long? total)
        {
            ContentRangeHeaderValue? range = partial.Content.Headers.ContentRange;
            return range?.To is long to ? to + 1 : total;
        }
    }
}
