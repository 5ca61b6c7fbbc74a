using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Seedance.Client.Journal;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// The rows of one New-SeedanceTask that made nothing because their Name already had a task in the journal, said in
    /// one line at the end of the command (not only under -Verbose): a Name is a key within its batch (by default the
    /// folder), and a re-run that pays nothing must still say which rows it took from where.
    /// "3 rows already have tasks from 2026-12-01 in /projects/a (saved in /projects/a/videos): fox, cat, dog; nothing created for them."
    /// </summary>
    internal sealed class ReusedRows
    {
        private const int MaxNamesShown = 10;
        private readonly object _sync = new object();
        private readonly List<(string Name, JournalTaskSummary Task)> _rows = new List<(string, JournalTaskSummary)>();

        public void Add(string name, JournalTaskSummary task)
        {
            lock (_sync)
            {
                _rows.Add((name, task));
            }
        }

        /// <summary>The line, or null when every row was created.</summary>
        public string? Announcement()
        {
            List<(string Name, JournalTaskSummary Task)> rows;
            lock (_sync)
            {
                rows = _rows.ToList();
            }

            if (rows.Count == 0)
            {
                return null;
            }

            List<string> days = rows.Select(row => row.Task.CreatedAt.ToLocalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Distinct().OrderBy(day => day, StringComparer.Ordinal).ToList();
            string when = days.Count == 1 ? $"from {days[0]}" : $"from {days[0]} to {days[days.Count - 1]}";
            List<string> folders = rows.SelectMany(row => row.Task.SavedFiles).Select(file => Path.GetDirectoryName(file.Path) ?? file.Path)
                .Distinct(StringComparer.Ordinal).ToList();
            string saved = folders.Count == 0 ? "not saved yet" : "saved in " + string.Join(", ", folders.Take(3)) + (folders.Count > 3 ? ", ..." : string.Empty);
            // The batch the tasks belong to; a task journaled by 0.1.0 has none and matches in every batch.
            List<string> batches = rows.Select(row => row.Task.Batch ?? "any batch (journaled before batches)").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            string where = "in " + string.Join(", ", batches.Take(3)) + (batches.Count > 3 ? ", ..." : string.Empty) + $" ({saved})";
            string names = string.Join(", ", rows.Take(MaxNamesShown).Select(row => row.Name)) + (rows.Count > MaxNamesShown ? $" and {rows.Count - MaxNamesShown} more" : string.Empty);
            string rowsText = rows.Count == 1 ? "1 row already has a task" : $"{rows.Count} rows already have tasks";
            return $"{rowsText} {when} {where}: {names}; nothing created for {(rows.Count == 1 ? "it" : "them")} (the task journal's, by Name). " +
                "Give a row a new Name to create it again; Get-SeedanceTask -Name <name> shows its task.";
        }
    }
}
