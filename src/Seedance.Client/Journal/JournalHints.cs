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
    }
}
