using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client;
using Seedance.Client.Http;
using Seedance.Client.Models;
using Seedance.Client.Tests.TestSupport;
using Seedance.Client.Waiting;
using Seedance.Commands.Infrastructure;

namespace Seedance.NetFxSmoke
{
    /// <summary>
    /// The module on .NET Framework (run under Mono on Linux): loads the built module's files the way Windows PowerShell
    /// 5.1 does (the top folder by path, deps/ only through the module's own resolver), then creates a task, waits for
    /// it and downloads it against the emulator, downloads four files at once, and cuts off a stalled body. One line per
    /// check, "ok ..." or "FAIL ..."; the exit code is the number of failures.
    /// Usage: Seedance.NetFxSmoke.exe moduleDir apiBaseUri apiKey workDir
    /// </summary>
    internal static class Program
    {
        private static string s_moduleDirectory = string.Empty;
        private static int s_failures;

        private static int Main(string[] args)
        {
            if (args.Length != 4)
            {
                Console.Error.WriteLine("Usage: Seedance.NetFxSmoke.exe moduleDir apiBaseUri apiKey workDir");
                return 64;
            }

            s_moduleDirectory = Path.GetFullPath(args[0]);

            // What PowerShell does for a module: its own top-level assemblies load from the module folder. Nothing here
            // answers for deps/: that is the module's resolver's job, registered below.
            AppDomain.CurrentDomain.AssemblyResolve += (_, e) =>
            {
                string name = new AssemblyName(e.Name).Name ?? string.Empty;
                string path = Path.Combine(s_moduleDirectory, name + ".dll");
                return (name == "Seedance.Client" || name == "Seedance.Commands") && File.Exists(path) ? Assembly.LoadFrom(path) : null;
            };

            Console.WriteLine($"runtime: {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}");
            try
            {
                Run(new Uri(args[1]), args[2], args[3]).GetAwaiter().GetResult();
            }
            catch (Exception e)
            {
                Fail("the run", e.ToString());
            }

            Console.WriteLine(s_failures == 0 ? "all checks passed" : $"{s_failures} check(s) failed");
            return s_failures;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static async Task Run(Uri apiBaseUri, string apiKey, string workDirectory)
        {
            PublicTypesLoadWithoutDeps();

            // What powershell.exe offers on a host without SchUseStrongCrypto (Mono starts at SystemDefault, which the module leaves alone).
            ServicePointManager.SecurityProtocol = SecurityProtocolType.Tls;
            ServicePointManager.DefaultConnectionLimit = 2;
            SecurityProtocolType protocolsBefore = ServicePointManager.SecurityProtocol;
            NetFrameworkResolver resolver = NetFrameworkResolver.Register(s_moduleDirectory);
            ResolverCases(resolver);

            // The cmdlets' own source of pooled HttpClients (Seedance.Commands -> Seedance.Http -> Microsoft.Extensions.*, all from deps/).
            IHttpClientSource http = (IHttpClientSource)typeof(NetFrameworkResolver).Assembly
                .GetType("Seedance.Commands.Infrastructure.HttpClients", throwOnError: true)!
                .GetProperty("Source", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

            SeedanceClient client = new SeedanceClient(new SeedanceClientOptions(apiBaseUri, new ApiKey(apiKey)) { RequestTimeout = TimeSpan.FromSeconds(30) }, http);
            Settings(protocolsBefore);
            await CreateWaitDownload(client, workDirectory).ConfigureAwait(false);

            using CountingServer server = CountingServer.Start();
            await FourDownloadsAtOnce(apiBaseUri, apiKey, http, server, workDirectory).ConfigureAwait(false);
            await StalledBody(apiBaseUri, apiKey, http, server, workDirectory).ConfigureAwait(false);
        }

        /// <summary>PowerShell reads the public types before the module's OnImport registers the resolver: none may need deps/.</summary>
        private static void PublicTypesLoadWithoutDeps()
        {
            try
            {
                Assembly client = typeof(SeedanceTask).Assembly;
                int members = 0;
                foreach (Type type in client.GetExportedTypes())
                {
                    _ = type.BaseType;
                    _ = type.GetInterfaces();
                    _ = type.GetCustomAttributes(true);
                    foreach (PropertyInfo property in type.GetProperties())
                    {
                        _ = property.PropertyType;
                        _ = property.GetCustomAttributes(true);
                        members++;
                    }
                }

                bool depsLoaded = AppDomain.CurrentDomain.GetAssemblies().Any(a => !a.IsDynamic && a.Location.StartsWith(Path.Combine(s_moduleDirectory, "deps"), StringComparison.Ordinal));
                Check("public types of Seedance.Client load without deps/", !depsLoaded, $"{client.GetExportedTypes().Length} types, {members} properties");
            }
            catch (Exception e)
            {
                Fail("public types of Seedance.Client load without deps/", e.Message);
            }
        }

        /// <summary>The resolver's decisions, on this runtime, for the reviewed version mismatches and the requests it must leave alone.</summary>
        private static void ResolverCases(NetFrameworkResolver resolver)
        {
            string deps = Path.Combine(s_moduleDirectory, "deps");
            string fromDeps = Path.Combine(deps, "System.Memory.dll");
            foreach ((string name, Version asked, Version shipped) in NetFrameworkResolver.ReviewedNewerVersions)
            {
                string request = $"{name}, Version={asked}, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51";
                Assembly? answer = resolver.Resolve(request, fromDeps);
                Check($"resolver: {name} {asked} asked from deps/ gets {shipped}", answer?.GetName().Version == shipped, answer?.FullName ?? "no answer");
            }

            Check("resolver: a request from another module is left alone", resolver.Resolve("System.Text.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", "/opt/Other/Other.dll") is null, string.Empty);
            Check("resolver: a request of unknown origin is left alone", resolver.Resolve("System.Text.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", null) is null, string.Empty);
            Check("resolver: a name the module does not ship is left alone", resolver.Resolve("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed", fromDeps) is null, string.Empty);
            Check("resolver: a newer version than shipped is left alone", resolver.Resolve("System.Text.Json, Version=99.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", fromDeps) is null, string.Empty);
            Check("resolver: an older version nobody reviewed is left alone", resolver.Resolve("System.Runtime.CompilerServices.Unsafe, Version=4.0.3.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a", fromDeps) is null, string.Empty);
        }

        /// <summary>What the module set on ServicePointManager before its first request.</summary>
        private static void Settings(SecurityProtocolType before)
        {
            SecurityProtocolType now = ServicePointManager.SecurityProtocol;
            bool widened = before == 0 ? now == 0 : (now & SecurityProtocolType.Tls12) != 0 && (now & before) == before;
            Check("TLS 1.2 added to ServicePointManager.SecurityProtocol, nothing removed", widened, $"{before} -> {now}");
            Check("ServicePointManager.DefaultConnectionLimit at least 64", ServicePointManager.DefaultConnectionLimit >= 64, ServicePointManager.DefaultConnectionLimit.ToString());
        }

        private static async Task CreateWaitDownload(SeedanceClient client, string workDirectory)
        {
            CreateTaskRequest request = new CreateTaskRequest { Model = "seedance-20", Prompt = "A paper boat on a rainy street, .NET Framework smoke run", Duration = 4, Ratio = "16:9" };
            string id = await client.CreateTaskAsync(request, null, CancellationToken.None).ConfigureAwait(false);
            Check("create", !string.IsNullOrEmpty(id), id);

            SeedanceTask? task = null;
            TaskWaiter waiter = new TaskWaiter(client, new WaitOptions { PollInterval = TimeSpan.FromMilliseconds(200), Timeout = TimeSpan.FromMinutes(2) },
                e => task = e.Kind == WaitEventKind.Finished ? e.Task : task);
            waiter.Add(new SeedanceTask(id));
            waiter.CompleteAdding();
            await waiter.RunAsync(CancellationToken.None).ConfigureAwait(false);
            IReadOnlyList<SeedanceTask> unfinished = waiter.Unfinished;
            if (task is null || unfinished.Count > 0)
            {
                Fail("wait", $"{unfinished.Count} task(s) unfinished");
                return;
            }

            Check("wait", task.Status == SeedanceTaskStatus.Success && task.VideoUrl is not null, $"{task.TaskId} {task.Status}");

            string path = Path.Combine(workDirectory, id + ".mp4");
            long bytes = await client.Downloader.DownloadAsync(new Uri(task.VideoUrl!), "the video", path, false, null, CancellationToken.None).ConfigureAwait(false);
            Check("download", bytes > 0 && new FileInfo(path).Length == bytes, $"{bytes:N0} bytes");
        }

        private static async Task FourDownloadsAtOnce(Uri apiBaseUri, string apiKey, IHttpClientSource http, CountingServer server, string workDirectory)
        {
            SeedanceClient client = new SeedanceClient(new SeedanceClientOptions(apiBaseUri, new ApiKey(apiKey)) { RequestTimeout = TimeSpan.FromSeconds(30) }, http);
            Task<long>[] downloads = Enumerable.Range(1, 4)
                .Select(n => client.Downloader.DownloadAsync(new Uri($"{server.BaseUri}video/{n}"), "the video", Path.Combine(workDirectory, $"parallel-{n}.mp4"), false, null, CancellationToken.None))
                .ToArray();
            await Task.WhenAll(downloads).ConfigureAwait(false);
            Check("four downloads at once use four connections", server.MostAtOnce == 4, $"at most {server.MostAtOnce} at once");
        }

        private static async Task StalledBody(Uri apiBaseUri, string apiKey, IHttpClientSource http, CountingServer server, string workDirectory)
        {
            SeedanceClientOptions options = new SeedanceClientOptions(apiBaseUri, new ApiKey(apiKey))
            {
                RequestTimeout = TimeSpan.FromSeconds(1),
                ReadRetry = new RetryPolicy { MaxAttempts = 1 },
            };
            SeedanceClient client = new SeedanceClient(options, http);

            Task stalled = client.Downloader.DownloadAsync(new Uri($"{server.BaseUri}stall/1"), "the video", Path.Combine(workDirectory, "stall-1.mp4"), false, null, CancellationToken.None);
            Exception? error = await Ended(stalled).ConfigureAwait(false);
            Check("a stalled body ends at the stall timeout", error is SeedanceException { Problem: SeedanceProblem.RequestTimedOut }, error?.GetType().Name ?? "still reading after 30 s");

            using CancellationTokenSource ctrlC = new CancellationTokenSource();
            SeedanceClient patient = new SeedanceClient(new SeedanceClientOptions(apiBaseUri, new ApiKey(apiKey)) { RequestTimeout = TimeSpan.FromMinutes(10) }, http);
            Task waiting = patient.Downloader.DownloadAsync(new Uri($"{server.BaseUri}stall/2"), "the video", Path.Combine(workDirectory, "stall-2.mp4"), false, null, ctrlC.Token);
            await server.StalledOnce.ConfigureAwait(false);
            await Task.Delay(300).ConfigureAwait(false);
            ctrlC.Cancel();
            error = await Ended(waiting).ConfigureAwait(false);
            Check("a stalled body ends at once on Ctrl+C", error is OperationCanceledException, error?.GetType().Name ?? "still reading after 30 s");
        }

        /// <summary>The task's failure, or null when it is still running after 30 s (a hung read).</summary>
        private static async Task<Exception?> Ended(Task task)
        {
            if (await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(30))).ConfigureAwait(false) != task)
            {
                return null;
            }

            try
            {
                await task.ConfigureAwait(false);
                return new InvalidOperationException("it completed");
            }
            catch (Exception e)
            {
                return e;
            }
        }

        private static void Check(string what, bool ok, string detail)
        {
            if (ok)
            {
                Console.WriteLine($"ok   {what} ({detail})");
            }
            else
            {
                Fail(what, detail);
            }
        }

        private static void Fail(string what, string detail)
        {
            s_failures++;
            Console.WriteLine($"FAIL {what}: {detail}");
        }
    }
}
