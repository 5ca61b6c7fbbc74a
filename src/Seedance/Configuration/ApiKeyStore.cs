using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;
using Seedance.Client.Files;
using Seedance.Client.Settings;

namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// The persisted key of the current user, in the user's Seedance folder (<see cref="UserFolder"/>: owner-only,
    /// written by an atomic rename). Windows: encrypted with DPAPI (CurrentUser). Linux/macOS: a file readable only by
    /// its owner (0600, folder 0700), the same protection ssh and cloud CLIs give their credentials.
    /// </summary>
    internal static class ApiKeyStore
    {
        private static readonly byte[] Entropy = Encoding.UTF8.GetBytes("Seedance.ApiKey.v1");

        private static bool IsWindows => OwnedFiles.IsWindows;

        public static string FilePath => UserFolder.ForCurrentUser.KeyFile;

        public static bool Exists => File.Exists(FilePath);

        /// <exception cref="ApiKeyStoreInsecureException">The store is foreign-owned, open to others, or not a regular file (Unix).</exception>
        public static string? Read()
        {
            byte[]? content;
            try
            {
                content = UserFolder.ForCurrentUser.Read(FilePath);
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
                UserFolder.ForCurrentUser.Write(FilePath, content);
            }
            catch (OwnedFileException e)
            {
                throw Insecure(e);
            }
        }

        /// <summary>Deletes the stored key; true when there was one.</summary>
        public static bool Remove() => UserFolder.Delete(FilePath);

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
