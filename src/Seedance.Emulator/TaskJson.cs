using System.Text.Json.Nodes;

namespace Seedance.Emulator;

/// <summary>Builds the flat task object that recordInfo returns and callbacks carry.</summary>
public static class TaskJson
{
    public static JsonObject Flat(EmulatorTask task, DateTimeOffset now, string filesBaseUri)
    {
        var phase = task.PhaseAt(now);
        var final = phase == TaskPhase.Final;
        JsonArray? output = null;
        if (final && task.Succeeds)
        {
            output =
            [
                new JsonObject
                {
                    ["url"] = $"{filesBaseUri}/files/{task.TaskId}.mp4",
                    ["width"] = task.Width,
                    ["height"] = task.Height,
                    ["mediaType"] = "video/mp4",
                    // As the real platform sends them: the generation seed, and a PNG of the last frame (served by
                    // the files origin, see FileEndpoints).
                    ["seed"] = Seed(task.TaskId),
                    ["lastFrameImage"] = $"{filesBaseUri}/files/{task.TaskId}_last.png",
                },
            ];
        }

        return new JsonObject
        {
            ["taskId"] = task.TaskId,
            ["model"] = task.Model,
            ["status"] = task.StatusAt(now),
            ["creditsUsed"] = task.CreditsUsedAt(now), // charged at submit, kept on failure, settled after success for some models
            ["output"] = output,
            ["error"] = final ? task.ErrorNode() : null,
            ["createTime"] = task.CreatedAt.ToUnixTimeMilliseconds(),
            ["completeTime"] = final && !task.OmitCompleteTime ? task.CompletedAt.ToUnixTimeMilliseconds() : null,
            ["updateTime"] = task.UpdatedAt(now).ToUnixTimeMilliseconds(),
            // Fields the contract does not name, always present: clients must tolerate (and may keep) them.
            ["region"] = "emulator",
            ["progress"] = Progress(task, phase, now),
        };
    }

    /// <summary>A seed that is stable per task and often above int.MaxValue (real seeds are 32-bit unsigned).</summary>
    private static long Seed(string taskId)
    {
        uint hash = 2166136261; // FNV-1a
        foreach (var c in taskId) hash = (hash ^ c) * 16777619;
        return hash;
    }

    /// <summary>A plausible 0-100 progress figure (an extra field, like some hosts send).</summary>
    private static int Progress(EmulatorTask task, TaskPhase phase, DateTimeOffset now)
    {
        if (phase == TaskPhase.Waiting) return 0;
        if (phase == TaskPhase.Final) return 100;
        var total = task.Generating.TotalMilliseconds;
        return total <= 0 ? 99 : (int)Math.Clamp((now - task.GeneratingAt).TotalMilliseconds * 100 / total, 0, 99);
    }
}
