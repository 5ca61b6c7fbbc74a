using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
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

        /// <exception cref="ApiKeyStoreInsecureException">The store is foreign-owned, open to others, or not a regular file (Unix).</exception>
        public static string? Read()
        {
            byte[]? content;
            try
            {
                content = ReadOwnerOnly(FilePath);
            }
            catch (OwnedFileException e)
            {
                throw Insecure(e);
            }

            if (content is null)
            {
                return null;
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
            byte[] content = Encoding.UTF8.GetBytes(key);
            if (IsWindows)
            {
                content = ProtectedData.Protect(content, Entropy, DataProtectionScope.CurrentUser);
            }

            try
            {
                WriteOwnerOnly(FilePath, content);
            }
            catch (OwnedFileException e)
            {
                throw Insecure(e);
            }
        }

        /// <summary>A file of this folder (the key, the stored settings), read with the store's checks; null when there is none.</summary>
        /// <exception cref="OwnedFileException">The folder or file is foreign-owned, open to others, not a regular file (Unix), or over 64 KiB.</exception>
        internal static byte[]? ReadOwnerOnly(string path)
        {
            OwnedFiles.CheckFolder(Directory, OwnedFilePrivacy.OwnerOnly);
            return OwnedFiles.ReadWhole(path, 64 * 1024, OwnedFilePrivacy.OwnerOnly);
        }

        /// <summary>
        /// Writes a file of this folder: the folder made (and kept) owner-only, the content written beside the final
        /// name (0600 from its first moment) and renamed over it, so a crash never leaves a half-written file and
        /// concurrent writers never see one.
        /// </summary>
        /// <exception cref="OwnedFileException">The folder is foreign-owned or open to others (Unix).</exception>
        internal static void WriteOwnerOnly(string path, byte[] content)
        {
            string directory = Directory;
            OwnedFiles.CreateFolders(directory);
            if (!IsWindows)
            {
                // Ours (or we could not write into it), but possibly left open by an older version or by hand: close it.
                if (UnixFileStatus.OfLink(directory) is UnixFileStatus folder && folder.Owner == UnixFileStatus.CurrentUser && !folder.IsSymbolicLink)
                {
                    OwnedFiles.MakeOwnerOnly(directory, isFolder: true);
                }

                OwnedFiles.CheckFolder(directory, OwnedFilePrivacy.OwnerOnly);
            }

            OwnedFiles.WriteWhole(path, content, ownerOnly: true);
        }

        /// <summary>Deletes the stored key; true when there was one.</summary>
        public static bool Remove() => Delete(FilePath);

        /// <summary>Deletes a file of this folder (the key, the stored settings); true when it was there. Another process removing it first is not an error.</summary>
        internal static bool Delete(string path)
        {
            bool existed = File.Exists(path);
            File.Delete(path); // no error when already gone
            return existed;
        }

        private static ApiKeyStoreInsecureException Insecure(OwnedFileException e) =>
            new ApiKeyStoreInsecureException(e.Path, e.Reason, e.Fix + " Then store your key again with Set-SeedanceApiKey (Remove-SeedanceApiKey removes the stored one).");
    }

    /// <summary>
    /// The key store (its file or its folder) is owned by another user, or others can read or write it: a key read from
    /// it may have been planted by someone else, and one written to it may be read. Carries its ErrorRecord, so that
    /// thrown while a cmdlet resolves its configuration it surfaces as ApiKeyStoreInsecure, with the path as the target.
    /// </summary>
    public sealed class ApiKeyStoreInsecureException : Exception, IContainsErrorRecord
    {
        public ApiKeyStoreInsecureException(string path, string problem, string fix)
            : base($"The Seedance key store '{path}' is not safe to use: {problem}. {fix}")
        {
            Path = path;
            ErrorRecord = Commands.Infrastructure.SeedanceErrors.Record(this, "ApiKeyStoreInsecure", path, Message, fix);
        }

        public string Path { get; }

        public ErrorRecord ErrorRecord { get; }
    }
}
