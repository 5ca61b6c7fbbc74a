using Seedance.Emulator.Faults;

namespace Seedance.Emulator;

/// <summary>
/// Middleware that records every request of each origin for the control endpoint. Counting happens here, not in
/// the handlers, so a request answered by an injected fault or a 401 still counts as "received".
/// </summary>
public static class RequestRecording
{
    public const string CreateTaskPath = "/api/v1/jobs/createTask";
    public const string RecordInfoPath = "/api/v1/jobs/recordInfo";

    public static void UseApiRecording(this WebApplication app, EmulatorStats stats)
    {
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (!request.Path.StartsWithSegments("/api"))
            {
                await next(context);
                return;
            }

            if (HttpMethods.IsPost(request.Method) && request.Path.Equals(CreateTaskPath, StringComparison.OrdinalIgnoreCase))
                stats.CountCreateRequest();
            else if (HttpMethods.IsGet(request.Method) && request.Path.Equals(RecordInfoPath, StringComparison.OrdinalIgnoreCase))
                stats.CountRecordInfo(request.Query["taskId"].ToString());
            else if (HttpMethods.IsPost(request.Method) && request.Path.Equals(UploadEndpoints.UploadsPath, StringComparison.OrdinalIgnoreCase))
                stats.CountUploadRequest();

            try
            {
                await next(context);
            }
            finally
            {
                stats.ApiRequests.Add(new ApiRequestEntry(
                    request.Method,
                    request.Path.Value ?? "",
                    request.QueryString.HasValue ? request.QueryString.Value : null,
                    request.Headers.Authorization.Count > 0,
                    request.ContentType,
                    context.Response.StatusCode,
                    Aborted(context),
                    DateTimeOffset.UtcNow));
            }
        });
    }

    public static void UseFileRecording(this WebApplication app, EmulatorStats stats)
    {
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            try
            {
                await next(context);
            }
            finally
            {
                var auth = request.Headers.Authorization;
                stats.FileRequests.Add(new FileRequestEntry(
                    request.Method,
                    request.Path.Value ?? "",
                    auth.Count > 0,
                    auth.Count > 0 ? auth.ToString().Length : 0,
                    request.Headers.Range.Count > 0 ? request.Headers.Range.ToString() : null,
                    context.Response.StatusCode,
                    Aborted(context),
                    DateTimeOffset.UtcNow));
            }
        });
    }

    private static bool Aborted(HttpContext context) =>
        context.RequestAborted.IsCancellationRequested || context.Items.ContainsKey(FaultMiddleware.AbortedItem);

    /// <summary>Bearer-key check for everything under /api (the control endpoint and the files origin need none).</summary>
    public static void UseApiKeyCheck(this WebApplication app, IReadOnlyList<string> keys)
    {
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/api"))
            {
                await next(context);
                return;
            }

            var header = context.Request.Headers.Authorization.ToString();
            const string scheme = "Bearer ";
            string? message = null;
            if (string.IsNullOrEmpty(header))
                message = "Missing API key: send 'Authorization: Bearer <key>'";
            else if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
                     || !keys.Contains(header[scheme.Length..].Trim(), StringComparer.Ordinal))
                message = "Invalid API key";

            if (message is null)
            {
                await next(context);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(new { message });
        });
    }
}
