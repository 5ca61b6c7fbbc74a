using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
using Microsoft.Win32.SafeHandles;

namespace Seedance.Client.Files
{
    /// <summary>
    /// How private a file the module owns must be. Both refuse a file or folder of another user or one others can
    /// write; the key store also refuses one others can read.
    /// </summary>
    public enum OwnedFilePrivacy
    {
        /// <summary>Not writable by the group or others (the journal: a 0644 file can be read, never bent).</summary>
        NotWritableByOthers,

        /// <summary>Not reachable by the group or others at all (the key store: 0600 file, 0700 folder).</summary>
        OwnerOnly,
    }

    /// <summary>
    /// The one way the module opens the files it owns (the key store, the journal, its lock and the temporary files
    /// beside them). On Linux and macOS: the file is a regular file (checked with lstat before opening, so a FIFO never
    /// blocks the open, and opened with O_NOFOLLOW, so no symbolic link is followed), owned by the current user and not
    /// writable by others (checked again on the open descriptor with fstat, so a swap between the check and the open
    /// changes nothing), in a folder that passes the same checks; new files are created exclusively with 0600 (O_EXCL:
    /// never through a planted link, never truncating another's file), new folders with 0700. Anything else is an
    /// <see cref="OwnedFileException"/> naming the path, the problem and the fix. On Windows these files live under the
    /// user's profile, whose ACL is already the user's own, and are opened normally.
    /// </summary>
    public static class OwnedFiles
    {
        private const FileShare ShareWithEveryone = FileShare.ReadWrite | FileShare.Delete;

        public static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        /// <summary>
        /// Whether two full paths name the same file: case-insensitive where the usual file system is (Windows, and
        /// macOS's APFS), case-sensitive on Linux.
        /// </summary>
        public static readonly StringComparer PathComparer =
            RuntimeInformation.IsOSPlatform(OSPlatform.Linux) ? StringComparer.Ordinal : StringComparer.OrdinalIgnoreCase;

        /// <summary>Creates the folder and every missing parent (0700 from the start on Unix), then checks the folder itself.</summary>
        public static void EnsureFolder(string folder, OwnedFilePrivacy privacy)
        {
            CreateFolders(folder);
            CheckFolder(folder, privacy);
        }

        /// <summary>Creates every missing folder of the path, each 0700 from the start on Unix (whatever the umask); existing ones are left as they are.</summary>
        public static void CreateFolders(string folder)
        {
            if (IsWindows)
            {
                Directory.CreateDirectory(folder);
                return;
            }

            Stack<string> missing = new Stack<string>();
            for (string? current = Path.GetFullPath(folder); !string.IsNullOrEmpty(current) && UnixFileStatus.OfLink(current!) is null; current = Path.GetDirectoryName(current))
            {
                missing.Push(current!);
            }

            while (missing.Count > 0)
            {
                string directory = missing.Pop();

                // No chmod afterwards: the umask can only remove bits from 0700, never add any.
                if (UnixNative.MakeDirectory(directory, UnixNative.OwnerReadWriteExecute) != 0)
                {
                    int errno = UnixNative.LastError;
                    if (UnixNative.IsExists(errno))
                    {
                        continue; // made by another process meanwhile: checked like any existing folder
                    }

                    throw UnixNative.IsDenied(errno)
                        ? new UnauthorizedAccessException($"Access to the folder '{directory}' is denied (errno {errno}).")
                        : new IOException($"Could not create the folder '{directory}' (errno {errno}).");
                }
            }
        }

        /// <summary>
        /// The folder is a folder (or the user's own link to one: dotfiles), owned by the user and not writable by others
        /// (with <see cref="OwnedFilePrivacy.OwnerOnly"/>: not reachable by them). Nothing to check on Windows.
        /// </summary>
        public static void CheckFolder(string folder, OwnedFilePrivacy privacy)
        {
            UnixFileStatus? entry = UnixFileStatus.OfLink(folder);
            if (entry is null || UnixFileStatus.CurrentUser is not uint me)
            {
                return; // Windows, absent (the caller's open says so), or this runtime cannot tell
            }

            CheckOwner(folder, entry, me, isFolder: true);
            UnixFileStatus target = entry.IsSymbolicLink ? UnixFileStatus.Of(folder) ?? entry : entry;
            if (!target.IsDirectory)
            {
                throw Unsafe(folder, $"it is a {target.TypeName}, not a folder", "Give a folder of your own.");
            }

            CheckOwner(folder, target, me, isFolder: true);
            CheckMode(folder, target, privacy, isFolder: true);
        }

