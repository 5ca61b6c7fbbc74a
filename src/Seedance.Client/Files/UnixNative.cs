using System;
using System.Runtime.InteropServices;

namespace Seedance.Client.Files
{
    /// <summary>
    /// Every native call of the module, for Linux and macOS (netstandard2.0 offers none of them). Called only behind a
    /// platform check, so the module still loads in Windows PowerShell 5.1. Two libraries: the .NET runtime's own shim
    /// (libSystem.Native, shipped with every .NET on Unix), whose open flags and FileStatus layout are the same on every
    /// Unix and architecture, unlike libc's (O_NOFOLLOW is 0x20000 on x64 Linux, 0x8000 on arm64 Linux, 0x100 on macOS;
    /// open's variadic mode argument is passed differently on Apple silicon); and libc for the non-variadic calls whose
    /// arguments and the flag values used are the same everywhere.
    /// </summary>
    internal static class UnixNative
    {
        public const int OwnerReadWrite = 0x180;        // 0600
        public const int OwnerReadWriteExecute = 0x1C0; // 0700
        public const int LockExclusive = 2;             // LOCK_EX
        public const int LockNonBlocking = 4;           // LOCK_NB

        // The shim's PAL_O_* open flags (translated by the shim to the platform's own).
        public const int OpenReadOnly = 0x0000;
        public const int OpenWriteOnly = 0x0001;
        public const int OpenReadWrite = 0x0002;
        public const int OpenCloseOnExec = 0x0010;
        public const int OpenCreate = 0x0020;
        public const int OpenExclusive = 0x0040;
        public const int OpenNoFollow = 0x0200;

        // FileStatus starts with int Flags, int Mode, uint Uid, uint Gid; the buffer is far larger than the struct.
        public const int StatusBufferSize = 512;

        private const int ErrnoInterrupted = 4;         // EINTR
        private const int ErrnoExists = 17;             // EEXIST (Linux and macOS)
        private const int ErrnoWouldBlockLinux = 11;    // EAGAIN / EWOULDBLOCK
        private const int ErrnoWouldBlockMac = 35;
        private const int ErrnoNoEntry = 2;             // ENOENT
        private const int ErrnoAccess = 13;             // EACCES
        private const int ErrnoPermission = 1;          // EPERM
        private const int ErrnoReadOnlyFileSystem = 30; // EROFS (Linux and macOS)

        public static int LastError => Marshal.GetLastWin32Error();

        public static bool IsExists(int errno) => errno == ErrnoExists;

        public static bool IsNoEntry(int errno) => errno == ErrnoNoEntry;

        public static bool IsDenied(int errno) => errno == ErrnoAccess || errno == ErrnoPermission || errno == ErrnoReadOnlyFileSystem;

        public static bool IsWouldBlock(int errno) => errno == ErrnoWouldBlockLinux || errno == ErrnoWouldBlockMac;

        public static bool IsInterrupted(int errno) => errno == ErrnoInterrupted;

        /// <summary>The path as the shim takes it: UTF-8, NUL-terminated (netstandard2.0 has no LPUTF8Str).</summary>
        public static byte[] Utf8(string path) => System.Text.Encoding.UTF8.GetBytes(path + "\0");

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Open", SetLastError = true)]
        public static extern IntPtr Open(byte[] path, int flags, int mode);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", SetLastError = true)]
        public static extern int Stat(byte[] path, [Out] byte[] output);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
        public static extern int LinkStat(byte[] path, [Out] byte[] output);

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_FStat", SetLastError = true)]
        public static extern int FileStat(IntPtr fd, [Out] byte[] output);

        [DllImport("libc", EntryPoint = "geteuid")]
        public static extern uint EffectiveUserId();

        [DllImport("libc", EntryPoint = "mkdir", SetLastError = true, CharSet = CharSet.Ansi)]
        public static extern int MakeDirectory(string path, int mode);

        [DllImport("libc", EntryPoint = "chmod", SetLastError = true, CharSet = CharSet.Ansi)]
        public static extern int ChangeMode(string path, int mode);

        [DllImport("libc", EntryPoint = "rename", SetLastError = true, CharSet = CharSet.Ansi)]
        public static extern int Rename(string oldPath, string newPath);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        public static extern int Sync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        public static extern int Close(int fd);

        [DllImport("libc", EntryPoint = "flock", SetLastError = true)]
        public static extern int FileLock(int fd, int operation);
    }
}
