using System.Text.Json;
using System.Text.Json.Nodes;
using Seedance.Emulator.Faults;

namespace Seedance.Emulator;

/// <summary>
/// The test-facing control API under <c>/_emulator</c> on the API origin (no key): counters and request logs,
/// the tasks with the exact bodies the client sent, the account, and fault injection. See README.md.
/// </summary>
public static class ControlEndpoints
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static void MapControl(this WebApplication app)
    {
        var control = app.MapGroup("/_emulator");

        control.MapGet("/stats", (EmulatorStats stats) => Results.Json(stats.Snapshot()));

        // Clears counters, request logs, callback log and fault rules; tasks and the account stay.
        control.MapPost("/reset", (EmulatorStats stats, FaultStore faults) =>
        {
            stats.Reset();
            faults.Clear();
            return Results.Json(new { reset = true });
        });

        control.MapGet("/tasks", (TaskStore store) =>
        {
            var now = store.Now;
            return Results.Json(new JsonArray(store.Snapshot().Select(t => (JsonNode)Describe(t, now, store)).ToArray()));
        });

        control.MapGet("/tasks/{taskId}", (string taskId, TaskStore store) =>
            store.Find(taskId) is { } task
                ? Results.Json(Describe(task, store.Now, store))
                : Results.Json(new { message = "Task not found" }, statusCode: StatusCodes.Status404NotFound));

        // Every upload slot handed out, with what was stored in it (length, SHA-256) and whether it is still served.
        control.MapGet("/uploads", (UploadStore uploads) =>
            Results.Json(uploads.Snapshot().Select(slot => UploadEndpoints.Describe(slot, uploads)).ToArray()));

        control.MapGet("/account", (TaskStore store) => AccountResult(store));
        control.MapPost("/account", async (HttpRequest request, TaskStore store) =>
        {
            try
            {
                var update = (await ReadJsonAsync(request)).Deserialize<AccountUpdate>(Json);
                store.SetAccount(update?.Credits, update?.MaxRunning);
                return AccountResult(store);
            }
            catch (JsonException e)
            {
                return Results.Json(new { message = "Send {\"credits\": n, \"maxRunning\": n}: " + e.Message }, statusCode: 400);
            }
        });

        control.MapGet("/faults", (FaultStore faults) => Results.Json(faults.List()));
        control.MapDelete("/faults", (FaultStore faults) =>
        {
            faults.Clear();
            return Results.Json(Array.Empty<FaultRule>());
        });
        control.MapPost("/faults", AddFaultsAsync);
    }

    /// <summary>Accepts one rule object or an array of rules; answers with the rules as stored (ids assigned).</summary>
    private static async Task<IResult> AddFaultsAsync(HttpRequest request, FaultStore faults)
    {
        List<FaultRule>? rules;
        try
        {
            var node = await ReadJsonAsync(request);
            rules = node switch
            {
                JsonArray a => a.Deserialize<List<FaultRule>>(Json),
                JsonObject o => [o.Deserialize<FaultRule>(Json)!],
                _ => null,
            };
        }
        catch (JsonException e)
        {
            return Results.Json(new { message = "Invalid fault rule JSON: " + e.Message }, statusCode: 400);
        }

        if (rules is null || rules.Count == 0)
            return Results.Json(new { message = "Send a rule object or an array of rules" }, statusCode: 400);
        foreach (var rule in rules)
        {
            if (rule.Validate() is { } problem)
                return Results.Json(new { message = problem }, statusCode: 400);
        }

        return Results.Json(faults.Add(rules));
    }

    /// <summary>Parses the body as JSON whatever its Content-Type (curl -d sends form-urlencoded by default).</summary>
    private static async Task<JsonNode?> ReadJsonAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        return JsonNode.Parse(await reader.ReadToEndAsync(request.HttpContext.RequestAborted));
    }

    /// <summary>A task as recordInfo shows it now, plus what the emulator knows about it.</summary>
    private static JsonObject Describe(EmulatorTask task, DateTimeOffset now, TaskStore store)
    {
        var flat = TaskJson.Flat(task, now, store.FilesBaseUri);
        flat["request"] = task.Request?.DeepClone();
        flat["callBackUrl"] = task.CallBackUrl;
        flat["isDemo"] = task.IsDemo;
        return flat;
    }

    private static IResult AccountResult(TaskStore store)
    {
        var (credits, maxRunning, running) = store.Account();
        return Results.Json(new { credits, maxRunning, running });
    }

    private sealed record AccountUpdate(decimal? Credits, int? MaxRunning);
}
