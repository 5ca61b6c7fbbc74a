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
        /// Whether the process that journaled a create at <paramref name="since"/> is known to be alive, so that its create
        /// is shown as in flight (WaitingForSlot, Sending) rather than uncertain. A create without a process id (an older
        /// journal) is not; a process of another machine cannot be checked and counts as alive, the side on which nobody
        /// sends its row again while it may still be answered.
        /// </summary>
        public static bool IsAlive(int? processId, string? host, DateTimeOffset since) =>
            processId is int id && id > 0 && (id != CurrentId || StartedBefore(since)) && !HasEnded(processId, host, since);

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
        /// <paramref name="since"/>, has ended. Only provable on this machine: a process of another machine (a journal on
        /// a shared drive) counts as running, so its create stays in flight. A process id now used by a process started
        /// after the record is a new process: the old one ended; that holds for this process's own id too.
        /// </summary>
        public static bool HasEnded(int? processId, string? host, DateTimeOffset since)
        {
            if (processId is not int id || id <= 0 || host is null || !string.Equals(host, CurrentHost(), StringComparison.OrdinalIgnoreCase))
            {
                return false;
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
