using System.Text;

namespace Seedance.Emulator.Faults;

/// <summary>
/// Applies the fault rules to requests of either origin (never to /_emulator). Sits after request recording, so a
/// faulted request is still logged and counted, and before the key check, so a fault hits whatever the key.
/// </summary>
public static class FaultMiddleware
{
    /// <summary>HttpContext.Items key set when a fault aborts the connection (RequestAborted fires asynchronously).</summary>
    public const string AbortedItem = "emulator.aborted";

    public static void UseFaults(this WebApplication app, FaultStore faults, TaskStore store)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            var rule = path.StartsWith("/_emulator", StringComparison.OrdinalIgnoreCase)
                ? null
                : faults.TryTake(context.Request.Method, path + context.Request.QueryString.Value);
            if (rule is null)
            {
                await next(context);
                return;
            }

            switch (rule.Kind)
            {
                case "slow":
                    await Task.Delay(rule.DelayMs, context.RequestAborted);
                    await next(context);
                    break;

                case "truncate":
                    // The handler answers normally (with its Content-Length); the wrapper cuts the body after K bytes.
                    context.Response.Body = new TruncatingStream(context.Response.Body, rule.AfterBytes, context);
                    await next(context);
                    break;

                case "drop":
                    if (rule.Process) await RunBufferedAsync(context, next);
                    context.Items[AbortedItem] = true;
                    context.Abort(); // the client sees the connection close with no answer
                    break;

                case "malformed":
                    var real = rule.Process ? await RunBufferedAsync(context, next) : null;
                    await WriteMalformedAsync(context, rule, real);
                    break;

                default: // "status"
                    if (rule.Process) await RunBufferedAsync(context, next);
                    await WriteStatusAsync(context, rule, store);
                    break;
            }
        });
    }

    /// <summary>Runs the real handler into memory, then resets the response so the fault can answer instead.</summary>
    private static async Task<byte[]> RunBufferedAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var status = context.Response.StatusCode;
        context.Response.Clear();
        context.Response.StatusCode = status;
        return buffer.ToArray();
    }

    private static async Task WriteStatusAsync(HttpContext context, FaultRule rule, TaskStore store)
    {
        var status = rule.Status ?? StatusCodes.Status500InternalServerError;
        context.Response.Clear();
        context.Response.StatusCode = status;
        if (rule.RetryAfterHeader() is { } retryAfter) context.Response.Headers.RetryAfter = retryAfter;

        if (rule.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(rule.Body);
            return;
        }

        var (_, maxRunning, running) = store.Account();
        object body = status switch
        {
            401 => new { message = "Invalid API key" },
            402 => new { message = "Insufficient credits", required = 200, available = 0 },
            403 => new { message = "API access is not enabled for this key" },
            404 => new { message = "Task not found" },
            429 => new { message = "Concurrency limit reached", limit = maxRunning, current = Math.Max(running, maxRunning) },
            500 => new { message = "Internal server error, safe to retry" },
            502 => new { message = "Bad gateway" },
            503 => new { message = "Service temporarily unavailable" },
            _ => new { message = $"Injected status {status}" },
        };
        await context.Response.WriteAsJsonAsync(body);
    }

    /// <summary>A 200 (by default) whose JSON body is cut short: the real answer's first half, or a stub.</summary>
    private static async Task WriteMalformedAsync(HttpContext context, FaultRule rule, byte[]? real)
    {
        var body = rule.Body is not null ? Encoding.UTF8.GetBytes(rule.Body)
            : real is { Length: > 1 } ? real[..(real.Length / 2)]
            : "{\"taskId\": \"task_"u8.ToArray();
        context.Response.Clear();
        context.Response.StatusCode = rule.Status ?? StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }
}
