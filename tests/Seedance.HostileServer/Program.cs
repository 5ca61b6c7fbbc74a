using System.Diagnostics;
using System.Text.Json;
using Seedance.HostileServer;

// The hostile test server as a process: prints {"baseUri": ..., "pid": ...} on one line, then serves until killed,
// stdin closes, or the process named by --parent-pid goes away (so a crashed test run never leaves it behind).
int? parentPid = null;
for (int i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--parent-pid" && int.TryParse(args[i + 1], out int pid))
    {
        parentPid = pid;
    }
}

using HostileServer server = HostileServer.Start();
Console.Out.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["baseUri"] = server.BaseUri,
    ["pid"] = Environment.ProcessId,
}));
Console.Out.Flush();

while (true)
{
    await Task.Delay(500);
    if (parentPid is int parent)
    {
        try
        {
            using Process process = Process.GetProcessById(parent);
            if (process.HasExited)
            {
                break;
            }
        }
        catch (ArgumentException)
        {
            break; // no such process any more
        }
    }
}
