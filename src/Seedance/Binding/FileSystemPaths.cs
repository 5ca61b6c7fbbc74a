using System;
using System.IO;
using System.Management.Automation;
using Seedance.Client;
using Seedance.Client.Gallery;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// The one way a path the user wrote (-Path, -JournalPath, -PriceTable, a CSV's material cell) becomes a full file
    /// system path: literal (no wildcards), relative to the runspace's current location, ~ for home. PowerShell hands
    /// some paths back unrooted (on Linux '\\host\share\y' is not rooted for .NET: backslash is no separator there); .NET
    /// would later resolve those against the process's folder, which is not the PowerShell location. Here they are
    /// joined to the location like every other relative path, their backslashes read as separators as PowerShell reads
    /// 'a\b' there (so '\\host\share\y' is &lt;location&gt;/host/share/y on Linux; on Windows it is the UNC path itself).
    /// </summary>
    internal static class FileSystemPaths
    {
        /// <summary>The full path of <paramref name="path"/> and its provider (the caller refuses one that is not the FileSystem).</summary>
        public static string Resolve(SessionState session, string path, out ProviderInfo provider)
        {
            string full = session.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out PSDriveInfo _);
            if (Path.IsPathRooted(full) || !string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
            {
                return full;
            }

            string location = session.Path.CurrentFileSystemLocation.ProviderPath;
            string relative = Path.DirectorySeparatorChar == '/' ? full.Replace('\\', '/').TrimStart('/') : full.TrimStart('\\', '/');
            return Path.Combine(location, relative);
        }

        /// <summary><see cref="Resolve(SessionState, string, out ProviderInfo)"/> for a path that must be on the file system.</summary>
        /// <exception cref="NotSupportedException">The path is on another provider (Registry, Variable...).</exception>
        public static string ResolveFile(SessionState session, string path, string what)
        {
            string full = Resolve(session, path, out ProviderInfo provider);
            if (!string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase))
            {
                throw new NotSupportedException($"'{path}' is on the {provider.Name} provider; {what} must be on the file system.");
            }

            return full;
        }

        /// <summary>
        /// <see cref="ResolveFile"/> for where a command writes (-Path of Save-SeedanceVideo and Export-SeedanceGallery):
        /// a path that cannot be used is a terminating InvalidDestination, before anything is created or paid for.
        /// </summary>
        public static string ResolveDestination(PSCmdlet cmdlet, string given, string what)
        {
            try
            {
                return ResolveFile(cmdlet.SessionState, given, what);
            }
            catch (Exception e) when (e is NotSupportedException || e is PSArgumentException || e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException)
            {
                cmdlet.ThrowTerminatingError(SeedanceErrors.Record(e, "InvalidDestination", given));
                throw;
            }
        }

        /// <summary>
        /// The review page in <paramref name="folder"/> with the rows its data file remembers. A data file that cannot be read
        /// is a terminating error before any row is processed (or paid for): its rows are not written over.
        /// </summary>
        public static GalleryExport OpenGallery(PSCmdlet cmdlet, string folder, string? title, decimal usdPerCredit)
        {
            try
            {
                return GalleryExport.Open(folder, title, usdPerCredit);
            }
            catch (SeedanceException e) when (e.Problem == SeedanceProblem.GalleryDataUnreadable)
            {
                cmdlet.ThrowTerminatingError(SeedanceErrors.FromException(e, null));
                throw;
            }
        }
    }
}
