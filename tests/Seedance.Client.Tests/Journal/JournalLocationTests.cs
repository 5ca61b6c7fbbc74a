using System;
using System.Collections.Generic;
using System.IO;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>Where the journal lives on each platform (the platform is injected, so all three are checked here), 'off', and bad paths.</summary>
    public class JournalLocationTests
    {
        private sealed record TestPlatform(JournalPlatform Platform, string Home, Dictionary<string, string>? Variables, string? LocalAppData);

        private static TestPlatform Env(JournalPlatform platform, string home, Dictionary<string, string>? variables = null, string? localAppData = null) =>
            new TestPlatform(platform, home, variables, localAppData);

        private static JournalLocation Resolve(string? value, TestPlatform on) =>
            JournalLocation.Resolve(value, on.Platform, name => on.Variables is not null && on.Variables.TryGetValue(name, out string? set) ? set : null, on.Home, on.LocalAppData);

        [Fact]
        public void Linux_DefaultsToXdgDataHome_OrLocalShare()
        {
            Assert.Equal("/home/ann/.local/share/seedance/journal.jsonl", Resolve(null, Env(JournalPlatform.Linux, "/home/ann")).Path);
            Assert.Equal("/data/xdg/seedance/journal.jsonl",
                Resolve("", Env(JournalPlatform.Linux, "/home/ann", new Dictionary<string, string> { ["XDG_DATA_HOME"] = "/data/xdg/" })).Path);

            // The XDG spec: a relative XDG_DATA_HOME is invalid and ignored.
            Assert.Equal("/home/ann/.local/share/seedance/journal.jsonl",
                Resolve(null, Env(JournalPlatform.Linux, "/home/ann", new Dictionary<string, string> { ["XDG_DATA_HOME"] = "rel/xdg" })).Path);
        }

        [Fact]
        public void Windows_DefaultsToLocalAppData()
        {
            Assert.Equal(@"C:\Users\Ann\AppData\Local\Seedance\journal.jsonl",
                Resolve(null, Env(JournalPlatform.Windows, @"C:\Users\Ann", localAppData: @"C:\Users\Ann\AppData\Local")).Path);
            Assert.Equal(@"D:\Profiles\ann\Local\Seedance\journal.jsonl",
                Resolve(null, Env(JournalPlatform.Windows, @"C:\Users\Ann", new Dictionary<string, string> { ["LOCALAPPDATA"] = @"D:\Profiles\ann\Local" })).Path);

            // XDG means nothing on Windows.
            Assert.Equal(@"C:\Users\Ann\AppData\Local\Seedance\journal.jsonl",
                Resolve(null, Env(JournalPlatform.Windows, @"C:\Users\Ann", new Dictionary<string, string> { ["XDG_DATA_HOME"] = "/x" })).Path);
        }

        [Fact]
        public void MacOS_DefaultsToApplicationSupport()
        {
            Assert.Equal("/Users/ann/Library/Application Support/Seedance/journal.jsonl",
                Resolve(null, Env(JournalPlatform.MacOS, "/Users/ann", new Dictionary<string, string> { ["XDG_DATA_HOME"] = "/x" })).Path);
        }

        [Fact]
        public void CurrentEnvironment_GivesThisMachinesDefault()
        {
            JournalLocation location = JournalLocation.Resolve(null);
            Assert.EndsWith("journal.jsonl", location.Path);
            Assert.True(Path.IsPathRooted(location.Path));
        }

        [Theory]
        [InlineData("off")]
        [InlineData("OFF")]
        [InlineData("  Off ")]
        public void Off_DisablesTheJournal(string value)
        {
            JournalLocation location = Resolve(value, Env(JournalPlatform.Linux, "/home/ann"));
            Assert.True(location.IsDisabled);
            Assert.Null(location.Path);
            Assert.Equal("off", location.ToString());
            Assert.False(TaskJournal.Shared(location).IsEnabled);
        }

        [Fact]
        public void DisabledJournal_WritesNothing_ReadsEmpty_AndRefusesADailyLimit()
        {
            TaskJournal journal = TaskJournal.Shared(JournalLocation.Disabled);
            JournalReservation reservation = journal.ReserveCreate(JournalTestData.Request(), "row-1", 200m);
            Assert.Equal(JournalReservationOutcome.Reserved, reservation.Outcome);
            Assert.Null(reservation.IntentId); // nothing written
            journal.RecordCreated(reservation, "task_a");
            Assert.False(journal.RecordStatus(JournalTestData.Task("task_a", SeedanceTaskStatus.Success)));
            journal.RecordSaved("task_a", "/v/a.mp4", 1);
            Assert.Empty(journal.Read().Tasks);
            Assert.False(journal.Compact(force: true).Compacted);

            JournalException e = Assert.Throws<JournalException>(() => journal.ReserveCreate(JournalTestData.Request(), null, 200m, dailyCreditLimit: 1000m));
            Assert.Equal(JournalFailureReason.Disabled, e.Reason);
            Assert.Contains("daily credit limit (1000 credits) is set, but the task journal is off", e.Message);
        }

        [Fact]
        public void ConfiguredPaths_AreAbsolute_WithTildeAndFolders()
        {
            TestPlatform linux = Env(JournalPlatform.Linux, "/home/ann");
            Assert.Equal("/srv/runbooks/seedance.jsonl", Resolve("/srv/runbooks/seedance.jsonl", linux).Path);
            Assert.Equal("/home/ann/jobs/j.jsonl", Resolve("~/jobs/j.jsonl", linux).Path);
            Assert.Equal("/srv/runbooks/journal.jsonl", Resolve("/srv/runbooks/", linux).Path);

            TestPlatform windows = Env(JournalPlatform.Windows, @"C:\Users\Ann");
            Assert.Equal(@"E:\Jobs\journal.jsonl", Resolve(@"E:\Jobs\", windows).Path);
            Assert.Equal(@"\\server\share\j.jsonl", Resolve(@"\\server\share\j.jsonl", windows).Path);
            Assert.Equal(@"C:\Users\Ann\j.jsonl", Resolve(@"~\j.jsonl", windows).Path);
        }

        [Fact]
        public void ExistingFolder_HoldsJournalJsonl()
        {
            using JournalFolder folder = new JournalFolder();
            Assert.Equal(Path.Combine(folder.Root, "journal.jsonl"), JournalLocation.Resolve(folder.Root).Path);
        }

        [Theory]
        [InlineData(JournalPlatform.Linux, "journal.jsonl")]
        [InlineData(JournalPlatform.Linux, "./runs/j.jsonl")]
        [InlineData(JournalPlatform.Windows, @"runs\j.jsonl")]
        [InlineData(JournalPlatform.Windows, @"C:j.jsonl")]
        [InlineData(JournalPlatform.Windows, "/no/drive.jsonl")]
        public void RelativePath_IsRefusedWithItsValue(JournalPlatform platform, string value)
        {
            JournalException e = Assert.Throws<JournalException>(() => Resolve(value, Env(platform, "/home/ann")));
            Assert.Equal(JournalFailureReason.InvalidPath, e.Reason);
            Assert.Contains(value, e.Message);
        }

        [Fact]
        public void JournalThatCannotBeCreated_IsAJournalExceptionNamingThePath()
        {
            using JournalFolder folder = new JournalFolder();
            string blocker = Path.Combine(folder.Root, "a-file");
            File.WriteAllText(blocker, "not a folder");
            string path = Path.Combine(blocker, "sub", "journal.jsonl");

            JournalException e = Assert.Throws<JournalException>(() => TaskJournal.Open(path));

            Assert.Equal(JournalFailureReason.CannotOpen, e.Reason);
            Assert.Equal(path, e.Path);
            Assert.Contains(path, e.Message);
            Assert.Contains("'off'", e.Message);
        }

        [Fact]
        public void JournalThatIsAFolder_CannotBeOpened()
        {
            using JournalFolder folder = new JournalFolder();
            Directory.CreateDirectory(folder.JournalPath);
            JournalException e = Assert.Throws<JournalException>(() => TaskJournal.Open(folder.JournalPath));
            Assert.Equal(JournalFailureReason.CannotOpen, e.Reason);
        }

        [Fact]
        public void WriteFailure_AfterOpen_IsAJournalExceptionNamingThePath()
        {
            using JournalFolder folder = new JournalFolder();
            TaskJournal journal = TaskJournal.Open(folder.JournalPath);
            File.Delete(folder.JournalPath);
            Directory.CreateDirectory(folder.JournalPath); // the file became something that cannot be appended to

            JournalException e = Assert.Throws<JournalException>(() => journal.ReserveCreate(JournalTestData.Request(), null, 200m));
            Assert.Contains(folder.JournalPath, e.Message);
        }

        [Fact]
        public void Shared_GivesOneInstancePerPath()
        {
            using JournalFolder folder = new JournalFolder();
            JournalLocation location = JournalLocation.Resolve(folder.JournalPath);
            Assert.Same(TaskJournal.Shared(location), TaskJournal.Shared(JournalLocation.Resolve(folder.JournalPath)));
            Assert.Same(TaskJournal.Disabled, TaskJournal.Shared(JournalLocation.Disabled));
        }
    }
}
