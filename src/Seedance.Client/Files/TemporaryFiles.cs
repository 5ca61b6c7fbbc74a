using System;
using System.IO;
using System.Text.RegularExpressions;

namespace Seedance.Client.Files
{
    /// <summary>
    /// The temporary files the module writes beside a destination before renaming them into place: ".&lt;name&gt;.&lt;8
    /// hex&gt;.partial" for a download, "&lt;name&gt;.&lt;8 hex&gt;.tmp" for a file written whole (the key store, the
    /// settings, the review page). A process killed meanwhile leaves its temporary file behind; the next write of the
    /// same destination removes those old enough that no live writer can own them. Only that destination's own names
    /// are touched (another Save in the same folder keeps its download, a user's file of the same shape its content),
    /// and only regular files.
    /// </summary>
    public static class TemporaryFiles
    {
        /// <summary>A download can take hours; one older than a day is dead.</summary>
        private static readonly TimeSpan DownloadAge = TimeSpan.FromDays(1);

        /// <summary>A whole-file write takes milliseconds; one older than ten minutes is dead.</summary>
        private static readonly TimeSpan WriteAge = TimeSpan.FromMinutes(10);

        private static readonly Regex EightHex = new Regex("^[0-9a-f]{8}$", RegexOptions.CultureInvariant);

        /// <summary>A new temporary name for a download into <paramref name="destinationPath"/>: hidden, as a download is long.</summary>
        public static string DownloadPathFor(string destinationPath) => Beside(destinationPath, ".", Hex() + ".partial");

        /// <summary>A new temporary name for a whole-file write of <paramref name="path"/>.</summary>
        public static string WritePathFor(string path) => Beside(path, string.Empty, Hex() + ".tmp");

        /// <summary>Removes the stale downloads into <paramref name="destinationPath"/>; returns how many.</summary>
        public static int RemoveStaleDownloads(string destinationPath) => RemoveStale(destinationPath, ".", ".partial", DownloadAge);

        /// <summary>Removes the stale whole-file writes of <paramref name="path"/> beside it; returns how many.</summary>
        public static int RemoveStaleWrites(string path) => RemoveStale(path, string.Empty, ".tmp", WriteAge);

        private static string Hex() => Guid.NewGuid().ToString("N").Substring(0, 8);

        private static string Beside(string destination, string prefix, string suffix)
        {
            string full = Path.GetFullPath(destination);
            return Path.Combine(Path.GetDirectoryName(full) ?? ".", prefix + Path.GetFileName(full) + "." + suffix);
        }

        /// <summary>
        /// Deletes the temporary files of <paramref name="destination"/> (exactly <paramref name="prefix"/>, its name, ".",
        /// 8 hex digits and <paramref name="suffix"/>) last written before now minus <paramref name="age"/>.
        /// </summary>
        private static int RemoveStale(string destination, string prefix, string suffix, TimeSpan age)
        {
            string full = Path.GetFullPath(destination);
            string stem = prefix + Path.GetFileName(full) + ".";
            int removed = 0;
            DateTime cutoff = DateTime.UtcNow - age;
            try
            {
                foreach (string path in Directory.EnumerateFiles(Path.GetDirectoryName(full) ?? ".", stem + "*" + suffix))
                {
                    string name = Path.GetFileName(path);
                    bool ours = name.Length == stem.Length + 8 + suffix.Length && name.StartsWith(stem, StringComparison.Ordinal) &&
                        name.EndsWith(suffix, StringComparison.Ordinal) && EightHex.IsMatch(name.Substring(stem.Length, 8));
                    if (!ours || File.GetLastWriteTimeUtc(path) >= cutoff || UnixFileStatus.OfLink(path) is { IsRegularFile: false })
                    {
                        continue;
                    }

                    try
                    {
                        File.Delete(path);
                        removed++;
                    }
                    catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                    {
                        // In use, or gone already: another process's business.
                    }
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                // The folder cannot be listed: the write itself will report what matters.
            }

            return removed;
        }
    }
}
