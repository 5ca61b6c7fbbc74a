using System.Runtime.InteropServices;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// The few libc calls the journal needs on Linux and macOS, which netstandard2.0 does not offer: creating files and
    /// folders with an owner-only mode from the start (not chmod after, when another user could already have opened
    /// them; the umask can only make them stricter), flushing a folder after a rename, and checking that an advisory lock is really held. Called only behind
    /// a platform check. Only non-variadic functions and flag values that are the same on Linux and macOS are used
    /// (open's variadic mode argument is passed differently on Apple silicon, so files are made with creat).
    /// </summary>
    internal static class UnixNative
    {
        public const int OwnerReadWrite = 0x180;        // 0600
        public const int OwnerReadWriteExecute = 0x1C0; // 0700
        public const int ReadOnly = 0;                  // O_RDONLY, the same everywhere
        public const int LockExclusive = 2;             // LOCK_EX
        public const int LockNonBlocking = 4;           // LOCK_NB

        private const int ErrnoInterrupted = 4;         // EINTR
        private const int ErrnoExists = 17;             // EEXIST (Linux and macOS)
        private const int ErrnoWouldBlockLinux = 11;    // EAGAIN / EWOULDBLOCK
        private const int ErrnoWouldBlockMac = 35;

        public static int LastError => Marshal.GetLastWin32Error();

        public static bool IsExists(int errno) => errno == ErrnoExists;

        public static bool IsWouldBlock(int errno) => errno == ErrnoWouldBlockLinux || errno == ErrnoWouldBlockMac;

        public static bool IsInterrupted(int errno) => errno == ErrnoInterrupted;

        [DllImport("libc", EntryPoint = "creat", SetLastError = true, CharSet = CharSet.Ansi)]
        public static extern int Create(string path, int mode);

        [DllImport("libc", EntryPoint = "mkdir", SetLastError = true, CharSet = CharSet.Ansi)]
        public static extern int MakeDirectory(string path, int mode);

        [DllImport("libc", EntryPoint = "open", SetLastError = true, CharSet = CharSet.Ansi)]
        public static extern int Open(string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int Sync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);

        [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
        public static extern int FileLock(int fd, int operation);
    }
}
