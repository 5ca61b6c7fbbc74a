using System;
using System.Runtime.InteropServices;

namespace Seedance.Client.Journal
{
    public enum JournalPlatform
    {
        Windows,
        MacOS,

        /// <summary>Linux and every other Unix: the XDG base directories.</summary>
        Linux,
    }

    /// <summary>
    /// What the default journal location depends on: the platform, environment variables and the home folder. Tests
    /// inject another platform so all three defaults are checked on one machine; the module uses <see cref="Current"/>.
    /// </summary>
    public sealed class JournalEnvironment
    {
        private readonly Func<string, string?> _variables;

        public JournalEnvironment(JournalPlatform platform, Func<string, string?> variables, string homeDirectory, string? localAppData = null)
        {
            Platform = platform;
            _variables = variables;
            HomeDirectory = homeDirectory;
            LocalAppData = localAppData;
        }

        /// <summary>This process's platform, environment and home folder.</summary>
        public static JournalEnvironment Current { get; } = new JournalEnvironment(
            CurrentPlatform,
            Environment.GetEnvironmentVariable,
            Environment.GetEnvironmentVariable(CurrentPlatform == JournalPlatform.Windows ? "USERPROFILE" : "HOME") is { Length: > 0 } home
                ? home
                : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
            CurrentPlatform == JournalPlatform.Windows ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData) : null);

        public JournalPlatform Platform { get; }
        public string HomeDirectory { get; }

        /// <summary>Windows only: %LOCALAPPDATA% (from the shell folder, or the variable when that is not given).</summary>
        public string? LocalAppData { get; }

        /// <summary>True when this describes the machine the code runs on (so paths can be checked on disk).</summary>
        public bool IsCurrentPlatform => Platform == CurrentPlatform;

        public char Separator => Platform == JournalPlatform.Windows ? '\\' : '/';

        public string? Variable(string name) => _variables(name);

        internal static JournalPlatform CurrentPlatform =>
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? JournalPlatform.Windows
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? JournalPlatform.MacOS
            : JournalPlatform.Linux;

        /// <summary>Joins with this platform's separator (Path.Combine would use the running platform's).</summary>
        public string Join(string root, params string[] parts)
        {
            string result = root.TrimEnd('/', Separator);
            foreach (string part in parts)
            {
                result += Separator + part;
            }

            return result;
        }

        /// <summary>Absolute on this platform: '/…' on Unix; 'C:\…', 'C:/…' or '\\server\…' on Windows.</summary>
        public bool IsAbsolute(string path)
        {
            if (Platform != JournalPlatform.Windows)
            {
                return path.StartsWith("/", StringComparison.Ordinal);
            }

            bool drive = path.Length >= 3 && char.IsLetter(path[0]) && path[1] == ':' && (path[2] == '\\' || path[2] == '/');
            return drive || path.StartsWith(@"\\", StringComparison.Ordinal) || path.StartsWith("//", StringComparison.Ordinal);
        }
    }
}
