using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Seedance.Client.Journal;
using Seedance.Client.Models;

namespace Seedance.Client.Workflows
{
    /// <summary>
    /// What one New-SeedanceTask says once, at its end, about rows the journal matched, so that a re-run never pays or
    /// skips without a word (not only under -Verbose): rows whose Name already had a task (nothing created), named rows
    /// created anew although their Name has a task in another batch, and unnamed rows sent again although the same
    /// request was created recently. Thread-safe: rows are processed on worker threads.
    /// </summary>
    public sealed class RowNotes
    {
        private const int MaxNamesShown = 10;
        private readonly object _sync = new object();
        private readonly List<(string Name, JournalTaskSummary Task)> _reused = new List<(string, JournalTaskSummary)>();
        private readonly List<(string Name, string? Batch, JournalTaskSummary Other)> _elsewhere = new List<(string, string?, JournalTaskSummary)>();
        private readonly List<JournalTaskSummary> _sentAgainUnnamed = new List<JournalTaskSummary>();

        /// <summary>A row that made nothing: its Name already has <paramref name="task"/> in the journal.</summary>
        public void Reused(string name, JournalTaskSummary task)
        {
            lock (_sync)
            {
                _reused.Add((name, task));
            }
        }

        /// <summary>
        /// A row sent (or, under -WhatIf, that would be): noted when its Name has a task in another batch, or when it has no
        /// Name and matches a recent create of the same request (<paramref name="sent"/>: only a row really sent pays again).
        /// </summary>
        public void Sending(CreateTaskRequest request, CreateCheck check, bool sent)
        {
            lock (_sync)
            {
                if (check.NameInOtherBatch is JournalTaskSummary other && request.Name is not null)
                {
                    _elsewhere.Add((request.Name, request.Batch, other));
                }

                if (sent && check.SameUnnamed is JournalTaskSummary same)
                {
                    _sentAgainUnnamed.Add(same);
                }
            }
        }

        /// <summary>The command's closing lines, in this order: unnamed rows sent again, rows reused by Name, Names with tasks elsewhere.</summary>
        public IEnumerable<string> Announcements(bool whatIf, DateTimeOffset now)
        {
            lock (_sync)
            {
                return new[] { SentAgainUnnamed(now), ReusedByName(), NamesInOtherBatches(whatIf) }.OfType<string>().ToList();
            }
        }

        /// <summary>
        /// Rule: rows without a Name that matched recent creates of the same request were sent again, and paid again: said
        /// once per command (issue 16: a CSV without a Name column run twice paid twice without a word).
        /// </summary>
        private string? SentAgainUnnamed(DateTimeOffset now)
        {
            if (_sentAgainUnnamed.Count == 0)
            {
                return null;
            }

            DateTimeOffset oldest = _sentAgainUnnamed.Min(task => task.CreatedAt);
            int count = _sentAgainUnnamed.Count;
            string ids = string.Join(", ", _sentAgainUnnamed.Select(task => task.TaskId ?? "(outcome unknown)").Distinct().Take(5)) + (count > 5 ? ", ..." : string.Empty);
            return $"{count} {(count == 1 ? "row matches a task" : "rows match tasks")} created {CreateWorkflow.Age(now, oldest)} ago ({ids}) " +
                $"with the same request and no Name; {(count == 1 ? "it was" : "they were")} sent again, and paid again. Give each row a Name " +
                "(a Name column in the CSV): a re-run then uses the row's task instead of creating another.";
        }

        /// <summary>
        /// Rule: rows that made nothing because their Name already had a task are said in one line, with when, in which
        /// batch and where they were saved: "3 rows already have tasks from 2026-12-01 in /projects/a (saved in
        /// /projects/a/videos): fox, cat, dog; nothing created for them."
        /// </summary>
        private string? ReusedByName()
        {
            if (_reused.Count == 0)
            {
                return null;
            }

            List<(string Name, JournalTaskSummary Task)> rows = _reused;
            List<string> days = rows.Select(row => row.Task.CreatedAt.ToLocalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Distinct().OrderBy(day => day, StringComparer.Ordinal).ToList();
            string when = days.Count == 1 ? $"from {days[0]}" : $"from {days[0]} to {days[days.Count - 1]}";
            List<string> folders = rows.SelectMany(row => row.Task.SavedFiles).Select(file => Path.GetDirectoryName(file.Path) ?? file.Path)
                .Distinct(StringComparer.Ordinal).ToList();
            string saved = folders.Count == 0 ? "not saved yet" : "saved in " + string.Join(", ", folders.Take(3)) + (folders.Count > 3 ? ", ..." : string.Empty);
            // The batch the tasks belong to; a task journaled by 0.1.0 has none and matches in every batch.
            List<string> batches = rows.Select(row => row.Task.Batch ?? "any batch (journaled before batches)").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            string where = "in " + string.Join(", ", batches.Take(3)) + (batches.Count > 3 ? ", ..." : string.Empty) + $" ({saved})";
            string rowsText = rows.Count == 1 ? "1 row already has a task" : $"{rows.Count} rows already have tasks";
            return $"{rowsText} {when} {where}: {Names(rows.Select(row => row.Name))}; nothing created for {(rows.Count == 1 ? "it" : "them")} (the task journal's, by Name). " +
                "Give a row a new Name to create it again; Get-SeedanceTask -Name <name> shows its task.";
        }

        /// <summary>
        /// Rule: a named row created (or, under -WhatIf, that would be) although its Name has a task in another batch is
        /// said: a Name is a key within its batch (by default the folder), so the same CSV run from another folder pays
        /// again, and that must never happen without a word.
        /// </summary>
        private string? NamesInOtherBatches(bool whatIf)
        {
            if (_elsewhere.Count == 0)
            {
                return null;
            }

            var rows = _elsewhere;
            List<string> others = rows.Select(row => row.Other.Batch ?? "?").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            List<string> here = rows.Select(row => row.Batch ?? "?").Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            string rowsText = rows.Count == 1 ? "1 row has a Name with a task" : $"{rows.Count} rows have Names with tasks";
            string otherText = (others.Count == 1 ? "in another batch (" : "in other batches (") + string.Join(", ", others.Take(3)) + (others.Count > 3 ? ", ..." : string.Empty) + ")";
            string made = whatIf
                ? (rows.Count == 1 ? "it would be created anew" : "they would be created anew")
                : (rows.Count == 1 ? "it was created anew" : "they were created anew");
            return $"{rowsText} {otherText}: {Names(rows.Select(row => row.Name))}; {made} in this batch ({string.Join(", ", here)}){(whatIf ? string.Empty : ", and paid")}. " +
                "To use those tasks instead, run in that folder or pass -Batch with its name (Get-SeedanceTask -Batch * lists every batch).";
        }

        private static string Names(IEnumerable<string> names)
        {
            List<string> all = names.ToList();
            return string.Join(", ", all.Take(MaxNamesShown)) + (all.Count > MaxNamesShown ? $" and {all.Count - MaxNamesShown} more" : string.Empty);
        }
    }
}