        /// <summary>
        /// Opens an existing owned file (<see cref="FileNotFoundException"/> when there is none). Shares read, write and
        /// delete, so one process can rename a new version over it while another reads.
        /// </summary>
        public static FileStream Open(string path, FileAccess access, OwnedFilePrivacy privacy)
        {
            if (IsWindows)
            {
                return new FileStream(path, FileMode.Open, access, ShareWithEveryone, bufferSize: 1);
            }

            UnixFileStatus? entry = UnixFileStatus.OfLink(path);
            if (entry is null)
            {
                throw new FileNotFoundException($"Could not find the file '{path}'.", path);
            }

            CheckFile(path, entry, privacy); // before the open: opening a FIFO would block
            return FromDescriptor(path, UnixNative.Open(UnixNative.Utf8(path), AccessFlags(access) | UnixNative.OpenNoFollow | UnixNative.OpenCloseOnExec, 0), access, privacy);
        }

        /// <summary>
        /// The whole of a file the module reads back (the key store, the stored settings, a price table, gallery data):
        /// a regular file only, checked before it is opened (a FIFO or a device would block the read or never end), and
        /// with <paramref name="privacy"/> also the owner checks of <see cref="Open"/>. At most <paramref name="maxBytes"/>
        /// are read: a bigger file is refused, never loaded whole. Null when there is no file.
        /// </summary>
        /// <exception cref="OwnedFileException">Not a regular file, larger than <paramref name="maxBytes"/>, or (with <paramref name="privacy"/>) foreign-owned or open to others.</exception>
        public static byte[]? ReadWhole(string path, long maxBytes, OwnedFilePrivacy? privacy = null)
        {
            try
            {
                if (privacy is null && OtherThanRegularFile(path) is string kind)
                {
                    throw Unsafe(path, $"it is a {kind}, not a regular file", "Give the path of a regular file.");
                }

                using FileStream file = privacy is OwnedFilePrivacy owned
                    ? Open(path, FileAccess.Read, owned)
                    : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
                using MemoryStream content = new MemoryStream();
                byte[] buffer = new byte[16 * 1024];
                int read;
                while ((read = file.Read(buffer, 0, buffer.Length)) > 0)
                {
                    content.Write(buffer, 0, read);
                    if (content.Length > maxBytes)
                    {
                        throw Unsafe(path, $"it is larger than {maxBytes / 1024} KiB, more than such a file can be", "Remove it, or replace it with the file it should be.");
                    }
                }

                return content.ToArray();
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                return null; // none, or removed by another process meanwhile
            }
        }

