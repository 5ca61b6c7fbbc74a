using System;
using System.Collections.Generic;
using System.Linq;

namespace Seedance.Client.Journal
{
    /// <summary>Commands the module's messages advise, written once so every message gives one that finds what it names.</summary>
    public static class JournalHints
    {
        /// <summary>
        /// The command that lists uncertain creates of these batches. Get-SeedanceTask lists the current folder's batch
        /// by default, so a create of a -Batch label or of another folder is named with its batch (several: every batch),
        /// and the command works from any folder and any later session.
        /// </summary>
        public static string ListUncertainCreates(IEnumerable<string?> batches)
        {
            List<string> named = batches.Where(batch => !string.IsNullOrEmpty(batch)).Select(batch => batch!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            string scope = named.Count == 0 ? string.Empty
                : named.Count == 1 ? " -Batch '" + named[0].Replace("'", "''") + "'"
                : " -Batch *";
            return "Get-SeedanceTask -Status OutcomeUnknown" + scope;
        }

        /// <summary>Wait-SeedanceTask's warning for a create it was given that has no task id to wait for (as -Pending lists it).</summary>
        public static string NotWaitedFor(Models.SeedanceUncertainCreate create) => !create.IsUncertain
            // In flight in a live process (WaitingForSlot, Sending): that process records its task; nothing to check.
            ? $"Not waited for: the create of {create.Request.Describe()} is {(create.Status == Models.SeedanceUncertainCreate.WaitingForSlot ? "waiting for a free slot" : "being sent")} " +
              $"({create.Reason}), so it has no task id yet. Run this again when that process has finished."
            : $"Not waited for: the create of {create.Request.Describe()}, sent at {create.SentAt.ToUniversalTime():u}, has an unknown outcome " +
              $"({create.Reason}), so there is no task id to wait for. The task may exist and be billed: look for it in your Seedance account's task history; " +
              "only if it is not there, send it again on purpose: Get-SeedanceTask -Status OutcomeUnknown" +
              (create.Name is null ? string.Empty : $" -Name '{create.Name.Replace("'", "''")}'") + " | New-SeedanceTask -Force.";
    }
}
