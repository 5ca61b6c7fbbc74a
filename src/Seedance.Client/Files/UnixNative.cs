using System;
using System.Collections.Generic;
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

    /// <summary>
    /// lstat/stat/fstat for Linux and macOS through the shim above: the file type (regular, directory, FIFO, device,
    /// socket, link), the mode bits and the owner, which netstandard2.0 cannot tell (FileAttributes calls /dev/null and
    /// a FIFO "Normal"; no API gives the owner). Never used on Windows; where the shim cannot be called, the answer is
    /// null and callers fall back to what managed code can see.
    /// </summary>
    public sealed class UnixFileStatus
    {
        private const int TypeMask = 0xF000;
        private const int RegularFile = 0x8000;
        private const int Directory = 0x4000;
        private const int SymbolicLink = 0xA000;

        /// <summary>What each type is called in a message; any other is a "special file".</summary>
        private static readonly Dictionary<int, string> TypeNames = new Dictionary<int, string>
        {
            [RegularFile] = "regular file",
            [Directory] = "directory",
            [SymbolicLink] = "symbolic link",
            [0x1000] = "FIFO (named pipe)",
            [0x2000] = "character device",
            [0x6000] = "block device",
            [0xC000] = "socket",
        };

        private UnixFileStatus(int mode, uint owner)
        {
            Mode = mode;
            Owner = owner;
        }

        /// <summary>st_mode: the type bits and the permission bits.</summary>
        public int Mode { get; }

        /// <summary>The owner's user id.</summary>
        public uint Owner { get; }

        public int Permissions => Mode & 0xFFF;
        public bool IsRegularFile => (Mode & TypeMask) == RegularFile;
        public bool IsDirectory => (Mode & TypeMask) == Directory;
        public bool IsSymbolicLink => (Mode & TypeMask) == SymbolicLink;

        /// <summary>Readable, writable or searchable by the group or by others (any of 077).</summary>
        public bool IsGroupOrOtherAccessible => (Mode & 0x3F) != 0;

        /// <summary>Writable by the group or by others (any of 022).</summary>
        public bool IsGroupOrOtherWritable => (Mode & 0x12) != 0;

        /// <summary>"directory", "FIFO (named pipe)", ... for messages.</summary>
        public string TypeName => TypeNames.TryGetValue(Mode & TypeMask, out string? name) ? name : "special file";

        /// <summary>The entry itself (a symbolic link is reported as one); null when there is none or when it cannot be asked.</summary>
        public static UnixFileStatus? OfLink(string path) => IsAvailable ? Read(UnixNative.LinkStat(UnixNative.Utf8(path), Buffer(out byte[] b)), b) : null;

        /// <summary>What the path leads to (links followed); null when there is none or when it cannot be asked.</summary>
        public static UnixFileStatus? Of(string path) => IsAvailable ? Read(UnixNative.Stat(UnixNative.Utf8(path), Buffer(out byte[] b)), b) : null;

        /// <summary>The file an open descriptor refers to (fstat): what was really opened, whatever the path says now.</summary>
        internal static UnixFileStatus? OfDescriptor(IntPtr fd) => IsAvailable ? Read(UnixNative.FileStat(fd, Buffer(out byte[] b)), b) : null;

        /// <summary>The effective user id of this process (or null on Windows).</summary>
        public static uint? CurrentUser => RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? (uint?)null : UnixNative.EffectiveUserId();

        private static bool IsAvailable => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && Probe.Value;

        private static readonly Lazy<bool> Probe = new Lazy<bool>(() =>
        {
            try
            {
                UnixNative.Stat(UnixNative.Utf8("/"), new byte[UnixNative.StatusBufferSize]);
                return true;
            }
            catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException || e is BadImageFormatException)
            {
                return false;
            }
        });

        private static byte[] Buffer(out byte[] buffer) => buffer = new byte[UnixNative.StatusBufferSize];

        private static UnixFileStatus? Read(int result, byte[] buffer) =>
            result != 0 ? null : new UnixFileStatus(BitConverter.ToInt32(buffer, 4), BitConverter.ToUInt32(buffer, 8));
    }
}
