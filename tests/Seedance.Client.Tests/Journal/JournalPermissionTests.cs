using System.IO;
using System.Runtime.InteropServices;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>
    /// Owner-only on Unix whatever the umask: the helper process sets umask 000 (so nothing is removed from the modes
    /// the journal asks for) and creates the journal with missing parents; stat shows what was made.
    /// </summary>
    public class JournalPermissionTests
    {
        private static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        [Fact]
        public void NewJournal_FileAndLockAre0600_EveryFolderItMadeIs0700_UnderUmask000()
        {
            if (!IsUnix)
            {
                return; // Windows: the folder inherits %LOCALAPPDATA%'s ACL
            }

            using JournalFolder folder = new JournalFolder();
            string before = UnixStat.Mode(folder.Root);
            string path = Path.Combine(folder.Root, "a", "b", "seedance", "journal.jsonl");

            Assert.Equal("done", JournalHostProcess.Run("open", path, "000"));

            Assert.Equal("700", UnixStat.Mode(Path.Combine(folder.Root, "a")));
            Assert.Equal("700", UnixStat.Mode(Path.Combine(folder.Root, "a", "b")));
            Assert.Equal("700", UnixStat.Mode(Path.Combine(folder.Root, "a", "b", "seedance")));
            Assert.Equal("600", UnixStat.Mode(path));
            Assert.Equal("600", UnixStat.Mode(path + ".lock"));
            Assert.Equal(before, UnixStat.Mode(folder.Root)); // an existing parent is not ours to change
        }

        [Fact]
        public void CompactedJournal_Stays0600_UnderUmask000()
        {
            if (!IsUnix)
            {
                return;
            }

            using JournalFolder folder = new JournalFolder();
            Assert.Equal("done", JournalHostProcess.Run("compact", folder.JournalPath, "000"));
            Assert.Equal("600", UnixStat.Mode(folder.JournalPath));
            Assert.Empty(Directory.GetFiles(folder.Root, "*.compacting")); // no temporary file left
        }
    }
}
