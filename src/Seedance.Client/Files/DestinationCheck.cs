using System.IO;

namespace Seedance.Client.Files
{
    /// <summary>
    /// The final name of a download must be a regular file or nothing. Renaming over anything else would replace a
    /// device (as root, /dev/null became a file), or fail after the whole download (a directory); a FIFO or socket is
    /// no place for a video either. A symbolic link is judged by what it points to (the rename replaces the link).
    /// </summary>
    public static class DestinationCheck
    {
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
            catch (System.UnauthorizedAccessException)
            {
                return null;
            }
        }
    }
}
