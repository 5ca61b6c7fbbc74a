using System;
using System.Collections.Generic;
using System.Linq;
using Seedance.Client.Journal;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// The named rows of one New-SeedanceTask that were created (or, under -WhatIf, would be) although their Name has a
    /// task in another batch, said in one line at the end of the command: a Name is a key within its batch (by default
    /// the folder), so the same CSV run from another folder pays again, and that must never happen without a word.
    /// "2 rows have Names with tasks in another batch (/projects/a): fox, cat; they were created anew in this batch
    /// (/projects/b), and paid. To use those tasks, run in that folder or pass -Batch."
    /// </summary>
    internal sealed class NamesInOtherBatches
    {
        private const int MaxNamesShown = 10;
        private readonly object _sync = new object();
        private readonly List<(string Name, string? Batch, JournalTaskSummary Other)> _rows = new List<(string, string?, JournalTaskSummary)>();

        public void Add(string name, string? batch, JournalTaskSummary other)
        {
            lock (_sync)
            {
                _rows.Add((name, batch, other));
            }
        }

        /// <summary>The line, or null when no created row's Name had a task elsewhere.</summary>
        public string? Announcement(bool whatIf)
        {
            List<(string Name, string? Batch, JournalTaskSummary Other)> rows;
            lock (_sync)
            {
                rows = _rows.ToList();
            }

            if (rows.Count == 0)
            {
                return null;
            }

            List<string> others = rows.Select(row => row.Other.Batch ?? "?").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            List<string> here = rows.Select(row => row.Batch ?? "?").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            string names = string.Join(", ", rows.Take(MaxNamesShown).Select(row => row.Name)) + (rows.Count > MaxNamesShown ? $" and {rows.Count - MaxNamesShown} more" : string.Empty);
            string rowsText = rows.Count == 1 ? "1 row has a Name with a task" : $"{rows.Count} rows have Names with tasks";
            string otherText = (others.Count == 1 ? "in another batch (" : "in other batches (") + string.Join(", ", others.Take(3)) + (others.Count > 3 ? ", ..." : string.Empty) + ")";
            string made = whatIf
                ? (rows.Count == 1 ? "it would be created anew" : "they would be created anew")
                : (rows.Count == 1 ? "it was created anew" : "they were created anew");
            return $"{rowsText} {otherText}: {names}; {made} in this batch ({string.Join(", ", here)}){(whatIf ? string.Empty : ", and paid")}. " +
                "To use those tasks instead, run in that folder or pass -Batch with its name (Get-SeedanceTask -Batch * lists every batch).";
        }
    }
}
