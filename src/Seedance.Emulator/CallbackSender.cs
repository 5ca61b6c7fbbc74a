using System.Net.Http.Headers;
using System.Text;

namespace Seedance.Emulator;

/// <summary>
/// Delivers callBackUrl notifications. Task state is computed lazily, so a light loop (every 100 ms) looks for tasks
/// that have become final and owe a callback. Like the primary docs: POST the flat task object, no Authorization;
/// on a non-2xx answer or a connection failure retry after 1 s, 5 s, 15 s (scaled by --callback-delay-scale).
/// </summary>
public sealed class CallbackSender : IDisposable
{
    private static readonly double[] RetryDelaysSeconds = [1, 5, 15];

    private readonly TaskStore _store;
    private readonly EmulatorStats _stats;
    private readonly double _delayScale;

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false, // callbacks usually go to loopback listeners; an environment proxy must not intercept them
        ConnectTimeout = TimeSpan.FromSeconds(5),
    })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    public CallbackSender(TaskStore store, EmulatorStats stats, EmulatorOptions options)
    {
        _store = store;
        _stats = stats;
        _delayScale = options.CallbackDelayScale;
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                foreach (var task in _store.TakeDueCallbacks())
                {
                    if (task.TryClaimCallback()) _ = DeliverAsync(task, stopping);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // shutting down
        }
    }

    private async Task DeliverAsync(EmulatorTask task, CancellationToken stopping)
    {
        var url = task.CallBackUrl!;
        for (var attempt = 1; attempt <= RetryDelaysSeconds.Length + 1; attempt++)
        {
            if (attempt > 1)
            {
                var delay = TimeSpan.FromSeconds(RetryDelaysSeconds[attempt - 2] * _delayScale);
                try { await Task.Delay(delay, stopping); }
                catch (OperationCanceledException) { return; }
            }

            int? status = null;
            string? error = null;
            try
            {
                // Built per attempt: the body is the task as it is now (final), exactly what recordInfo shows.
                var json = TaskJson.Flat(task, _store.Now, _store.FilesBaseUri).ToJsonString();
                using var content = new StringContent(json, Encoding.UTF8);
                content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                using var response = await _http.PostAsync(url, content, stopping);
                status = (int)response.StatusCode;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException)
            {
                error = e is TaskCanceledException ? "timeout" : e.Message;
            }

            _stats.Callbacks.Add(new CallbackAttempt(task.TaskId, url, attempt, status, error, DateTimeOffset.UtcNow));
            if (status is >= 200 and < 300) return;
        }
    }

    public void Dispose() => _http.Dispose();
}
