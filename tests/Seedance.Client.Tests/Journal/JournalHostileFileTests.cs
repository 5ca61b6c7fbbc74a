using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Tasks;
using Seedance.Client.Journal;
using Xunit;
using Xunit.Abstractions;

namespace Seedance.Client.Tests
{
    /// <summary>
    /// Issue 15's attacks on the journal's files, one test each: the journal opens only a regular file of the user's
    /// own, never through a link, in a folder no one else can write (JournalInsecure otherwise, naming the path), and
    /// reads a hostile file with bounded memory and checked numbers.
    /// </summary>
    public class JournalHostileFileTests : IDisposable
    {
        private static readonly bool IsUnix = !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        private static readonly bool IsRoot = IsUnix && Files.UnixFileStatus.CurrentUser == 0;

        private readonly JournalFolder _folder = new JournalFolder();
        private readonly ITestOutputHelper _output;

        public JournalHostileFileTests(ITestOutputHelper output)
        {
            _output = output;
        }

        public void Dispose()
        {
            Run("chown", "-R", "0:0", _folder.Root); // as root, give back what a test handed to another user
            Run("chmod", "-R", "u+rwX", _folder.Root);
            _folder.Dispose();
        }

        [Fact]
        public void SymlinkedJournal_IsRefused_AndItsTargetIsNotWritten()
        {
            if (!IsUnix)
            {
                return;
            }

            string target = Path.Combine(_folder.Root, "someone-elses.txt");
            File.WriteAllText(target, "precious\n");
            File.CreateSymbolicLink(_folder.JournalPath, target);

            JournalException refused = Assert.Throws<JournalException>(() => TaskJournal.Open(_folder.JournalPath));

            AssertInsecure(refused, _folder.JournalPath, "symbolic link");
            Assert.Equal("precious\n", File.ReadAllText(target));
        }

        [Theory]
        [InlineData("journal.jsonl")]
        [InlineData("journal.jsonl.lock")]
        public void DanglingSymlink_IsRefused_AndItsTargetIsNotCreated(string which)
        {
            if (!IsUnix)
            {
                return;
            }

            string target = Path.Combine(_folder.Root, "planted-target");
            string link = Path.Combine(_folder.Root, which);
            File.CreateSymbolicLink(link, target);

            JournalException refused = Assert.Throws<JournalException>(() => TaskJournal.Open(_folder.JournalPath));

            AssertInsecure(refused, link, "symbolic link");
            Assert.False(File.Exists(target));
        }

        [Theory]
        [InlineData("folder", "777")]
        [InlineData("folder", "775")]
        [InlineData("file", "666")]
        [InlineData("file", "620")]
        public void WritableByOthers_IsRefused(string which, string mode)
        {
            if (!IsUnix)
            {
                return;
            }

            TaskJournal.Open(_folder.JournalPath).RecordSaved("task_1", "/videos/a.mp4", 1);
            string path = which == "folder" ? _folder.Root : _folder.JournalPath;
            Run("chmod", mode, path);

            JournalException refused = Assert.Throws<JournalException>(() => TaskJournal.Open(_folder.JournalPath));

            AssertInsecure(refused, path, "other users can write it");
            Assert.Contains("chmod", refused.Message);
        }

        [Theory]
        [InlineData("folder")]
        [InlineData("file")]
        [InlineData("lock")]
        public void OwnedByAnotherUser_IsRefused(string which)
        {
            if (!IsRoot)
            {
                _output.WriteLine("Skipped: handing a file to another user (chown) needs root; this runs as user " + Files.UnixFileStatus.CurrentUser + ".");
                return;
            }

            TaskJournal.Open(_folder.JournalPath).RecordSaved("task_1", "/videos/a.mp4", 1);
            string path = which == "folder" ? _folder.Root : which == "lock" ? _folder.JournalPath + ".lock" : _folder.JournalPath;
            Run("chown", "65534:65534", path); // nobody

            JournalException refused = Assert.Throws<JournalException>(() => TaskJournal.Open(_folder.JournalPath));

            AssertInsecure(refused, path, "belongs to user id 65534");
        }

        [Fact]
        public void DevNull_IsRefused_NotSilentlyOff()
        {
            if (!IsUnix)
            {
                return;
            }

            JournalException refused = Assert.Throws<JournalException>(() => TaskJournal.Open("/dev/null"));

            AssertInsecure(refused, "/dev/null", "character device");
        }

        [Fact]
        public async Task Fifo_IsRefused_WithoutHanging()
        {
            if (!IsUnix)
            {
                return;
            }

            Run("mkfifo", _folder.JournalPath);

            Task<Exception> open = Task.Run(() => Record.Exception(() => TaskJournal.Open(_folder.JournalPath)));

            Assert.Same(open, await Task.WhenAny(open, Task.Delay(TimeSpan.FromSeconds(20)))); // else opening a FIFO hung
            AssertInsecure(await open, _folder.JournalPath, "FIFO");
        }

