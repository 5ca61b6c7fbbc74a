using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// Creating the journal's folders and files owner-only, opening the file the way every reader and writer must
    /// (sharing read, write and delete, so a compaction can rename over it while another process reads), and flushing.
    /// On Windows the folder inherits the ACL of %LOCALAPPDATA%, which is already the user's own.
    /// </summary>
    internal static class JournalFileSystem
    {
        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        private const FileShare ShareWithEveryone = FileShare.ReadWrite | FileShare.Delete;

        /// <summary>Creates the folder and every missing parent; on Unix each one it creates is 0700 from the start.</summary>
        public static void EnsureFolder(string folder)
        {
            if (Directory.Exists(folder))
            {
                return;
            }

            if (IsWindows)
            {
                Directory.CreateDirectory(folder);
                return;
            }

            Stack<string> missing = new Stack<string>();
            for (string? current = folder; !string.IsNullOrEmpty(current) && !Directory.Exists(current); current = Path.GetDirectoryName(current))
            {
                missing.Push(current!);
            }

            while (missing.Count > 0)
            {
                string directory = missing.Pop();
                if (UnixNative.MakeDirectory(directory, UnixNative.OwnerReadWriteExecute) != 0)
                {
                    int errno = UnixNative.LastError;
                    if (UnixNative.IsExists(errno))
                    {
                        continue; // made by another process meanwhile: not ours to change
                    }

                    throw new IOException($"Could not create the folder '{directory}' (errno {errno}).");
                }

                // No chmod afterwards: the umask can only remove bits from 0700, never add any, and a chmod after the
                // fact is exactly the window this avoids.
            }
        }

        /// <summary>
        /// Creates an empty file that is owner-only from the moment it exists (creat with 0600, so no other user can
        /// open it before a chmod). creat truncates an existing file, so this is only called for a fresh temporary name
        /// or, under the journal's lock, right after finding the journal missing.
        /// </summary>
        public static void CreateOwnerOnlyFile(string path)
        {
            if (IsWindows)
            {
                using (new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, ShareWithEveryone))
                {
                }

                return;
            }

            int fd = UnixNative.Create(path, UnixNative.OwnerReadWrite);
            if (fd < 0)
            {
                int errno = UnixNative.LastError;
                throw errno == 13 ? new UnauthorizedAccessException($"Access to '{path}' is denied.") : new IOException($"Could not create '{path}' (errno {errno}).");
            }

            UnixNative.Close(fd);
        }

        /// <summary>Makes a new or renamed directory entry durable (Unix; best effort, as some file systems refuse it).</summary>
        public static void SyncFolder(string folder)
        {
            if (IsWindows)
            {
                return;
            }

            int fd = UnixNative.Open(folder, UnixNative.ReadOnly);
            if (fd >= 0)
            {
                UnixNative.Sync(fd);
                UnixNative.Close(fd);
            }
        }

        /// <summary>Opens the journal for one append: read access too, to see whether the last line was completed.</summary>
        public static FileStream OpenForAppend(string path) =>
            new FileStream(path, FileMode.Open, FileAccess.ReadWrite, ShareWithEveryone, bufferSize: 1);

        /// <summary>Opens the journal for reading, without blocking writers or a compaction's rename.</summary>
        public static FileStream OpenForRead(string path) =>
            new FileStream(path, FileMode.Open, FileAccess.Read, ShareWithEveryone, bufferSize: 1);

        /// <summary>Opens a file this process just created, for writing its whole content.</summary>
        public static FileStream OpenForRewrite(string path) =>
            new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.None, bufferSize: 64 * 1024);
    }
}
