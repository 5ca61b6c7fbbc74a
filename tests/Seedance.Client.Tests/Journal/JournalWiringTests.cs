using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Files;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Waiting;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>
    /// What phase 2 (the cmdlets) needs of the library: the whole request journaled and restored (Name, -AdditionalInput),
    /// journaled tasks as the cmdlets emit them, an uncertain create that a forced re-send supersedes, file names from a
    /// row's Name, and the waiter's report of every state the service sent.
    /// </summary>
    public class JournalWiringTests : IDisposable
    {
        private readonly JournalFolder _folder = new JournalFolder();
        private readonly ManualClock _clock = new ManualClock();
        private readonly TaskJournal _journal;

        public JournalWiringTests()
        {
            _journal = _clock.Open(_folder.JournalPath);
        }

        public void Dispose() => _folder.Dispose();

        private static CreateTaskRequest FullRequest() => new CreateTaskRequest
        {
            Model = "seedance2-fast",
            Prompt = "The cat in @1 walks through @2",
            ImageUrls = new[] { "https://a/1.png", "https://a/2.png" },
            VideoUrls = new[] { "https://a/dance.mp4" },
            Ratio = "9:16",
            Duration = 8,
            Mode = "reference",
            CallbackUri = new Uri("https://hooks.example/x?y=1"),
            Name = "row-7",
            AdditionalInputs = new Dictionary<string, object?>
            {
                ["seed"] = 42,
                ["outputResolution"] = "720p",
                ["camera"] = new Dictionary<string, object?> { ["pan"] = true, ["speeds"] = new object?[] { 1, 2.5m } },
            },
        };

        [Fact]
        public void CarryOver_FillsInWhatTheServiceDoesNotEcho_NotWhatItReports_AndTheStateIsRecorded()
        {
            CreateTaskRequest asked = new CreateTaskRequest { Prompt = "A red fox", Duration = 10, Ratio = "9:16", Name = "row-7", Batch = "/data/foxes" };
            JournalReservation reservation = _journal.ReserveCreate(asked, asked.Name, 200m);
            _journal.RecordCreated(reservation, "task_7");
            JournalTaskSummary known = _journal.Read().FindTask("task_7")!;

            // recordInfo echoes none of the row's words; the model and times it reports are its own.
            SeedanceTask answer = new SeedanceTask("task_7") { Status = SeedanceTaskStatus.Generating, Model = "seedance-20-fast" };
            known.CarryOverTo(answer);
            Assert.True(_journal.RecordStatus(answer));
            Assert.Equal(("row-7", "/data/foxes", "A red fox", 10, "9:16"), (answer.Name, answer.Batch, answer.Prompt, answer.Duration, answer.Ratio));
            Assert.Equal("seedance-20-fast", answer.Model);
            Assert.Null(answer.CompletedAt);
            Assert.Equal(JournalTaskState.Generating, _journal.Read().FindTask("task_7")!.State);

            // What the answer does carry is kept; the same state is not written twice; an unknown task is left as it is.
            SeedanceTask again = new SeedanceTask("task_7") { Status = SeedanceTaskStatus.Generating, Prompt = "the service's words" };
            known.CarryOverTo(again);
            Assert.False(_journal.RecordStatus(again));
            Assert.Equal(("row-7", "the service's words"), (again.Name, again.Prompt));
            SeedanceTask stranger = new SeedanceTask("task_other") { Status = SeedanceTaskStatus.Waiting };
            _journal.RecordStatus(stranger);
            Assert.Null(stranger.Name);
        }

        [Fact]
        public void AnUnknownOutcome_KeepsTheWholeRequest_SoSendingItAgainSendsTheSameBody()
        {
            CreateTaskRequest asked = FullRequest();
            JournalReservation reservation = _journal.ReserveCreate(asked, asked.Name, 224m);
            _journal.RecordOutcomeUnknown(reservation, "no answer");

            // A fresh reader: only what is on disk.
            JournalTaskSummary unknown = _clock.Open(_folder.JournalPath).Read().Tasks.Single();
            SeedanceUncertainCreate listed = unknown.ToUncertainCreate()!;
            Assert.Equal(SeedanceUncertainCreate.OutcomeUnknown, listed.Status);
            Assert.Equal("row-7", listed.Name);
            Assert.Equal(224m, listed.CreditsReserved);
            Assert.Equal(Json.CreateTaskBodyWriter.Write(asked), Json.CreateTaskBodyWriter.Write(listed.Request));
            Assert.Equal(42L, listed.AdditionalInputs["seed"]);
            Assert.Null(unknown.ToSeedanceTask());
        }

        [Fact]
        public void ARequestWrittenBeforeNamesAndInputsWereJournaled_StillReads_WithTheRecordsName()
        {
            _folder.AppendRaw("{\"v\":1,\"type\":\"intent\",\"time\":\"2026-11-25T11:00:00.000Z\",\"intent\":\"i1\",\"name\":\"old-row\",\"credits\":200," +
                "\"request\":{\"model\":\"seedance-20\",\"prompt\":\"old\",\"ratio\":\"16:9\",\"duration\":5}}\n");
            JournalTaskSummary summary = _journal.Read().Tasks.Single();
            Assert.Equal("old-row", summary.Request!.Name);
            Assert.Empty(summary.Request.AdditionalInputs);
            Assert.Equal("old-row", summary.ToUncertainCreate()!.Name);
        }

        [Fact]
        public void AJournaledTask_IsEmittedWithItsName()
        {
            JournalTestData.Create(_journal, "task_a", "row-1");
            SeedanceTask task = _journal.Read().FindTask("task_a")!.ToSeedanceTask()!;
            Assert.Equal(("task_a", "row-1", "A red fox in fresh snow"), (task.TaskId, task.Name, task.Prompt));
        }

        [Fact]
        public void AnUnknownOutcome_SupersededByAForcedResendThatGotATask_NoLongerPending_ButStillListedAndCounted()
        {
            JournalReservation lost = _journal.ReserveCreate(JournalTestData.Request("lost"), "row-1", 200m);
            _journal.RecordOutcomeUnknown(lost, "no answer");
            JournalReservation other = _journal.ReserveCreate(JournalTestData.Request("other"), "row-2", 200m);
            _journal.RecordOutcomeUnknown(other, "no answer");
            _clock.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(JournalReservationOutcome.PossibleDuplicate, _journal.ReserveCreate(JournalTestData.Request("lost"), "row-1", 200m).Outcome);
            JournalReservation forced = _journal.ReserveCreate(JournalTestData.Request("lost"), "ROW-1", 200m, force: true);
            Assert.Equal(JournalReservationOutcome.Reserved, forced.Outcome);
            _journal.RecordCreated(forced, "task_resent");

            JournalSnapshot snapshot = _journal.Read();
            Assert.Equal(new[] { "task_resent", null }, snapshot.Find(new JournalQuery { Pending = true }).Select(task => task.TaskId).Take(2).ToArray());
            Assert.Equal(new[] { "row-2" }, snapshot.Find(new JournalQuery { Pending = true }).Where(task => task.IsOutcomeUnknown).Select(task => task.Name).ToArray());
            Assert.Equal(2, snapshot.Find(new JournalQuery { States = new[] { JournalTaskState.OutcomeUnknown } }).Count);
            Assert.Equal(600m, _journal.SpentToday());
        }

        [Fact]
        public void CheckCreate_AnswersTheNameAndTheBudget_WithoutWritingAnything()
        {
            JournalTestData.Create(_journal, "task_a", "row-1", credits: 300m);
            JournalReservation lost = _journal.ReserveCreate(JournalTestData.Request("lost"), "row-2", 200m);
            _journal.RecordOutcomeUnknown(lost, "no answer");
            int lines = _folder.Lines().Length;

            JournalReservation existing = _journal.CheckCreate("ROW-1", 1000m);
            Assert.Equal(JournalReservationOutcome.ExistingTask, existing.Outcome);
            Assert.Equal(JournalReservationOutcome.ExistingTask, existing.Outcome);
            Assert.Equal("task_a", existing.Task!.TaskId);
            Assert.Equal(500m, existing.Spent);
            Assert.Equal(JournalReservationOutcome.Reserved, _journal.CheckCreate(null, 1000m, credits: 500m).Outcome); // fits exactly
            Assert.Equal(JournalReservationOutcome.BudgetExceeded, _journal.CheckCreate(null, 1000m, credits: 501m).Outcome);
            Assert.Equal(JournalReservationOutcome.PossibleDuplicate, _journal.CheckCreate("row-2", null).Outcome);
            Assert.Null(_journal.CheckCreate("row-2", null).Spent);
            Assert.Equal(JournalReservationOutcome.Reserved, _journal.CheckCreate("row-3", null).Outcome);
            Assert.Equal(lines, _folder.Lines().Length);
            Assert.Equal(JournalReservationOutcome.Reserved, TaskJournal.Disabled.CheckCreate("row-1", null).Outcome);
        }

        [Fact]
        public void CheckCreate_DecidesAsReserveCreateDoes_TheNameThenForceThenTheDailyLimit()
        {
            JournalTestData.Create(_journal, "task_done", "done", credits: 300m);
            JournalReservation lost = _journal.ReserveCreate(JournalTestData.Request("lost"), "lost", 200m);
            _journal.RecordOutcomeUnknown(lost, "no answer");
            (string Name, bool Force, decimal Credits, JournalReservationOutcome Expected)[] cases =
            {
                ("done", false, 100m, JournalReservationOutcome.ExistingTask),
                ("done", true, 100m, JournalReservationOutcome.ExistingTask), // -Force never pays again for a row that has its task
                ("done", true, 900m, JournalReservationOutcome.ExistingTask), // nor is the row's task refused for the limit
                ("lost", false, 100m, JournalReservationOutcome.PossibleDuplicate),
                ("lost", true, 100m, JournalReservationOutcome.Reserved),
                ("lost", true, 600m, JournalReservationOutcome.BudgetExceeded), // forced past the Name, not past the limit (500 spent)
                ("new", false, 501m, JournalReservationOutcome.BudgetExceeded),
                ("new", false, 500m, JournalReservationOutcome.Reserved),
            };

            foreach ((string name, bool force, decimal credits, JournalReservationOutcome expected) in cases)
            {
                JournalReservation check = _journal.CheckCreate(name, 1000m, JournalTestData.Request(name), null, credits, force);
                Assert.Equal((name, force, credits, expected), (name, force, credits, check.Outcome));
                Assert.Null(check.IntentId);

                JournalReservation reserved = _journal.ReserveCreate(JournalTestData.Request(name), name, credits, 1000m, force);
                Assert.Equal((name, force, credits, expected), (name, force, credits, reserved.Outcome));
                Assert.Equal(expected == JournalReservationOutcome.Reserved, reserved.IntentId is not null);
                if (reserved.IntentId is not null)
                {
                    _journal.RecordCreateRefused(reserved, "Test", "refused, so the next case starts from the same journal");
                }
            }
        }

        [Theory]
        [InlineData("row 7", "row 7")]
        [InlineData("Quarterly: intro/v2", "Quarterly_ intro_v2")]
        [InlineData("a\\b*c?d\"e<f>g|h", "a_b_c_d_e_f_g_h")]
        [InlineData("  trailing dots... ", "trailing dots")]
        [InlineData(".hidden", "_hidden")]
        [InlineData("CON", "_CON")]
        [InlineData("nul.txt", "_nul.txt")]
        [InlineData("tab\there", "tab_here")]
        [InlineData("rtl\u202Eoverride", "rtl_override")]
        [InlineData("猫の動画", "猫の動画")]
        [InlineData("///", null)]
        [InlineData("...", null)]
        [InlineData("   ", null)]
        [InlineData(null, null)]
        public void TaskFileName_MakesANameSafe_OrGivesUp(string? name, string? stem)
        {
            Assert.Equal(stem, TaskFileName.Stem(name));
            if (stem is not null)
            {
                Assert.Null(TaskFileName.Problem(stem));
            }
        }

        [Fact]
        public void TaskFileName_CutsALongName_ToWhatAFileNameHolds_WithoutSplittingACharacter_AndEndsItWithItsHash()
        {
            string stem = TaskFileName.Stem(new string('x', 199) + "😀😀")!;
            Assert.True(System.Text.Encoding.UTF8.GetByteCount(stem) <= TaskFileName.MaxIdBytes);
            Assert.Matches("^x{191}~[0-9a-f]{8}$", stem);
            Assert.Null(TaskFileName.Problem(stem));
        }

        [Fact]
        public void TaskFileName_TwoLongNamesWithACommonPrefix_NeverShareAFile()
        {
            string prefix = new string('p', 200);
            string? first = TaskFileName.Stem(prefix + " take 1");
            string? second = TaskFileName.Stem(prefix + " take 2");
            Assert.NotNull(first);
            Assert.NotNull(second);
            Assert.NotEqual(first, second, StringComparer.OrdinalIgnoreCase);
            Assert.Equal(first, TaskFileName.Stem(prefix + " take 1"));
        }

        [Theory]
        [InlineData("promo_a", "task_b", "promo_a_task_b")]
        [InlineData("promo_a", "../../etc/x", "promo_a_")]
        public void TaskFileName_ForAnotherTask_IsStableAndSafe(string stem, string taskId, string expectedStart)
        {
            string other = TaskFileName.ForAnotherTask(stem, taskId);
            Assert.StartsWith(expectedStart, other);
            Assert.Null(TaskFileName.Problem(other));
            Assert.Equal(other, TaskFileName.ForAnotherTask(stem, taskId));
        }

        [Fact]
        public void TaskFileName_ForAnotherTask_OfALongStem_StillFitsAFileName()
        {
            string stem = TaskFileName.Stem(new string('y', 300))!;
            string other = TaskFileName.ForAnotherTask(stem, "task_0123456789abcdef");
            Assert.EndsWith("_task_0123456789abcdef", other);
            Assert.Null(TaskFileName.Problem(other));
        }

        [Fact]
        public async Task TheWaiter_ReportsEveryStateTheServiceSent_NeverTheTaskAsItWasHandedIn()
        {
            int polls = 0;
            Task<SeedanceTask> Poll(string id, CancellationToken token) => Task.FromResult(new SeedanceTask(id)
            {
                Status = Interlocked.Increment(ref polls) < 3 ? SeedanceTaskStatus.Generating : SeedanceTaskStatus.Success,
                StatusText = "from the service",
            });

            List<SeedanceTask> seen = new List<SeedanceTask>();
            TaskWaiter waiter = new TaskWaiter(Poll, new WaitOptions { PollInterval = TimeSpan.FromMilliseconds(5) }, e =>
            {
                if (e.Kind == WaitEventKind.Read)
                {
                    seen.Add(e.Task!);
                }
            });
            SeedanceTask stale = new SeedanceTask("task_1") { Status = SeedanceTaskStatus.Waiting, StatusText = "stale", Name = "row-1" };
            await waiter.WaitAsync(new[] { stale }, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

            Assert.Equal(3, seen.Count);
            Assert.All(seen, task => Assert.Equal("from the service", task.StatusText));
            Assert.All(seen, task => Assert.Equal("row-1", task.Name)); // what only the creator knew, carried over
            Assert.Equal(SeedanceTaskStatus.Success, seen.Last().Status);
        }
    }
}
