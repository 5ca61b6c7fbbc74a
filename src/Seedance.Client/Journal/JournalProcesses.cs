using System;
using System.ComponentModel;
using System.Diagnostics;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// Which process journaled a create, and whether it is gone: a create that was only waiting for a free slot is
    /// abandoned (never taken by the service) once its process has ended, but still in flight while it runs.
    /// </summary>
    internal static class JournalProcesses
    {
        public static readonly int CurrentId = Process.GetCurrentProcess().Id;

        public static string? CurrentHost()
        {
            try
            {
                return Environment.MachineName;
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }

        /// <summary>
        /// How long a create journaled by a process of another machine counts as in flight after its latest record. Its
        /// process cannot be looked up from here, and containers and runbook sandboxes get a new host name on each run,
        /// so "alive while we cannot tell" would block its row for ever after a kill -9 there. Rule: a live process's
        /// create is never silent longer than one try (<see cref="Http.SeedanceClientOptions.LongestCreateTry"/>: connection
        /// tries, the longest request timeout anyone can set, the stop grace; a slot wait writes a record on each 429 and
        /// before each try, and waits at most <see cref="Http.SlotWait.MaximumDelay"/> between them), plus room for the two
        /// machines' clocks to differ. A create silent longer has no live sender: it is OutcomeUnknown (settled with
        /// Register-SeedanceTask, sent again with -Force), or, when its last word was a 429, never taken. Only a process
        /// frozen longer than that (a suspended VM) that wakes up and sends could meet a second sender; 70 minutes of
        /// blocking is the price of that margin, instead of for ever.
        /// </summary>
        public static readonly TimeSpan OtherHostSilence = Http.SeedanceClientOptions.LongestCreateTry + TimeSpan.FromMinutes(5);

        /// <summary>This process started before <paramref name="since"/> (so a record of its id at that time is its own, not a reused id's).</summary>
        private static bool StartedBefore(DateTimeOffset since)
        {
            try
            {
                using (Process current = Process.GetCurrentProcess())
                {
                    return current.StartTime.ToUniversalTime() <= since.UtcDateTime.AddSeconds(1);
                }
            }
            catch (Exception e) when (e is InvalidOperationException || e is Win32Exception || e is NotSupportedException)
            {
                return true;
            }
        }

        /// <summary>
        /// Whether process <paramref name="processId"/> of <paramref name="host"/>, which journaled a create at
        /// <paramref name="since"/> and last wrote for it at <paramref name="lastRecord"/>, has ended by
        /// <paramref name="now"/>. On this machine the process table says: a process id now used by a process started
        /// after the record is a new process (the old one ended), and that holds for this process's own id too. A process
        /// of another machine (or of no recorded machine) has ended once its create is silent longer than
        /// <see cref="OtherHostSilence"/>.
        /// </summary>
        public static bool HasEnded(int? processId, string? host, DateTimeOffset since, DateTimeOffset lastRecord, DateTimeOffset now)
        {
            if (processId is not int id || id <= 0)
            {
                return false;
            }

            if (host is null || !string.Equals(host, CurrentHost(), StringComparison.OrdinalIgnoreCase))
            {
                return now - lastRecord > OtherHostSilence;
            }

            if (id == CurrentId)
            {
                // This process's id, but written before this process started: an earlier process that had the same id
                // (pid reuse, common in containers where pids restart at 1) wrote it, and that process has ended.
                return !StartedBefore(since);
            }

            try
            {
                using (Process process = Process.GetProcessById(id))
                {
                    if (process.HasExited)
                    {
                        return true;
                    }

                    // Started after the record (a second's slack for clock granularity): the id was reused.
                    return process.StartTime.ToUniversalTime() > since.UtcDateTime.AddSeconds(1);
                }
            }
            catch (ArgumentException)
            {
                return true; // no process with that id
            }
            catch (Exception e) when (e is InvalidOperationException || e is Win32Exception || e is NotSupportedException)
            {
                return false; // cannot tell: keep the create in flight (the safe side)
            }
        }
    }
}
