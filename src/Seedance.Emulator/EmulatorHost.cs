using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Seedance.Emulator.Faults;

namespace Seedance.Emulator;

/// <summary>
/// Builds the two origins. They are two WebApplications in one process (so they are really two hosts to a client)
/// sharing one set of singletons: options, store, stats, faults.
/// </summary>
public static class EmulatorHost
{
    public sealed record Shared(EmulatorOptions Options, TaskStore Store, EmulatorStats Stats, FaultStore Faults, UploadStore Uploads);

    public static WebApplication BuildApi(Shared shared)
    {
        var app = Build(shared, shared.Options.ApiPort);
        app.UseApiRecording(shared.Stats);
        app.UseFaults(shared.Faults, shared.Store);
        app.UseApiKeyCheck(shared.Options.ApiKeys);
        app.MapApi();
        if (shared.Options.UploadsEnabled) app.MapUploadApi();
        app.MapControl();
        return app;
    }

    public static WebApplication BuildFiles(Shared shared)
    {
        var app = Build(shared, shared.Options.FilesPort);
        app.UseFileRecording(shared.Stats);
        app.UseFaults(shared.Faults, shared.Store);
        app.MapFiles();
        app.MapUploadFiles();
        return app;
    }

    private static WebApplication Build(Shared shared, int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [], // our options are not ASP.NET configuration
            EnvironmentName = Environments.Production,
            ContentRootPath = AppContext.BaseDirectory,
        });

        // stdout carries exactly one line (the JSON with the URIs); anything worth logging goes to stderr.
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);

        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, port);
            k.Limits.MaxRequestBodySize = 10 * 1024 * 1024;
        });

        // Program owns the process lifetime (signals, stdin, parent pid); the hosts must not install their own.
        builder.Services.AddSingleton<IHostLifetime, ExternalLifetime>();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));

        builder.Services.AddSingleton(shared.Options);
        builder.Services.AddSingleton(shared.Store);
        builder.Services.AddSingleton(shared.Stats);
        builder.Services.AddSingleton(shared.Faults);
        builder.Services.AddSingleton(shared.Uploads);
        return builder.Build();
    }

    /// <summary>The "http://127.0.0.1:PORT" the started app actually listens on (port 0 = picked by the OS).</summary>
    public static string BoundOrigin(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        var first = addresses?.FirstOrDefault() ?? throw new InvalidOperationException("The server has no address.");
        var port = new Uri(first).Port;
        return $"http://127.0.0.1:{port}";
    }

    private sealed class ExternalLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
