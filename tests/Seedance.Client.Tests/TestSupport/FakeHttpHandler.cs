using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Seedance.Client.Tests.TestSupport
{
    /// <summary>What one request looked like when it reached the (fake) network.</summary>
    public sealed class RecordedRequest
    {
        public RecordedRequest(HttpRequestMessage request, string? body)
        {
            Method = request.Method;
            Uri = request.RequestUri!;
            Authorization = request.Headers.Authorization;
            Range = request.Headers.Range;
            ContentType = request.Content?.Headers.ContentType?.MediaType;
            Body = body;
            HeaderNames = request.Headers.Select(h => h.Key).ToList();
        }

        public HttpMethod Method { get; }
        public Uri Uri { get; }
        public AuthenticationHeaderValue? Authorization { get; }
        public RangeHeaderValue? Range { get; }
        public string? ContentType { get; }
        public string? Body { get; }
        public IReadOnlyList<string> HeaderNames { get; }
    }

    /// <summary>
    /// A stand-in for the network: every request is recorded, and the script decides the answer from the
    /// request and its 1-based number.
    /// </summary>
    public sealed class FakeHttpHandler : HttpMessageHandler
    {
        private readonly Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> _script;
        private readonly ConcurrentQueue<RecordedRequest> _requests = new ConcurrentQueue<RecordedRequest>();
        private int _count;

        public FakeHttpHandler(Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> script)
        {
            _script = script;
        }

        public FakeHttpHandler(Func<HttpRequestMessage, int, HttpResponseMessage> script)
            : this((request, n, _) => Task.FromResult(script(request, n)))
        {
        }

        public int Count => Volatile.Read(ref _count);

        public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string? body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            _requests.Enqueue(new RecordedRequest(request, body));
            int n = Interlocked.Increment(ref _count);
            HttpResponseMessage response = await _script(request, n, cancellationToken).ConfigureAwait(false);
            response.RequestMessage ??= request;
            return response;
        }

        public static HttpResponseMessage Json(HttpStatusCode status, string json) =>
            new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

        public static HttpResponseMessage Text(HttpStatusCode status, string text) =>
            new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, "text/html") };
    }
}
