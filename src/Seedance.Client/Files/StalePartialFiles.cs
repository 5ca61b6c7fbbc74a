using System;
using System.IO;
using System.Text.RegularExpressions;

namespace Seedance.Client.Files
{
    /// <summary>
    /// A process killed during a download leaves its temporary file (".&lt;name&gt;.&lt;8 hex&gt;.partial") beside the
    /// destination. The next save into the folder removes those older than a day: old enough that no live download
    /// can own them. Only names of exactly that shape are touched, and only regular files, so a video or a user's
    /// own file is never taken for one.
    /// </summary>
    public static class StalePartialFiles
    {
        public static readonly TimeSpan DefaultAge = TimeSpan.FromDays(1);

        private static readonly Regex OurName = new Regex(@"^\..+\.[0-9a-f]{8}\.partial$", RegexOptions.CultureInvariant);

        /// <summary>The temporary name a download into <paramref name="destinationPath"/> uses.</summary>
        public static string TemporaryPathFor(string destinationPath)
        {
            string full = Path.GetFullPath(destinationPath);
            string directory = Path.GetDirectoryName(full) ?? ".";
            return Path.Combine(directory, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial");
        }

        public static bool IsTemporaryName(string fileName) => OurName.IsMatch(fileName);

        /// <summary>Deletes our temporary files in <paramref name="folder"/> last written before now minus <paramref name="age"/>; returns how many.</summary>
        public static int Remove(string folder, TimeSpan age) => Remove(folder, ".*.partial", IsTemporaryName, age);

        /// <summary>
        /// Deletes the regular files of <paramref name="folder"/> that match <paramref name="pattern"/>, whose names
        /// <paramref name="isOurs"/> says are left-over temporaries, last written before now minus <paramref name="age"/>
        /// (the key store's <see cref="OwnedFiles.WriteWhole"/> temporaries too); returns how many.
        /// </summary>
        public static int Remove(string folder, string pattern, Func<string, bool> isOurs, TimeSpan age)
        {
            int removed = 0;
            DateTime cutoff = DateTime.UtcNow - age;
            try
            {
                foreach (string path in Directory.EnumerateFiles(folder, pattern))
                {
                    if (!isOurs(Path.GetFileName(path)) || File.GetLastWriteTimeUtc(path) >= cutoff)
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
                    catch (IOException)
                    {
                        // In use, or gone already: another process's business.
                    }
                    catch (UnauthorizedAccessException)
                    {
                    }
                }
            }
            catch (IOException)
            {
                // The folder cannot be listed: the save itself will report what matters.
            }
            catch (UnauthorizedAccessException)
            {
            }

            return removed;
        }
    }
}
