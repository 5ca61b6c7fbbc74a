using System;
using System.Net;
using System.Net.Http;

namespace Seedance.Client.Http
{
    /// <summary>What one API request got back: status, body text, and the Retry-After hint if any.</summary>
    internal sealed class ApiResponse
    {
        public ApiResponse(HttpStatusCode statusCode, string body, TimeSpan? retryAfter)
        {
            StatusCode = statusCode;
            Body = body;
            RetryAfter = retryAfter;
        }

        public HttpStatusCode StatusCode { get; }
        public string Body { get; }
        public TimeSpan? RetryAfter { get; }
        public bool IsSuccess => (int)StatusCode >= 200 && (int)StatusCode < 300;

        /// <summary>Retry-After as seconds or as an HTTP date; never negative.</summary>
        public static TimeSpan? RetryAfterOf(HttpResponseMessage response)
        {
            System.Net.Http.Headers.RetryConditionHeaderValue? header = response.Headers.RetryAfter;
            if (header is null)
            {
                return null;
            }

            TimeSpan? delay = header.Delta ?? (header.Date - DateTimeOffset.UtcNow);
            return delay is null ? null : (delay.Value < TimeSpan.Zero ? TimeSpan.Zero : delay);
        }
    }
}
