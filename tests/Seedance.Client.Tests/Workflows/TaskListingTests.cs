using System;
using System.Linq;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Workflows;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>What Get-SeedanceTask lists without -TaskId: by default the current folder's batch, and no pending task hidden without a word.</summary>
    public class TaskListingTests : OpenJournalTests
    {
        private const string Here = "/work/promo";

        private void Created(string taskId, string name, string? batch)
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            CreateTaskRequest request = JournalTestData.Request();
            request.Batch = batch;
            JournalReservation reservation = _journal.ReserveCreate(request, name, 200m);
            _journal.RecordCreated(reservation, taskId);
        }

        private void Batches()
        {
            Created("task_here", "row-1", Here);
            Created("task_here_case", "row-2", "/WORK/PROMO");
            Created("task_there", "row-1", "/work/other");
            Created("task_third", "row-1", "/work/third");
            Created("task_old", "row-0", null); // journaled by 0.1.0: no batch
        }

        private static string[] Ids(TaskListing listing) => listing.Items.Cast<SeedanceTask>().Select(task => task.TaskId).ToArray();

        [Fact]
        public void WithoutABatchFilter_TheCurrentFoldersBatchIsListed_IgnoringCase_WithTasksOfNoBatch()
        {
            Batches();

            TaskListing listing = TaskListing.Of(_journal.Read(), new JournalQuery(), Here);

            Assert.Equal(new[] { "task_old", "task_here_case", "task_here" }, Ids(listing));
            Assert.Null(listing.Warning);
        }

        [Fact]
        public void PendingWithoutABatchFilter_SaysHowManyPendingTasksOfOtherBatchesAreNotListed()
        {
            Batches();

            TaskListing listing = TaskListing.Of(_journal.Read(), new JournalQuery { Pending = true }, Here);

            Assert.Equal(new[] { "task_old", "task_here_case", "task_here" }, Ids(listing));
            Assert.Equal(
                "2 pending tasks of other batches are not listed (/work/third, /work/other): -Batch * lists every batch, or run this in the batch's folder.",
                listing.Warning);
        }

        [Fact]
        public void ABatchFilter_ListsWhatItMatches_AndWarnsOfNothing()
        {
            Batches();

            TaskListing listing = TaskListing.Of(_journal.Read(), new JournalQuery { Pending = true, BatchMatches = _ => true }, Here);

            Assert.Equal(new[] { "task_old", "task_third", "task_there", "task_here_case", "task_here" }, Ids(listing));
            Assert.Null(listing.Warning);
        }

        [Fact]
        public void ACreateWithoutAKnownOutcome_IsListedAsAnUncertainCreate()
        {
            _clock.Advance(TimeSpan.FromMinutes(1));
            CreateTaskRequest request = JournalTestData.Request("the lost one");
            request.Batch = Here;
            JournalReservation lost = _journal.ReserveCreate(request, "row-9", 200m);
            _journal.RecordOutcomeUnknown(lost, "no answer within 100 s");

            SeedanceUncertainCreate listed = Assert.IsType<SeedanceUncertainCreate>(Assert.Single(TaskListing.Of(_journal.Read(), new JournalQuery(), Here).Items));
            Assert.Equal("row-9", listed.Name);
        }
    }
}
