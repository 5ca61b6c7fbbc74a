using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Seedance.Client.Journal;
using Seedance.Client.Models;

namespace Seedance.Client.Tests
{
    /// <summary>
    /// A journal in a fresh folder on a manual clock, for the tests that only read and write one journal; protected
    /// members so each test class reads as before.
    /// </summary>
    public abstract class OpenJournalTests : IDisposable
    {
        private protected readonly JournalFolder _folder = new JournalFolder();
        private protected readonly ManualClock _clock = new ManualClock();
        private protected readonly TaskJournal _journal;

        protected OpenJournalTests()
        {
            _journal = _clock.Open(_folder.JournalPath);
        }

        public void Dispose() => _folder.Dispose();
    }

    /// <summary>A fresh folder under the temp folder, deleted afterwards.</summary>
    internal sealed class JournalFolder : IDisposable
    {
        public JournalFolder()
        {
            Root = Path.Combine(Path.GetTempPath(), "seedance-journal-tests", Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(Root);
        }

        public string Root { get; }
        public string JournalPath => Path.Combine(Root, "journal.jsonl");

        public string[] Lines() => File.ReadAllText(JournalPath, Encoding.UTF8).Split('\n').Where(line => line.Length > 0).ToArray();

        public void AppendRaw(string text) => File.AppendAllText(JournalPath, text, new UTF8Encoding(false));

        public void Dispose()
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>A clock the test moves by hand (records, the 24 h window and the 60-day retention all read it).</summary>
    internal sealed class ManualClock
    {
        public DateTimeOffset Now { get; set; } = new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        public TaskJournal Open(string path, bool autoCompact = false, TimeSpan? lockTimeout = null) => TaskJournal.Open(path, () => Now, autoCompact, lockTimeout);

        public void Advance(TimeSpan by) => Now += by;
    }

    internal static class JournalTestData
    {
        public static CreateTaskRequest Request(string prompt = "A red fox in fresh snow", int duration = 5, string model = "seedance-20") =>
            new CreateTaskRequest { Prompt = prompt, Duration = duration, Model = model };

        public static SeedanceTask Task(string id, string status, decimal? credits = null, params SeedanceVideo[] videos) =>
            new SeedanceTask(id) { Status = status, StatusText = status.ToString().ToLowerInvariant(), CreditsUsed = credits, Videos = videos };

        /// <summary>Reserves, and records the created id; returns the intent.</summary>
        public static JournalReservation Create(TaskJournal journal, string taskId, string? name = null, decimal credits = 200m, string prompt = "A red fox in fresh snow", string model = "seedance-20")
        {
            JournalReservation reservation = journal.ReserveCreate(Request(prompt, model: model), name, credits);
            if (reservation.Outcome != JournalReservationOutcome.Reserved)
            {
                throw new InvalidOperationException("expected a reservation, got " + reservation.Outcome);
            }

            journal.RecordCreated(reservation, taskId);
            return reservation;
        }
    }

    /// <summary>The module's own paths to a saved record and to the budget, as short calls for the tests.</summary>
    internal static class JournalTestPaths
    {
        /// <summary>A saved record as Save-SeedanceVideo writes it (PlaceSaved, with nothing to move and no other owner of the name).</summary>
        public static void RecordSaved(this TaskJournal journal, string taskId, string path, long bytes)
        {
            journal.PlaceSaved(taskId, path, bytes, same => same, _ => { }, out JournalException? notRecorded);
            if (notRecorded is not null)
            {
                throw notRecorded;
            }
        }

        /// <summary>The budget as New-SeedanceTask's check sees it (no limit: an unreachable one, so the budget is still read).</summary>
        public static decimal SpentToday(this TaskJournal journal) => journal.CheckCreate(null, decimal.MaxValue).Spent!.Value;
    }

    /// <summary>The helper program (tests/Seedance.Journal.TestHost) as a real separate process.</summary>
    internal sealed class JournalHostProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _stderr = new StringBuilder();

        private JournalHostProcess(Process process)
        {
            _process = process;
        }

        public static JournalHostProcess Start(params string[] arguments)
        {
            ProcessStartInfo start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Seedance.Journal.TestHost.dll"));
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            JournalHostProcess host = new JournalHostProcess(Process.Start(start)!);
            host._process.ErrorDataReceived += (_, e) =>
            {
                lock (host._stderr)
                {
                    host._stderr.AppendLine(e.Data);
                }
            };
            host._process.BeginErrorReadLine();
            return host;
        }

        /// <summary>Runs to the end; returns its standard output (throws with its error output when it failed).</summary>
        public static string Run(params string[] arguments)
        {
            using JournalHostProcess host = Start(arguments);
            return host.Finish();
        }

        public bool HasExited => _process.HasExited;

        public void WaitUntilReady()
        {
            string? line = _process.StandardOutput.ReadLine();
            if (line != "ready")
            {
                throw new InvalidOperationException($"The helper did not get ready (said '{line}'): {Errors()}");
            }
        }

        public string Finish(int timeoutSeconds = 120)
        {
            string output = _process.StandardOutput.ReadToEnd();
            if (!_process.WaitForExit(timeoutSeconds * 1000))
            {
                _process.Kill();
                throw new TimeoutException("The helper did not finish: " + Errors());
            }

            _process.WaitForExit();
            if (_process.ExitCode != 0)
            {
                throw new InvalidOperationException($"The helper failed ({_process.ExitCode}): {Errors()}");
            }

            return output.Trim();
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.Dispose();
        }

        private string Errors()
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Mode bits as the stat tool prints them (octal, e.g. "600").</summary>
    internal static class UnixStat
    {
        public static string Mode(string path)
        {
            bool mac = System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX);
            ProcessStartInfo start = new ProcessStartInfo("stat") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (string argument in mac ? new[] { "-f", "%Lp", path } : new[] { "-c", "%a", path })
            {
                start.ArgumentList.Add(argument);
            }

            using Process stat = Process.Start(start)!;
            string output = stat.StandardOutput.ReadToEnd().Trim();
            stat.WaitForExit();
            return output;
        }
    }

    internal static class JournalLineCounts
    {
        public static Dictionary<string, int> ByType(IEnumerable<string> lines) =>
            lines.Select(line => System.Text.Json.JsonDocument.Parse(line).RootElement.GetProperty("type").GetString()!)
                .GroupBy(type => type)
                .ToDictionary(group => group.Key, group => group.Count());
    }
}
