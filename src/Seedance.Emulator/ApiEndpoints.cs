using System.Text.Json;
using System.Text.Json.Nodes;

namespace Seedance.Emulator;

/// <summary>The two documented endpoints of the API origin: createTask and recordInfo.</summary>
public static class ApiEndpoints
{
    public static void MapApi(this WebApplication app)
    {
        var jobs = app.MapGroup("/api/v1/jobs");
        jobs.MapPost("/createTask", CreateTaskAsync);
        jobs.MapGet("/recordInfo", RecordInfo);
    }

    private static async Task<IResult> CreateTaskAsync(HttpRequest request, TaskStore store, EmulatorStats stats, EmulatorOptions options)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);

        JsonObject? body;
        try
        {
            body = JsonNode.Parse(text) as JsonObject;
            _ = body?.Count; // materialises the object, so duplicate keys fail here and not later
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            body = null;
        }

        if (body is null)
            return BadRequest([new ValidationError("", "Request body must be a JSON object")]);

        var (spec, errors) = CreateTaskValidator.Validate(body, options.RequestShape, out var unknownKeys);
        foreach (var key in unknownKeys)
            stats.UnknownInputKeys.Add(new UnknownInputKey(key, (body["model"] as JsonValue)?.ToString(), DateTimeOffset.UtcNow));
        if (spec is null) return BadRequest(errors);

        // Order as on the service: the concurrency limit first (a 429 is neither queued nor charged), then credits.
        var outcome = store.TryCreate(spec, body);
        if (outcome.LimitReached is { } limit)
        {
            return Results.Json(new { message = "Concurrency limit reached", limit = limit.Limit, current = limit.Current },
                statusCode: StatusCodes.Status429TooManyRequests);
        }

        if (outcome.Insufficient is { } credits)
        {
            return Results.Json(new { message = "Insufficient credits", required = credits.Required, available = credits.Available },
                statusCode: StatusCodes.Status402PaymentRequired);
        }

        stats.CountTaskCreated();
        if (outcome.Task!.Directives.AnswerDelaySeconds is { } delay)
        {
            // "#answerdelay:S": the task exists (and is charged) now; only its answer is late, as when the service is
            // slow to reply. A client that gives up meanwhile has paid for a task whose id it never heard.
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(delay), request.HttpContext.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return Results.Empty;
            }
        }

        return Results.Json(new { taskId = outcome.Task!.TaskId });
    }

    private static IResult RecordInfo(string? taskId, TaskStore store)
    {
        if (string.IsNullOrWhiteSpace(taskId))
            return BadRequest([new ValidationError("taskId", "taskId is required")]);

        var task = store.Find(taskId);
        if (task is null)
            return Results.Json(new { message = "Task not found" }, statusCode: StatusCodes.Status404NotFound);

        return Results.Json(TaskJson.Flat(task, store.Now, store.FilesBaseUri));
    }

    private static IResult BadRequest(IReadOnlyList<ValidationError> errors) =>
        Results.Json(new
        {
            message = string.Join("; ", errors.Select(e => e.Path.Length == 0 ? e.Message : $"{e.Path}: {e.Message}")),
            errors = errors.Select(e => new { path = e.Path, message = e.Message }),
        }, statusCode: StatusCodes.Status400BadRequest);
}
