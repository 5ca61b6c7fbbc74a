using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Seedance.HostileServer;

/// <summary>
/// The server: one loopback port, every connection answered by the first matching rule and then closed
/// (Connection: close, so a broken answer never poisons the next one). Control requests under /_hostile/ set the
/// rules and read the request log; in-process users call <see cref="SetRules"/> and <see cref="Requests"/>.
/// Requests sent to it as to a proxy (absolute URI or CONNECT) are logged as Proxied and answered like the rest.
/// </summary>
public sealed class HostileServer : IDisposable
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly object _gate = new();
    private readonly List<HostileRequestRecord> _log = new();
    private List<HostileRule> _rules = new();
    private int _requestCount;

    private HostileServer(TcpListener listener)
    {
        _listener = listener;
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        BaseUri = $"http://127.0.0.1:{port}";
        _ = AcceptLoopAsync();
    }

    /// <summary>The origin, e.g. http://127.0.0.1:40123 (the API is wherever the rules put it, e.g. {base}/api/v1).</summary>
    public string BaseUri { get; }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static HostileServer Start()
    {
        TcpListener listener = new(IPAddress.Loopback, 0);
        listener.Start();
        return new HostileServer(listener);
    }

    public void SetRules(IEnumerable<HostileRule> rules)
    {
        lock (_gate)
        {
            _rules = rules.ToList();
        }
    }

    public void SetRules(params HostileRule[] rules) => SetRules((IEnumerable<HostileRule>)rules);

    public void Reset()
    {
        lock (_gate)
        {
            _rules = new List<HostileRule>();
            _log.Clear();
        }
    }

    public IReadOnlyList<HostileRequestRecord> Requests
    {
        get
        {
            lock (_gate)
            {
                return _log.ToList();
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                client.NoDelay = true;
                NetworkStream stream = client.GetStream();
                HttpRequestHead? request = await HttpRequestHead.ReadAsync(stream, _stop.Token);
                if (request is null)
                {
                    return;
                }

                ResponsePlan plan = Answer(request);
                await ResponseWriter.WriteAsync(stream, plan, _stop.Token);
            }
            catch (Exception e) when (e is IOException || e is SocketException || e is OperationCanceledException || e is ObjectDisposedException)
            {
                // The client went away (it stopped reading an endless body, or timed out): nothing to do.
            }
        }
    }

    private ResponsePlan Answer(HttpRequestHead request)
    {
        if (!request.Proxied && request.Path.StartsWith("/_hostile/", StringComparison.Ordinal))
        {
            return Control(request);
        }

        HostileRule? rule = null;
        int index = -1;
        lock (_gate)
        {
            for (int i = 0; i < _rules.Count; i++)
            {
                HostileRule candidate = _rules[i];
                if (Matches(candidate, request) && (candidate.Times is null || candidate.Used < candidate.Times))
                {
                    candidate.Used++;
                    rule = candidate;
                    index = i;
                    break;
                }
            }

            _log.Add(new HostileRequestRecord
            {
                Number = ++_requestCount,
                Method = request.Method,
                Target = request.Target,
                Path = request.Path,
                Query = request.Query,
                TaskId = request.QueryParameter("taskId"),
                Proxied = request.Proxied,
                Headers = new Dictionary<string, string>(request.Headers, StringComparer.OrdinalIgnoreCase),
                Body = request.Body,
                Rule = index,
            });
        }

        if (request.Method == "CONNECT")
        {
            return ResponsePlan.Json(502, "{\"message\":\"no tunnels here\"}");
        }

        if (rule is null)
        {
            return ResponsePlan.NotFound();
        }

        if (rule.DelayMs > 0)
        {
            Thread.Sleep(rule.DelayMs);
        }

        return ResponsePlan.For(rule, request, BaseUri);
    }

    private static bool Matches(HostileRule rule, HttpRequestHead request)
    {
        bool path = rule.Path == "*" ||
            (rule.Path.EndsWith('*') ? request.Path.StartsWith(rule.Path[..^1], StringComparison.Ordinal) : request.Path == rule.Path);
        bool method = rule.Method is null || rule.Method.Equals(request.Method, StringComparison.OrdinalIgnoreCase);
        bool taskId = rule.TaskId is null || rule.TaskId == request.QueryParameter("taskId");
        return path && method && taskId;
    }

    private ResponsePlan Control(HttpRequestHead request)
    {
        switch (request.Method + " " + request.Path)
        {
            case "POST /_hostile/rules":
                List<HostileRule>? rules = JsonSerializer.Deserialize<List<HostileRule>>(request.Body, Json);
                SetRules(rules ?? new List<HostileRule>());
                return ResponsePlan.Json(200, $"{{\"rules\":{rules?.Count ?? 0}}}");
            case "POST /_hostile/reset":
                Reset();
                return ResponsePlan.Json(200, "{}");
            case "GET /_hostile/log":
                return ResponsePlan.Json(200, JsonSerializer.Serialize(Requests, Json));
            default:
                return ResponsePlan.Json(404, "{\"message\":\"unknown control request\"}");
        }
    }
}

/// <summary>Puts a plan on the wire, breaking it the way the plan says.</summary>
internal static class ResponseWriter
{
    public static async Task WriteAsync(Stream stream, ResponsePlan plan, CancellationToken cancellationToken)
    {
        StringBuilder head = new();
        head.Append("HTTP/1.1 ").Append(plan.Status).Append(' ').Append(Reason(plan.Status)).Append("\r\n");
        foreach (KeyValuePair<string, string> header in plan.Headers)
        {
            head.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
        }

        if (plan.Framing == "chunked")
        {
            head.Append("Transfer-Encoding: chunked\r\n");
        }
        else if (plan.Framing == "length")
        {
            head.Append("Content-Length: ").Append(plan.ClaimedLength).Append("\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.Latin1.GetBytes(head.ToString()), cancellationToken);

        int size = plan.TrickleBytes > 0 ? plan.TrickleBytes : 64 * 1024;
        byte[] buffer = new byte[size];
        long sent = 0;
        while (true)
        {
            int n = plan.Body.Read(buffer);
            if (n == 0)
            {
                break;
            }

            bool cut = false;
            if (plan.CutAfter is long limit && sent + n >= limit)
            {
                n = (int)Math.Max(0, limit - sent);
                cut = true;
            }

            if (plan.Framing == "chunked" && n > 0)
            {
                await stream.WriteAsync(Encoding.ASCII.GetBytes($"{n:x}\r\n"), cancellationToken);
                await stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
                if (!cut)
                {
                    await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken);
                }
            }
            else if (n > 0)
            {
                await stream.WriteAsync(buffer.AsMemory(0, n), cancellationToken);
            }

            sent += n;
            if (cut)
            {
                await stream.FlushAsync(cancellationToken);
                return; // the caller closes the connection: a cut, not an end
            }

            if (plan.TrickleIntervalMs > 0)
            {
                await stream.FlushAsync(cancellationToken);
                await Task.Delay(plan.TrickleIntervalMs, cancellationToken);
            }
        }

        if (plan.Framing == "chunked")
        {
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken);
        }

        await stream.FlushAsync(cancellationToken);
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        206 => "Partial Content",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
