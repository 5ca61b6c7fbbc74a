using System;
using System.Collections.Generic;
using System.Linq;
using Seedance.Client.Journal;

namespace Seedance.Client.Workflows
{
    /// <summary>
    /// What Get-SeedanceTask lists without -TaskId: the journal's tasks that pass the filters, newest first, as last
    /// recorded (no request is made: the API cannot list). Without a batch filter, the tasks of the current folder's
    /// batch (as New-SeedanceTask names it), so a listing, and -Pending piped to Save-SeedanceVideo, is this project's.
    /// </summary>
    public sealed class TaskListing
    {
        private TaskListing(IReadOnlyList<object> items, string? warning)
        {
            Items = items;
            Warning = warning;
        }

        /// <summary>Each task as a <see cref="Models.SeedanceTask"/>, or a <see cref="Models.SeedanceUncertainCreate"/> for a create without a known outcome.</summary>
        public IReadOnlyList<object> Items { get; }

        /// <summary>
        /// With -Pending and no batch filter: how many pending tasks of other batches are not listed, and how to list them
        /// (nothing paid is hidden without a word); else null.
        /// </summary>
        public string? Warning { get; }

        /// <param name="query">The filters; a null <see cref="JournalQuery.BatchMatches"/> means the batch of <paramref name="currentFolder"/>.</param>
        public static TaskListing Of(JournalSnapshot snapshot, JournalQuery query, string currentFolder)
        {
            if (query.BatchMatches is not null)
            {
                return new TaskListing(Listed(snapshot.Find(query)), null);
            }

            // Compared as Names are, ignoring case; a task without a batch (0.1.0's) belongs to every batch.
            query.BatchMatches = batch => string.Equals(batch, currentFolder, StringComparison.OrdinalIgnoreCase);
            IReadOnlyList<JournalTaskSummary> found = snapshot.Find(query);
            query.BatchMatches = null;
            string? warning = null;
            if (query.Pending)
            {
                List<JournalTaskSummary> elsewhere = snapshot.Find(query).Except(found).ToList();
                if (elsewhere.Count > 0)
                {
                    List<string> where = elsewhere.Select(task => task.Batch!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
                    warning = $"{elsewhere.Count} pending task{(elsewhere.Count == 1 ? " of other batches is" : "s of other batches are")} not listed " +
                        $"({string.Join(", ", where.Take(3))}{(where.Count > 3 ? ", ..." : string.Empty)}): -Batch * lists every batch, or run this in the batch's folder.";
                }
            }

            return new TaskListing(Listed(found), warning);
        }

        private static IReadOnlyList<object> Listed(IEnumerable<JournalTaskSummary> tasks) =>
            tasks.Select(task => (object?)task.ToSeedanceTask() ?? task.ToUncertainCreate()).Where(item => item is not null).Select(item => item!).ToList();
    }
}
