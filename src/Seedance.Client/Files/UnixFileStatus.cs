using System;
using System.Runtime.InteropServices;

namespace Seedance.Client.Files
{
    /// <summary>
    /// lstat/stat for Linux and macOS: the file type (regular, directory, FIFO, device, socket, link), the mode bits and
    /// the owner, which netstandard2.0 cannot tell (FileAttributes calls /dev/null and a FIFO "Normal"; no API gives
    /// the owner). It calls the .NET runtime's own native shim (<see cref="UnixNative"/>), whose FileStatus layout is the
    /// same on every Unix and architecture, unlike libc's struct stat. Never used on
    /// Windows; where the shim cannot be called, the answer is null and callers fall back to what managed code can see.
    /// </summary>
    public sealed class UnixFileStatus
    {
        public const int TypeMask = 0xF000;
        public const int Fifo = 0x1000;
        public const int CharacterDevice = 0x2000;
        public const int Directory = 0x4000;
        public const int BlockDevice = 0x6000;
        public const int RegularFile = 0x8000;
        public const int SymbolicLink = 0xA000;
        public const int Socket = 0xC000;

        private UnixFileStatus(int mode, uint owner)
        {
            Mode = mode;
            Owner = owner;
        }

        /// <summary>st_mode: the type bits (<see cref="TypeMask"/>) and the permission bits.</summary>
        public int Mode { get; }

        /// <summary>The owner's user id.</summary>
        public uint Owner { get; }

        public int Type => Mode & TypeMask;
        public int Permissions => Mode & 0xFFF;
        public bool IsRegularFile => Type == RegularFile;
        public bool IsDirectory => Type == Directory;
        public bool IsSymbolicLink => Type == SymbolicLink;

        /// <summary>Readable, writable or searchable by the group or by others (any of 077).</summary>
        public bool IsGroupOrOtherAccessible => (Mode & 0x3F) != 0;

        /// <summary>Writable by the group or by others (any of 022).</summary>
        public bool IsGroupOrOtherWritable => (Mode & 0x12) != 0;

        /// <summary>"directory", "FIFO", ... for messages.</summary>
        public string TypeName
        {
            get
            {
                switch (Type)
                {
                    case RegularFile: return "regular file";
                    case Directory: return "directory";
                    case Fifo: return "FIFO (named pipe)";
                    case CharacterDevice: return "character device";
                    case BlockDevice: return "block device";
                    case SymbolicLink: return "symbolic link";
                    case Socket: return "socket";
                    default: return "special file";
                }
            }
        }

        public static bool IsAvailable => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows) && Probe.Value;

        /// <summary>The entry itself (a symbolic link is reported as one); null when there is none or when it cannot be asked.</summary>
        public static UnixFileStatus? OfLink(string path) => IsAvailable ? Read(UnixNative.LinkStat(UnixNative.Utf8(path), Buffer(out byte[] b)), b) : null;

        /// <summary>What the path leads to (links followed); null when there is none or when it cannot be asked.</summary>
        public static UnixFileStatus? Of(string path) => IsAvailable ? Read(UnixNative.Stat(UnixNative.Utf8(path), Buffer(out byte[] b)), b) : null;

        /// <summary>The file an open descriptor refers to (fstat): what was really opened, whatever the path says now.</summary>
        internal static UnixFileStatus? OfDescriptor(IntPtr fd) => IsAvailable ? Read(UnixNative.FileStat(fd, Buffer(out byte[] b)), b) : null;

        /// <summary>The effective user id of this process (or null on Windows).</summary>
        public static uint? CurrentUser => RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? (uint?)null : UnixNative.EffectiveUserId();

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
