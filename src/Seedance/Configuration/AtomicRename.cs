using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// rename(2) for Linux and macOS: replaces the destination atomically whether it exists or not. netstandard2.0's
    /// File.Move cannot overwrite and File.Replace needs the destination to exist, so "check, then Move or Replace" races
    /// with another process that writes or removes the same file in between.
    /// </summary>
    internal static class AtomicRename
    {
        public static void Replace(string source, string destination)
        {
            if (rename(source, destination) != 0)
            {
                throw new Win32Exception(Marshal.GetLastWin32Error(), $"Could not move '{source}' to '{destination}'.");
            }
        }

        [DllImport("libc", SetLastError = true, CharSet = CharSet.Ansi)]
        private static extern int rename(string oldpath, string newpath);
    }
}
