namespace Seedance.Emulator;

/// <summary>
/// The five read-only sample tasks the platform publishes for its demo key (contract, "Demo tasks"), seeded at
/// start-up and already final, so clients can exercise every result shape without waiting.
/// </summary>
public static class DemoTasks
{
    public static IEnumerable<EmulatorTask> Create(DateTimeOffset now)
    {
        // Created an hour ago, finished long since: final whatever the clock says.
        var created = now.AddHours(-1);

        EmulatorTask Demo(string id, string? failCode, int width = 1280, int height = 720, bool omitComplete = false) => new()
        {
            TaskId = id,
            Model = "seedance-20",
            CreditsUsed = 200m, // 5 s x 40
            CreatedAt = created,
            Waiting = TimeSpan.FromSeconds(20),
            Generating = TimeSpan.FromSeconds(150),
            Width = width,
            Height = height,
            Directives = failCode is null
                ? TaskDirectives.None
                : TaskDirectives.None with { Fail = true, FailCode = failCode },
            IsDemo = true,
            OmitCompleteTime = omitComplete,
        };

        yield return Demo("demo_task_t2v_success", null);
        yield return Demo("demo_task_i2v_success", null, 720, 1280);
        yield return Demo("demo_task_fail_text_moderation", "2038");
        yield return Demo("demo_task_fail_face_detected", "face_detected");
        // "completeTime may stay null for a failure": this one shows it.
        yield return Demo("demo_task_fail_server_error", "500", omitComplete: true);
    }
}
