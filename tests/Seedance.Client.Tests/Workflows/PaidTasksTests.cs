using System.Linq;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Workflows;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>The rules of the one account of paid tasks and of the early-end warning that reads it, each named after the rule.</summary>
    public class PaidTasksTests : OpenJournalTests
    {
        private static SeedanceTask Running(string id) => new SeedanceTask(id) { Status = SeedanceTaskStatus.Generating, StatusText = "GENERATING" };

        private static SeedanceTask Failed(string id) => new SeedanceTask(id)
        {
            Status = SeedanceTaskStatus.Fail,
            StatusText = "FAIL",
            Error = new SeedanceTaskError("2038", "Your input text violates platform rules. Please modify and try again."),
        };

        [Fact]
        public void A_task_saved_through_this_account_is_not_named()
        {
            PaidTasks account = new PaidTasks("/start");
            account.Track(Running("task_a"));
            account.Track(Running("task_b"));
            account.MarkSaved("task_a");

            Assert.Equal(new[] { "task_b" }, account.UnsavedIds(readJournal: false));
            string report = account.TakeReport()!;
            Assert.DoesNotContain("task_a", report);
            Assert.Contains("Wait-SeedanceTask -TaskId task_b | Save-SeedanceVideo -Path '/start'", report);
        }

        [Fact]
        public void A_task_the_journal_records_as_saved_before_the_warning_is_left_out()
        {
            PaidTasks account = new PaidTasks("/start");
            account.UseJournal(_journal);
            SeedanceTask saved = Running("task_saved_elsewhere");
            account.Track(saved);
            account.Track(Running("task_unsaved"));
            _journal.RecordStatus(saved);
            _journal.RecordSaved("task_saved_elsewhere", "/videos/task_saved_elsewhere.mp4", 1000);

            Assert.Equal(new[] { "task_unsaved" }, account.UnsavedIds());
            string report = account.TakeReport()!;
            Assert.DoesNotContain("task_saved_elsewhere", report);
            Assert.Contains(_folder.JournalPath, report);
        }

        [Fact]
        public void Nothing_unsaved_is_no_warning()
        {
            PaidTasks account = new PaidTasks("/start");
            account.Track(Running("task_a"));
            account.MarkSaved("task_a");

            Assert.Null(account.TakeReport());
        }

        [Fact]
        public void Failed_tasks_are_named_apart_with_their_class_and_left_out_of_the_command()
        {
            PaidTasks account = new PaidTasks("/start");
            account.Track(Failed("task_failed"));
            account.Track(Running("task_running"));

            string report = account.TakeReport()!;
            Assert.Contains("The pipeline ended before 1 paid Seedance task(s) were saved: task_running", report);
            Assert.Contains("1 task(s) failed at the service and have no video (failed tasks are refunded): task_failed (Input: error 2038", report);
            Assert.EndsWith("Wait-SeedanceTask -TaskId task_running | Save-SeedanceVideo -Path '/start'", report);
            Assert.Equal(new[] { "task_running" }, account.UnsavedIds(readJournal: false));
        }

        [Fact]
        public void The_command_saves_into_the_users_folder_and_says_when_Save_got_none_of_them()
        {
            PaidTasks account = new PaidTasks("/start") { SaveFolder = "/my videos/it's" };
            account.Track(Running("task_a"));

            string report = account.TakeReport()!;
            Assert.Contains("Save-SeedanceVideo got none of them.", report);
            Assert.EndsWith("Save-SeedanceVideo -Path '/my videos/it''s'", report);
        }

        [Fact]
        public void A_Save_that_got_tasks_is_not_said_to_have_got_none()
        {
            PaidTasks account = new PaidTasks("/start") { SaveFolder = "/videos" };
            account.Track(Running("task_a"));
            account.SaveReached("/videos");

            Assert.DoesNotContain("got none", account.TakeReport()!);
        }

        [Fact]
        public void The_warning_is_given_once_and_the_copy_on_stop_does_not_use_it_up()
        {
            PaidTasks account = new PaidTasks("/start");
            account.Track(Running("task_a"));

            Assert.NotNull(account.TakeReport(onStop: true));
            Assert.Null(account.TakeReport(onStop: true));
            Assert.NotNull(account.TakeReport());
            Assert.Null(account.TakeReport());
        }

        [Fact]
        public void A_task_object_leads_to_its_pipelines_account_until_the_pipeline_is_over()
        {
            PaidTasks account = new PaidTasks(null);
            SeedanceTask task = Running("task_a");
            account.Track(task);

            Assert.Same(account, PaidTasks.OpenAccountOf(task));
            account.Close();
            Assert.Null(PaidTasks.OpenAccountOf(task));
        }

        [Fact]
        public void An_uncertain_create_is_named_with_where_to_look()
        {
            PaidTasks account = new PaidTasks("/start");
            account.UseJournal(_journal);
            account.AddUncertainCreate(new CreateTaskRequest { Prompt = "did it get created?" });

            string report = account.TakeReport()!;
            Assert.Contains("A create for prompt 'did it get created?' was sent but its answer never came", report);
            Assert.Contains("Get-SeedanceTask -Status OutcomeUnknown", report);
            Assert.DoesNotContain("Finish them with", report);
        }
    }
}