        /// <summary>
        /// A file from outside the module read as text (a price table, a page's data file): <see cref="ReadWhole"/> of a
        /// regular file, decoded as UTF-8 or by its byte-order mark (an editor's), strictly; null when there is no file. A file that
        /// cannot be read becomes the caller's own exception, built by <paramref name="unreadable"/> from why, as a clause.
        /// </summary>
        public static string? ReadText(string path, long maxBytes, Func<string, Exception, Exception> unreadable)
        {
            byte[]? content;
            try
            {
                content = ReadWhole(path, maxBytes);
            }
            catch (OwnedFileException e)
            {
                throw unreadable(e.Reason, e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw unreadable($"the file cannot be read: {e.Message}", e);
            }

            if (content is null)
            {
                return null;
            }

            (Encoding encoding, int mark) = EncodingOf(content);
            try
            {
                return encoding.GetString(content, mark, content.Length - mark);
            }
            catch (DecoderFallbackException e)
            {
                // Never a replacement character: the text would be written back changed (a page's data file) or misread.
                throw unreadable($"it is not {encoding.WebName} text (a byte at {mark + e.Index} is not valid in it)", e);
            }
        }

        /// <summary>UTF-8, or what a byte-order mark says (UTF-16, as Windows PowerShell's Out-File writes, or UTF-32): each strict, with the mark's length.</summary>
        private static (Encoding Encoding, int Mark) EncodingOf(byte[] content)
        {
            bool Starts(params byte[] mark)
            {
                for (int i = 0; i < mark.Length; i++)
                {
                    if (i >= content.Length || content[i] != mark[i])
                    {
                        return false;
                    }
                }

                return true;
            }

            return Starts(0xFF, 0xFE, 0, 0) ? (new UTF32Encoding(false, false, true), 4)
                : Starts(0, 0, 0xFE, 0xFF) ? (new UTF32Encoding(true, false, true), 4)
                : Starts(0xFF, 0xFE) ? (new UnicodeEncoding(false, false, true), 2)
                : Starts(0xFE, 0xFF) ? (new UnicodeEncoding(true, false, true), 2)
                : (new UTF8Encoding(false, true), Starts(0xEF, 0xBB, 0xBF) ? 3 : 0);
        }

        /// <summary>Creates the file, owner-only from its first moment (O_CREAT|O_EXCL, 0600); <see cref="IOException"/> when anything is there.</summary>
        public static FileStream CreateNew(string path, FileAccess access)
        {
            if (IsWindows)
            {
                return new FileStream(path, FileMode.CreateNew, access, ShareWithEveryone, bufferSize: 1);
            }

            int flags = AccessFlags(access) | UnixNative.OpenCreate | UnixNative.OpenExclusive | UnixNative.OpenNoFollow | UnixNative.OpenCloseOnExec;
            return FromDescriptor(path, UnixNative.Open(UnixNative.Utf8(path), flags, UnixNative.OwnerReadWrite), access, OwnedFilePrivacy.OwnerOnly);
        }

        /// <summary>
        /// Writes <paramref name="content"/> to a new file beside <paramref name="path"/> (created exclusively: never through
        /// a planted link; owner-only from its first moment with <paramref name="ownerOnly"/>), flushes it to disk and
        /// renames it over <paramref name="path"/> in one step: a reader sees the old file or the new one, never half of
        /// either, and a crash leaves no half-written file (only its temporary file, removed by a later write).
        /// </summary>
        public static void WriteWhole(string path, byte[] content, bool ownerOnly)
        {
            TemporaryFiles.RemoveStaleWrites(path);
            string temporary = TemporaryFiles.WritePathFor(path);
            try
            {
                using (FileStream file = ownerOnly ? CreateNew(temporary, FileAccess.Write) : new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    file.Write(content, 0, content.Length);
                    file.Flush(true);
                }

                Replace(temporary, path);
            }
            finally
            {
                try
                {
                    File.Delete(temporary); // gone after the rename; a write that failed leaves nothing behind
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                }
            }
        }

        /// <summary>Opens the owned file, creating it (exclusively, 0600) when there is none; another process creating it first is fine.</summary>
        public static FileStream OpenOrCreate(string path, FileAccess access, OwnedFilePrivacy privacy)
        {
            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    return Open(path, access, privacy);
                }
                catch (FileNotFoundException)
                {
                }

                try
                {
                    return CreateNew(path, access);
                }
                catch (IOException) when (attempt < 3 && (UnixFileStatus.OfLink(path) is not null || (IsWindows && File.Exists(path))))
                {
                    // Created by another process between the two calls: open theirs.
                }
            }
        }

