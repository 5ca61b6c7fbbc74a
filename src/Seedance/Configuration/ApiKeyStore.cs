using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// The persisted key of the current user. Windows: DPAPI (CurrentUser) under %APPDATA%\Seedance.
    /// Linux/macOS: a file readable only by its owner (0600, folder 0700) under $XDG_CONFIG_HOME/seedance or
    /// ~/.config/seedance, the same protection ssh and cloud CLIs give their credentials.
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

        public static string? Read()
        {
            if (!File.Exists(FilePath))
            {
                return null;
            }

            byte[] content = File.ReadAllBytes(FilePath);
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
            System.IO.Directory.CreateDirectory(directory);
            byte[] content = Encoding.UTF8.GetBytes(key);
            if (IsWindows)
            {
                content = ProtectedData.Protect(content, Entropy, DataProtectionScope.CurrentUser);
            }
            else
            {
                UnixFileMode.Set(directory, UnixFileMode.OwnerReadWriteExecute);
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

                if (File.Exists(FilePath))
                {
                    File.Replace(temporary, FilePath, null);
                }
                else
                {
                    File.Move(temporary, FilePath);
                }
            }
            finally
            {
                if (File.Exists(temporary))
                {
                    File.Delete(temporary);
                }
            }
        }

        /// <summary>Deletes the stored key; true when there was one.</summary>
        public static bool Remove()
        {
            if (!File.Exists(FilePath))
            {
                return false;
            }

            File.Delete(FilePath);
            return true;
        }
    }
}
