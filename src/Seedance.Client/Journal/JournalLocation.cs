using System;
using System.IO;
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
    /// Where the journal lives, or that it is off. The cmdlets resolve it from SEEDANCE_JOURNAL_PATH or
    /// Set-SeedanceConfiguration -JournalPath (whichever wins by the module's usual order) and pass that text here.
    /// </summary>
    public sealed class JournalLocation
    {
        /// <summary>The value that turns the journal off (any case, surrounding spaces ignored).</summary>
        public const string OffValue = "off";

        public const string FileName = "journal.jsonl";

        private static readonly JournalPlatform CurrentPlatform =
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? JournalPlatform.Windows
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? JournalPlatform.MacOS
            : JournalPlatform.Linux;

        private JournalLocation(string? path) => Path = path;

        public static JournalLocation Disabled { get; } = new JournalLocation(null);

        /// <summary>The journal file; null when the journal is off.</summary>
        public string? Path { get; }

        public bool IsDisabled => Path is null;

        /// <summary>
        /// The journal for a configured value: null or blank gives the platform default; 'off' disables it; otherwise an
        /// absolute path (a leading ~ is the home folder), of the file or of a folder to hold journal.jsonl (an existing
        /// folder, or a path ending with a separator). A relative path is refused: the journal must be one place
        /// whatever the current folder, or a batch resumed from another folder would not find its tasks.
        /// </summary>
        public static JournalLocation Resolve(string? configured) =>
            Resolve(configured, CurrentPlatform, Environment.GetEnvironmentVariable,
                Environment.GetEnvironmentVariable(CurrentPlatform == JournalPlatform.Windows ? "USERPROFILE" : "HOME") is { Length: > 0 } home
                    ? home
                    : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
                CurrentPlatform == JournalPlatform.Windows ? Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData) : null);

        /// <summary>
        /// <see cref="Resolve(string?)"/> on <paramref name="platform"/>, with its environment variables, home folder and
        /// (Windows only) %LOCALAPPDATA% from the shell folder: tests inject another platform, so all three defaults are
        /// checked on one machine.
        /// </summary>
        internal static JournalLocation Resolve(string? configured, JournalPlatform platform, Func<string, string?> variable, string home, string? localAppData = null)
        {
            string value = (configured ?? string.Empty).Trim();
            if (value.Length == 0)
            {
                return new JournalLocation(DefaultPath(platform, variable, home, localAppData));
            }

            if (string.Equals(value, OffValue, StringComparison.OrdinalIgnoreCase))
            {
                return Disabled;
            }

            char separator = platform == JournalPlatform.Windows ? '\\' : '/';
            if (value == "~" || value.StartsWith("~/", StringComparison.Ordinal) ||
                (platform == JournalPlatform.Windows && value.StartsWith(@"~\", StringComparison.Ordinal)))
            {
                value = Join(separator, home, value.Substring(1).TrimStart('/', '\\'));
            }

            if (!IsAbsolute(platform, value))
            {
                throw new JournalException(JournalFailureReason.InvalidPath, value,
                    $"The journal path '{value}' is not absolute. Give a full path (or ~/...), or 'off' to turn the journal off.");
            }

            bool isFolder = value.EndsWith("/", StringComparison.Ordinal) || value.EndsWith(separator.ToString(), StringComparison.Ordinal);
            if (platform == CurrentPlatform)
            {
                value = System.IO.Path.GetFullPath(value);
                isFolder |= Directory.Exists(value);
            }

            return new JournalLocation(isFolder ? Join(separator, value, FileName) : value);
        }

        public override string ToString() => Path ?? OffValue;

        /// <summary>
        /// The platform default: $XDG_DATA_HOME/seedance (when set and absolute, as the XDG spec requires) or
        /// ~/.local/share/seedance on Linux; %LOCALAPPDATA%\Seedance on Windows (local, not roaming: a journal shared by
        /// machines through a roaming profile would be merged by copying, not by the lock); ~/Library/Application
        /// Support/Seedance on macOS. The folder names follow each platform's custom.
        /// </summary>
        private static string DefaultPath(JournalPlatform platform, Func<string, string?> variable, string home, string? localAppData)
        {
            switch (platform)
            {
                case JournalPlatform.Windows:
                    string local = localAppData is { Length: > 0 } known ? known
                        : variable("LOCALAPPDATA") is { Length: > 0 } given ? given
                        : Join('\\', home, "AppData", "Local");
                    return Join('\\', local, "Seedance", FileName);
                case JournalPlatform.MacOS:
                    return Join('/', home, "Library", "Application Support", "Seedance", FileName);
                default:
                    string? xdg = variable("XDG_DATA_HOME");
                    string dataHome = xdg is { Length: > 0 } && IsAbsolute(platform, xdg) ? xdg : Join('/', home, ".local", "share");
                    return Join('/', dataHome, "seedance", FileName);
            }
        }

        /// <summary>Joins with the platform's separator (Path.Combine would use the running platform's).</summary>
        private static string Join(char separator, string root, params string[] parts)
        {
            string result = root.TrimEnd('/', separator);
            foreach (string part in parts)
            {
                result += separator + part;
            }

            return result;
        }

        /// <summary>Absolute on the platform: '/…' on Unix; 'C:\…', 'C:/…' or '\\server\…' on Windows.</summary>
        private static bool IsAbsolute(JournalPlatform platform, string path)
        {
            if (platform != JournalPlatform.Windows)
            {
                return path.StartsWith("/", StringComparison.Ordinal);
            }

            bool drive = path.Length >= 3 && char.IsLetter(path[0]) && path[1] == ':' && (path[2] == '\\' || path[2] == '/');
            return drive || path.StartsWith(@"\\", StringComparison.Ordinal) || path.StartsWith("//", StringComparison.Ordinal);
        }
    }
}