        /// <summary>
        /// Puts <paramref name="source"/> in the place of <paramref name="destination"/> in one step, whether or not the
        /// destination exists: rename(2) on Unix; on Windows Move or Replace, retried when another process changes the
        /// picture in between.
        /// </summary>
        public static void Replace(string source, string destination)
        {
            if (!IsWindows)
            {
                if (UnixNative.Rename(source, destination) != 0)
                {
                    throw new IOException($"Could not move '{source}' to '{destination}' (errno {UnixNative.LastError}).");
                }

                return;
            }

            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    if (File.Exists(destination))
                    {
                        File.Replace(source, destination, null);
                    }
                    else
                    {
                        File.Move(source, destination);
                    }

                    return;
                }
                catch (IOException) when (attempt < 20 && File.Exists(source))
                {
                    Thread.Sleep(10 * attempt);
                }
            }
        }

        /// <summary>Makes a new or renamed directory entry durable (Unix; best effort, as some file systems refuse it).</summary>
        public static void SyncFolder(string folder)
        {
            if (IsWindows)
            {
                return;
            }

            IntPtr fd = UnixNative.Open(UnixNative.Utf8(folder), UnixNative.OpenReadOnly | UnixNative.OpenCloseOnExec, 0);
            if (fd.ToInt64() >= 0)
            {
                UnixNative.Sync(fd.ToInt32());
                UnixNative.Close(fd.ToInt32());
            }
        }

        /// <summary>chmod 0700 / 0600 of a folder or file the user owns (an older version's, or one made by hand).</summary>
        public static void MakeOwnerOnly(string path, bool isFolder)
        {
            if (!IsWindows && UnixNative.ChangeMode(path, isFolder ? UnixNative.OwnerReadWriteExecute : UnixNative.OwnerReadWrite) != 0)
            {
                throw new IOException($"Could not set the permissions of '{path}' (errno {UnixNative.LastError}).");
            }
        }

        // The final name of a download (or a page, or a data file) must be a regular file or nothing. Renaming over
        // anything else would replace a device (as root, /dev/null became a file), or fail after the whole download (a
        // directory); a FIFO or socket is no place for a video either. A symbolic link is judged by what it points to
        // (the rename replaces the link).

        /// <exception cref="SeedanceException">DestinationNotAFile: Something other than a regular file is there.</exception>
        public static void EnsureRegularFileOrAbsent(string path)
        {
            string? kind = OtherThanRegularFile(path);
            if (kind is not null)
            {
                throw Problems.DestinationNotAFile(path, kind);
            }
        }

        /// <summary>What is at <paramref name="path"/> when it is neither absent nor a regular file (e.g. "FIFO (named pipe)"), else null.</summary>
        public static string? OtherThanRegularFile(string path)
        {
            if (Directory.Exists(path))
            {
                return "directory";
            }

            UnixFileStatus? entry = UnixFileStatus.OfLink(path);
            if (entry is null)
            {
                return WindowsDevice(path);
            }

            UnixFileStatus? target = entry.IsSymbolicLink ? UnixFileStatus.Of(path) : entry;
            return target is null || target.IsRegularFile ? null : target.TypeName;
        }

        /// <summary>Windows: a device path (\\.\, CON...) shows the Device attribute.</summary>
        private static string? WindowsDevice(string path)
        {
            try
            {
                return File.Exists(path) && (File.GetAttributes(path) & FileAttributes.Device) != 0 ? "device" : null;
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }

        private static FileStream FromDescriptor(string path, IntPtr fd, FileAccess access, OwnedFilePrivacy privacy)
        {
            if (fd.ToInt64() < 0)
            {
                int errno = UnixNative.LastError;
                UnixFileStatus? entry = UnixFileStatus.OfLink(path);
                if (entry is not null && !UnixNative.IsExists(errno))
                {
                    CheckFile(path, entry, privacy); // a link or other swapped in since the check: say what it is
                }

                throw UnixNative.IsNoEntry(errno) ? new FileNotFoundException($"Could not find the file '{path}'.", path)
                    : UnixNative.IsDenied(errno) ? new UnauthorizedAccessException($"Access to '{path}' is denied (errno {errno}).")
                    : new IOException($"Could not open '{path}' (errno {errno}).");
            }

            SafeFileHandle handle = new SafeFileHandle(fd, ownsHandle: true);
            try
            {
                if (UnixFileStatus.OfDescriptor(fd) is UnixFileStatus opened)
                {
                    CheckFile(path, opened, privacy);
                }

                return new FileStream(handle, access, bufferSize: 1);
            }
            catch
            {
                handle.Dispose();
                throw;
            }
        }

        private static void CheckFile(string path, UnixFileStatus entry, OwnedFilePrivacy privacy)
        {
            if (UnixFileStatus.CurrentUser is not uint me)
            {
                return;
            }

            if (entry.IsSymbolicLink)
            {
                throw Unsafe(path, "it is a symbolic link, which is never followed (it could lead anywhere)", "Remove the link; the file is made again where it belongs.");
            }

            if (entry.IsDirectory)
            {
                throw new IOException($"'{path}' is a folder, not a file."); // a mistake, not an attack
            }

            if (!entry.IsRegularFile)
            {
                throw Unsafe(path, $"it is a {entry.TypeName}, not a regular file", "Give the path of a regular file (or of a folder to hold one).");
            }

            CheckOwner(path, entry, me, isFolder: false);
            CheckMode(path, entry, privacy, isFolder: false);
        }

        private static void CheckOwner(string path, UnixFileStatus status, uint me, bool isFolder)
        {
            if (status.Owner != me)
            {
                throw Unsafe(path, $"it belongs to user id {status.Owner}, not to you (user id {me}), so that user could have written what is in it",
                    $"Remove it (as its owner or root), or choose a {(isFolder ? "folder" : "file")} of your own.");
            }
        }

        private static void CheckMode(string path, UnixFileStatus status, OwnedFilePrivacy privacy, bool isFolder)
        {
            bool open = privacy == OwnedFilePrivacy.OwnerOnly ? status.IsGroupOrOtherAccessible : status.IsGroupOrOtherWritable;
            if (open)
            {
                string mode = Convert.ToString(status.Permissions, 8);
                string wanted = isFolder ? "700" : "600";
                throw Unsafe(path, $"other users can {(privacy == OwnedFilePrivacy.OwnerOnly ? "reach" : "write")} it (mode {mode}; it must be {wanted})",
                    $"If it is yours, run: chmod {wanted} '{path}'.");
            }
        }

        private static OwnedFileException Unsafe(string path, string problem, string fix) => new OwnedFileException(path, problem, fix);

        private static int AccessFlags(FileAccess access) => access switch
        {
            FileAccess.Read => UnixNative.OpenReadOnly,
            FileAccess.Write => UnixNative.OpenWriteOnly,
            _ => UnixNative.OpenReadWrite,
        };
    }
}
