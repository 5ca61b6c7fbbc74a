using System;
using System.IO;
using Seedance.Client.Files;

namespace Seedance.Client.Settings
{
    /// <summary>
    /// The user's Seedance folder, which holds the key store and the stored settings under one set of rules. Windows:
    /// %APPDATA%\Seedance. Linux/macOS: $XDG_CONFIG_HOME/seedance or ~/.config/seedance, owner-only (0700, its files
    /// 0600), the protection ssh and cloud CLIs give their credentials: refused when another user owns it or others can
    /// reach it (someone could have planted a key or a setting), and written by an atomic rename, so concurrent writers
    /// from several processes never see a half-written file or fail on one another.
    /// </summary>
    internal sealed class UserFolder
    {
        /// <summary>No real key or settings file comes near this; anything larger is not read.</summary>
        private const long MaxFileBytes = 64 * 1024;

        public UserFolder(string path)
        {
            Path = path;
        }

        /// <summary>The folder of the user running this process (read from the environment on each use).</summary>
        public static UserFolder ForCurrentUser => new UserFolder(CurrentUserPath());

        public string Path { get; }

        /// <summary>The key store (encrypted with DPAPI on Windows, hence its own name there).</summary>
        public string KeyFile => FileOf(OwnedFiles.IsWindows ? "apikey.dpapi" : "apikey");

        public string FileOf(string name) => System.IO.Path.Combine(Path, name);

        /// <summary>A file of this folder, read with the folder's checks; null when there is none.</summary>
        /// <exception cref="OwnedFileException">The folder or file is foreign-owned, open to others, not a regular file (Unix), or over 64 KiB.</exception>
        public byte[]? Read(string file)
        {
            OwnedFiles.CheckFolder(Path, OwnedFilePrivacy.OwnerOnly);
            return OwnedFiles.ReadWhole(file, MaxFileBytes, OwnedFilePrivacy.OwnerOnly);
        }

        /// <summary>
        /// Writes a file of this folder: the folder made (and kept) owner-only, the content written beside the final
        /// name (0600 from its first moment) and renamed over it, so a crash never leaves a half-written file and
        /// concurrent writers never see one.
        /// </summary>
        /// <exception cref="OwnedFileException">The folder is foreign-owned or open to others (Unix).</exception>
        public void Write(string file, byte[] content)
        {
            OwnedFiles.CreateFolders(Path);
            if (!OwnedFiles.IsWindows)
            {
                // Ours (or we could not write into it), but possibly left open by an older version or by hand: close it.
                if (UnixFileStatus.OfLink(Path) is UnixFileStatus folder && folder.Owner == UnixFileStatus.CurrentUser && !folder.IsSymbolicLink)
                {
                    OwnedFiles.MakeOwnerOnly(Path, isFolder: true);
                }

                OwnedFiles.CheckFolder(Path, OwnedFilePrivacy.OwnerOnly);
            }

            OwnedFiles.WriteWhole(file, content, ownerOnly: true);
        }

        /// <summary>Deletes a file of this folder; true when it was there. Another process removing it first is not an error.</summary>
        public static bool Delete(string file)
        {
            bool existed = File.Exists(file);
            File.Delete(file); // no error when already gone
            return existed;
        }

        private static string CurrentUserPath()
        {
            if (OwnedFiles.IsWindows)
            {
                return System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "Seedance");
            }

            string? xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
            string root = !string.IsNullOrEmpty(xdg) && System.IO.Path.IsPathRooted(xdg)
                ? xdg!
                : System.IO.Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
            return System.IO.Path.Combine(root, "seedance");
        }
    }
}
