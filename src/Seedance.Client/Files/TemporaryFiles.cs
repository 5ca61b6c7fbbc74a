using System;
using System.IO;
using System.Text.RegularExpressions;

namespace Seedance.Client.Files
{
    /// <summary>
    /// The temporary files the module writes beside a destination before renaming them into place: ".&lt;name&gt;.&lt;8
    /// hex&gt;.partial" for a download, "&lt;name&gt;.&lt;8 hex&gt;.tmp" for a file written whole (the key store, the
    /// settings, the review page). A process killed meanwhile leaves its temporary file behind; the next write into the
    /// folder removes those old enough that no live writer can own them. Only names of exactly that shape are touched,
    /// and only regular files, so a video or a user's own file is never taken for one.
    /// </summary>
    public static class TemporaryFiles
    {
        /// <summary>A download can take hours; one older than a day is dead.</summary>
        private static readonly TimeSpan DownloadAge = TimeSpan.FromDays(1);

        /// <summary>A whole-file write takes milliseconds; one older than ten minutes is dead.</summary>
        private static readonly TimeSpan WriteAge = TimeSpan.FromMinutes(10);

        private static readonly Regex OurName = new Regex(@"^(\..+\.[0-9a-f]{8}\.partial|.+\.[0-9a-f]{8}\.tmp)$", RegexOptions.CultureInvariant);

        /// <summary>A new temporary name for a download into <paramref name="destinationPath"/>: hidden, as a download is long.</summary>
        public static string DownloadPathFor(string destinationPath)
        {
            string full = Path.GetFullPath(destinationPath);
            return Path.Combine(Path.GetDirectoryName(full) ?? ".", "." + Path.GetFileName(full) + "." + Hex() + ".partial");
        }

        /// <summary>A new temporary name for a whole-file write of <paramref name="path"/>.</summary>
        public static string WritePathFor(string path) => path + "." + Hex() + ".tmp";

        /// <summary>Removes the stale downloads of <paramref name="folder"/>.</summary>
        public static int RemoveStaleDownloads(string folder) => RemoveStale(folder, ".*.partial", DownloadAge);

        /// <summary>Removes the stale whole-file writes of <paramref name="path"/> beside it.</summary>
        public static int RemoveStaleWrites(string path) =>
            RemoveStale(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", Path.GetFileName(path) + ".*.tmp", WriteAge);

        private static string Hex() => Guid.NewGuid().ToString("N").Substring(0, 8);

        public static bool IsTemporaryName(string fileName) => OurName.IsMatch(fileName);

        /// <summary>
        /// Deletes our temporary files in <paramref name="folder"/> that match <paramref name="searchPattern"/> and were last
        /// written before now minus <paramref name="age"/>; returns how many.
        /// </summary>
        private static int RemoveStale(string folder, string searchPattern, TimeSpan age)
        {
            int removed = 0;
            DateTime cutoff = DateTime.UtcNow - age;
            try
            {
                foreach (string path in Directory.EnumerateFiles(folder, searchPattern))
                {
                    if (!IsTemporaryName(Path.GetFileName(path)) || File.GetLastWriteTimeUtc(path) >= cutoff)
                    {
                        continue;
                    }

                    UnixFileStatus? status = UnixFileStatus.OfLink(path);
                    if (status is not null && !status.IsRegularFile)
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
