using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using Seedance.Client.Files;

namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// The persisted key of the current user. Windows: DPAPI (CurrentUser) under %APPDATA%\Seedance.
    /// Linux/macOS: a file readable only by its owner (0600, folder 0700) under $XDG_CONFIG_HOME/seedance or
    /// ~/.config/seedance, the same protection ssh and cloud CLIs give their credentials. On Unix the store is
    /// refused when another user owns it or others can reach it (someone could have planted their key), every folder
    /// it creates is 0700 whatever the umask, and writes are an atomic rename, so concurrent Set/Remove from several
    /// processes never see a half-written file or fail on one another.
    /// </summary>
    internal static class ApiKeyStore
    {
        private static readonly byte[] Entropy = Encoding.UTF8.GetBytes("Seedance.ApiKey.v1");

        /// <summary>A temporary file older than this was left by a killed process; newer ones may be another process's write in progress.</summary>
        private static readonly TimeSpan StaleTemporary = TimeSpan.FromMinutes(10);

        private static bool IsWindows => RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

        public static string Directory
        {
            get
            {
                if (IsWindows)
                {
                    return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "Seedance");
                }

                string? xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
                string root = !string.IsNullOrEmpty(xdg) && Path.IsPathRooted(xdg)
                    ? xdg!
                    : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
                return Path.Combine(root, "seedance");
            }
        }

        public static string FilePath => Path.Combine(Directory, IsWindows ? "apikey.dpapi" : "apikey");

        public static bool Exists => File.Exists(FilePath);

        /// <exception cref="ApiKeyStoreInsecureException">The store is foreign-owned or open to others (Unix).</exception>
        public static string? Read()
        {
            if (!File.Exists(FilePath))
            {
                return null;
            }

            if (!IsWindows)
            {
                EnsurePrivate(Directory, isFolder: true);
                EnsurePrivate(FilePath, isFolder: false);
            }

            byte[] content;
            try
            {
                content = File.ReadAllBytes(FilePath);
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                return null; // removed by another process since the check above
            }

            if (IsWindows)
            {
                content = ProtectedData.Unprotect(content, Entropy, DataProtectionScope.CurrentUser);
            }

            string key = Encoding.UTF8.GetString(content).Trim();
            return key.Length == 0 ? null : key;
        }

        public static void Write(string key)
        {
            string directory = Directory;
            byte[] content = Encoding.UTF8.GetBytes(key);
            if (IsWindows)
            {
                System.IO.Directory.CreateDirectory(directory);
                content = ProtectedData.Protect(content, Entropy, DataProtectionScope.CurrentUser);
            }
            else
            {
                CreatePrivateFolders(directory);

                // Ours (or we could not write into it), but possibly left open by an older version or by hand: close it.
                EnsurePrivate(directory, isFolder: true, ownerOnly: true);
                UnixFileMode.Set(directory, UnixFileMode.OwnerReadWriteExecute);
                RemoveStaleTemporaryFiles(directory);
            }

            // Written beside the final name and renamed over it, so a crash never leaves a half-written key.
            string temporary = FilePath + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".tmp";
            try
            {
                using (FileStream file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    if (!IsWindows)
                    {
                        // Restrict before the first byte of the key is written.
                        UnixFileMode.Set(temporary, UnixFileMode.OwnerReadWrite);
                    }

                    file.Write(content, 0, content.Length);
                }

                MoveIntoPlace(temporary, FilePath);
            }
            finally
            {
                TryDelete(temporary);
            }
        }

        /// <summary>Deletes the stored key; true when there was one. Another process removing it first is not an error.</summary>
        public static bool Remove()
        {
            bool existed = File.Exists(FilePath);
            File.Delete(FilePath); // no error when already gone
            return existed;
        }

        /// <summary>
        /// Replaces the key file in one step. On Unix rename(2) replaces atomically whether or not the file exists, so
        /// two writers (or a writer and a remover) can never make each other fail; Windows needs Move or Replace, retried
        /// when another process changes the picture in between.
        /// </summary>
        private static void MoveIntoPlace(string temporary, string destination)
        {
            if (!IsWindows)
            {
                AtomicRename.Replace(temporary, destination);
                return;
            }

            for (int attempt = 1; ; attempt++)
            {
                try
                {
                    if (File.Exists(destination))
                    {
                        File.Replace(temporary, destination, null);
                    }
                    else
                    {
                        File.Move(temporary, destination);
                    }

                    return;
                }
                catch (IOException) when (attempt < 20 && File.Exists(temporary))
                {
                    // Created or deleted by another process between the check and the move, or briefly in use: again.
                    Thread.Sleep(10 * attempt);
                }
            }
        }

        /// <summary>mkdir -m 0700 for each missing folder, so that a missing ~/.config is not created 0777 under umask 000.</summary>
        private static void CreatePrivateFolders(string directory)
        {
            Stack<string> missing = new Stack<string>();
            for (string? current = Path.GetFullPath(directory); current is not null && !System.IO.Directory.Exists(current); current = Path.GetDirectoryName(current))
            {
                missing.Push(current);
            }

            while (missing.Count > 0)
            {
                string folder = missing.Pop();
                System.IO.Directory.CreateDirectory(folder);

                // Set after creating rather than trusting the umask; another process may have just created it: then it is
                // checked like any existing store folder.
                if (UnixFileStatus.OfLink(folder) is UnixFileStatus status && status.Owner == UnixFileStatus.CurrentUser)
                {
                    UnixFileMode.Set(folder, UnixFileMode.OwnerReadWriteExecute);
                }
            }
        }

        /// <summary>
        /// Refuses a store path another user owns or (unless <paramref name="ownerOnly"/>) others can reach. A symbolic
        /// link is allowed when it is the user's own (dotfiles) and it leads to something that passes the same checks.
        /// </summary>
        private static void EnsurePrivate(string path, bool isFolder, bool ownerOnly = false)
        {
            uint? me = UnixFileStatus.CurrentUser;
            UnixFileStatus? entry = UnixFileStatus.OfLink(path);
            if (entry is null || me is null)
            {
                return; // absent, or this runtime cannot tell: nothing to refuse
            }

            string fix = isFolder
                ? $"If you own it, run: chmod 700 '{path}'. Otherwise remove it and store your key again with Set-SeedanceApiKey."
                : "Remove it (Remove-SeedanceApiKey) and store your key again with Set-SeedanceApiKey, or run: chmod 600 '" + path + "'.";
            if (entry.Owner != me)
            {
                throw new ApiKeyStoreInsecureException(path, $"it belongs to user id {entry.Owner}, not to you (user id {me}), so another user could have put a key there",
                    $"Remove it (as its owner or root) and store your key again with Set-SeedanceApiKey.");
            }

            UnixFileStatus? target = entry.IsSymbolicLink ? UnixFileStatus.Of(path) : entry;
            if (target is null)
            {
                return;
            }

            if (target.Owner != me)
            {
                throw new ApiKeyStoreInsecureException(path, $"it leads to a {target.TypeName} that belongs to user id {target.Owner}, not to you (user id {me})",
                    "Remove the link and store your key again with Set-SeedanceApiKey.");
            }

            if (!ownerOnly && target.IsGroupOrOtherAccessible)
            {
                throw new ApiKeyStoreInsecureException(path,
                    $"other users can reach it (mode {Convert.ToString(target.Permissions, 8)}; a {(isFolder ? "folder" : "file")} that holds the key must be {(isFolder ? "0700" : "0600")})", fix);
            }
        }

        private static void RemoveStaleTemporaryFiles(string directory)
        {
            try
            {
                foreach (string path in System.IO.Directory.EnumerateFiles(directory, "apikey.*.tmp"))
                {
                    if (File.GetLastWriteTimeUtc(path) < DateTime.UtcNow - StaleTemporary)
                    {
                        TryDelete(path);
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