        [Fact]
        public void HugeUnterminatedLine_IsSkipped_WithBoundedMemory_AndTheJournalStaysUsable()
        {
            TaskJournal journal = new ManualClock().Open(_folder.JournalPath);
            journal.RecordSaved("task_before", "/videos/before.mp4", 1);
            using (FileStream file = new FileStream(_folder.JournalPath, FileMode.Append, FileAccess.Write))
            {
                byte[] start = Encoding.ASCII.GetBytes("{\"v\":1,\"type\":\"saved\",\"prompt\":\"");
                file.Write(start, 0, start.Length);
                file.SetLength(1_500_000_000L); // sparse: 1.5 GB of one unterminated line, made in no time
            }

            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            JournalSnapshot read = journal.Read();
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

            Assert.NotNull(read.FindTask("task_before"));
            Assert.Contains(read.Problems, problem => problem.Contains("an incomplete last record"));
            Assert.True(allocated < 64L * 1024 * 1024, $"reading allocated {allocated:N0} bytes");

            journal.RecordSaved("task_after", "/videos/after.mp4", 1); // starts on a line of its own
            JournalSnapshot after = journal.Read();
            Assert.NotNull(after.FindTask("task_after"));
            Assert.Contains(after.Problems, problem => problem.Contains("longer than 1 MiB"));
        }

        [Fact]
        public void NegativeCredits_DoNotLiftTheDailyLimit_AndAreReported()
        {
            ManualClock clock = new ManualClock();
            TaskJournal journal = clock.Open(_folder.JournalPath);
            JournalTestData.Create(journal, "task_paid", credits: 400m);
            _folder.AppendRaw(Intent("planted", clock.Now, "-1000000"));

            JournalReservation second = journal.ReserveCreate(JournalTestData.Request(), null, 200m, dailyCreditLimit: 500m);

            Assert.Equal(JournalReservationOutcome.BudgetExceeded, second.Outcome);
            Assert.Equal(400m, second.Spent);
            Assert.Contains(journal.Read().Problems, problem => problem.Contains("-1000000"));
        }

        [Fact]
        public void CreditsBeyondAnyPrice_AreNoOverflow_AndAreReported()
        {
            ManualClock clock = new ManualClock();
            TaskJournal journal = clock.Open(_folder.JournalPath);
            _folder.AppendRaw(Intent("huge-1", clock.Now, "7.9e28"));
            _folder.AppendRaw(Intent("huge-2", clock.Now, "7.9e28"));
            _folder.AppendRaw(Intent("beyond", clock.Now, "1e400"));

            decimal spent = journal.SpentToday();
            JournalReservation reservation = journal.ReserveCreate(JournalTestData.Request(), null, 200m, dailyCreditLimit: 1000m);

            Assert.Equal(0m, spent);
            Assert.Equal(JournalReservationOutcome.Reserved, reservation.Outcome);
            Assert.Equal(3, journal.Read().Problems.Count(problem => problem.Contains("not a price")));
        }

        [Fact]
        public void RecordDatedInTheFuture_IsReported_AndIgnoredForTheBudget()
        {
            ManualClock clock = new ManualClock();
            TaskJournal journal = clock.Open(_folder.JournalPath);
            _folder.AppendRaw(Intent("from-the-future", clock.Now.AddYears(1), "900"));

            JournalReservation reservation = journal.ReserveCreate(JournalTestData.Request(), null, 200m, dailyCreditLimit: 1000m);

            Assert.Equal(JournalReservationOutcome.Reserved, reservation.Outcome);
            Assert.Equal(0m, reservation.Spent);
            Assert.Contains(journal.Read().Problems, problem => problem.Contains("in the future"));
        }

        [Fact]
        public async Task LockThatCannotBeOpened_IsSaidAtOnce_NotAfterTheLockTimeout_AndTheJournalIsStillRead()
        {
            if (!IsUnix)
            {
                return;
            }

            TaskJournal journal = new ManualClock().Open(_folder.JournalPath, lockTimeout: TimeSpan.FromHours(1)); // a wait for it would hang the test
            JournalTestData.Create(journal, "task_made", "row-1");
            File.Delete(_folder.JournalPath + ".lock");
            Directory.CreateDirectory(_folder.JournalPath + ".lock"); // the lock can never be opened now

            Task<Exception> write = Task.Run(() => Record.Exception(() => journal.RecordSaved("task_made", "/videos/a.mp4", 1)));

            Assert.Same(write, await Task.WhenAny(write, Task.Delay(TimeSpan.FromSeconds(20))));
            JournalException refused = Assert.IsType<JournalException>(await write);
            Assert.Equal(JournalFailureReason.CannotWrite, refused.Reason);
            Assert.Equal(_folder.JournalPath, refused.Path);
            Assert.Contains("can still be read", refused.Message);
            Assert.NotNull(journal.Read().FindTask("task_made"));
        }

        private static string Intent(string intentId, DateTimeOffset time, string credits) =>
            $"{{\"v\":1,\"type\":\"intent\",\"time\":\"{JournalRecord.FormatTime(time)}\",\"intent\":\"{intentId}\",\"credits\":{credits},\"pid\":1,\"request\":{{\"model\":\"seedance-2.0\",\"prompt\":\"x\",\"ratio\":\"16:9\",\"duration\":5}}}}\n";

        private static void AssertInsecure(Exception? thrown, string path, string problem)
        {
            JournalException e = Assert.IsType<JournalException>(thrown);
            Assert.Equal("Insecure", e.Reason.ToString()); // by name, so this file also compiles against 0.1.0 to show each attack succeeding there
            Assert.Equal(path, e.Path);
            Assert.Contains(path, e.Message);
            Assert.Contains(problem, e.Message);
        }

        private static void Run(string program, params string[] arguments)
        {
            if (!IsUnix || (program == "chown" && !IsRoot))
            {
                return;
            }

            ProcessStartInfo start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true };
            foreach (string argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using Process process = Process.Start(start)!;
            process.WaitForExit();
        }
    }
}
