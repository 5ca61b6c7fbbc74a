using System;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// chmod for Linux and macOS. netstandard2.0 has no File.SetUnixFileMode, and the key store must be readable
    /// by its owner only, so we call libc directly (only ever on a non-Windows platform).
    /// </summary>
    internal static class UnixFileMode
    {
        public const int OwnerReadWrite = 0x180;          // 0600
        public const int OwnerReadWriteExecute = 0x1C0;   // 0700

        public static void Set(string path, int mode)
        {
            if (chmod(path, mode) != 0)
            {
                throw new Win32Exception(Marshal.GetLastWin32Error(), $"Could not set permissions on '{path}'.");
            }
        }

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)]
        private static extern int chmod(string path, int mode);
    }
}
