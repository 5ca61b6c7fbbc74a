using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Seedance.Emulator;
using Seedance.Emulator.Faults;

// Seedance API emulator: an API origin and a files origin on loopback, one in-memory store. See README.md.
EmulatorOptions options;
try
{
    options = EmulatorOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

using var uploads = new UploadStore(options, TimeProvider.System);
var shared = new EmulatorHost.Shared(options, new TaskStore(options, TimeProvider.System), new EmulatorStats(), new FaultStore(), uploads);
var api = EmulatorHost.BuildApi(shared);
var files = EmulatorHost.BuildFiles(shared);
await api.StartAsync();
await files.StartAsync();

var apiOrigin = EmulatorHost.BoundOrigin(api);
var filesOrigin = EmulatorHost.BoundOrigin(files);
shared.Store.FilesBaseUri = filesOrigin;
uploads.FilesBaseUri = filesOrigin;

using var stopping = new CancellationTokenSource();
using var callbacks = new CallbackSender(shared.Store, shared.Stats, options);
var callbackLoop = callbacks.RunAsync(stopping.Token);

// The one line of stdout: tests read it to find the ports.
Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["apiBaseUri"] = apiOrigin + "/api/v1",
    ["filesBaseUri"] = filesOrigin,
    ["controlUri"] = apiOrigin + "/_emulator",
    ["pid"] = Environment.ProcessId,
}));
Console.Out.Flush();

// Anything below ends the process: a signal, stdin closing (opt-in), or the parent process going away (opt-in).
var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
var signals = new List<PosixSignalRegistration>();
foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
{
    try
    {
        signals.Add(PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true; // we shut down ourselves, cleanly
            stop.TrySetResult();
        }));
    }
    catch (PlatformNotSupportedException)
    {
        // e.g. SIGTERM on some Windows versions: Ctrl+C still works
    }
}

if (options.ExitOnStdinClose) _ = WatchStdinAsync(stop);
if (options.ParentPid is { } parentPid) _ = WatchParentAsync(parentPid, stop);

await stop.Task;
stopping.Cancel();
await Task.WhenAll(api.StopAsync(), files.StopAsync());
await callbackLoop;
await api.DisposeAsync();
await files.DisposeAsync();
signals.ForEach(s => s.Dispose());
return 0;

static async Task WatchStdinAsync(TaskCompletionSource stop)
{
    // Nothing is ever read from stdin on purpose; end-of-file means the harness that started us is gone.
    try
    {
        await using var stdin = Console.OpenStandardInput();
        var buffer = new byte[256];
        while (await stdin.ReadAsync(buffer) > 0)
        {
        }
    }
    catch (IOException)
    {
    }

    stop.TrySetResult();
}

static async Task WatchParentAsync(int pid, TaskCompletionSource stop)
{
    while (true)
    {
        try
        {
            using var parent = Process.GetProcessById(pid);
            if (parent.HasExited) break;
        }
        catch (ArgumentException)
        {
            break; // no such process
        }

        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    stop.TrySetResult();
}
