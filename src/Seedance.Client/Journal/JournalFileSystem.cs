using System;
using System.IO;
using Seedance.Client.Files;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// The journal's files (the journal, its lock, a compaction's new file) opened through <see cref="OwnedFiles"/>,
    /// the module's one facility for the files it owns: regular files only, never through a link, the user's own and
    /// not writable by others, in a folder that is the same; anything else is <see cref="JournalFailureReason.Insecure"/>.
    /// Every open shares read, write and delete, so a compaction can rename over the file while another process reads.
    /// </summary>
    internal static class JournalFileSystem
    {
        private const OwnedFilePrivacy Privacy = OwnedFilePrivacy.NotWritableByOthers;

        public static bool IsWindows => OwnedFiles.IsWindows;

        /// <summary>Creates the folder and every missing parent (0700 on Unix), and checks it is the user's own.</summary>
        public static void EnsureFolder(string folder) => Owned(() =>
        {
            OwnedFiles.EnsureFolder(folder, Privacy);
            return true;
        });

        /// <summary>Creates a new file exclusively, owner-only from its first moment (IOException when anything is there).</summary>
        public static FileStream CreateNew(string path) => Owned(() => OwnedFiles.CreateNew(path, FileAccess.ReadWrite));

        /// <summary>Opens an existing journal or lock file for writing (and reading: an append looks at the last byte).</summary>
        public static FileStream OpenForAppend(string path) => Owned(() => OwnedFiles.Open(path, FileAccess.ReadWrite, Privacy));

        /// <summary>Opens the lock file, creating it when missing.</summary>
        public static FileStream OpenOrCreate(string path) => Owned(() => OwnedFiles.OpenOrCreate(path, FileAccess.ReadWrite, Privacy));

        /// <summary>Opens the journal for reading, without blocking writers or a compaction's rename.</summary>
        public static FileStream OpenForRead(string path) => Owned(() => OwnedFiles.Open(path, FileAccess.Read, Privacy));

        public static void SyncFolder(string folder) => OwnedFiles.SyncFolder(folder);

        public static void Replace(string source, string destination) => OwnedFiles.Replace(source, destination);

        /// <summary>The journal's terminating error for a file or folder that is not safe: the path, what is wrong and the fix.</summary>
        public static JournalException Insecure(OwnedFileException e) =>
            new JournalException(JournalFailureReason.Insecure, e.Path,
                $"The task journal cannot be trusted: '{e.Path}' is not safe to use: {e.Reason}. {e.Fix} " +
                "Or choose another path (SEEDANCE_JOURNAL_PATH or Set-SeedanceConfiguration -JournalPath).", e);

        private static T Owned<T>(Func<T> open)
        {
            try
            {
                return open();
            }
            catch (OwnedFileException e)
            {
                throw Insecure(e);
            }
        }
    }
}
