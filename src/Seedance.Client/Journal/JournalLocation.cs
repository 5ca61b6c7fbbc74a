using System;
using System.IO;

namespace Seedance.Client.Journal
{
    /// <summary>
    /// Where the journal lives, or that it is off. The cmdlets resolve it from SEEDANCE_JOURNAL_PATH or
    /// Set-SeedanceConfiguration -JournalPath (whichever wins by the module's usual order) and pass that text here.
    /// </summary>
    public sealed class JournalLocation
    {
        /// <summary>The value that turns the journal off (any case, surrounding spaces ignored).</summary>
        public const string OffValue = "off";

        public const string FileName = "journal.jsonl";

        private JournalLocation(string? path, bool isDefault)
        {
            Path = path;
            IsDefault = isDefault;
        }

        public static JournalLocation Disabled { get; } = new JournalLocation(null, false);

        /// <summary>The journal file; null when the journal is off.</summary>
        public string? Path { get; }

        public bool IsDisabled => Path is null;

        /// <summary>True when no path was configured and the platform default is used.</summary>
        public bool IsDefault { get; }

        /// <summary>
        /// The platform default: $XDG_DATA_HOME/seedance (when set and absolute, as the XDG spec requires) or
        /// ~/.local/share/seedance on Linux; %LOCALAPPDATA%\Seedance on Windows (local, not roaming: a journal shared by
        /// machines through a roaming profile would be merged by copying, not by the lock); ~/Library/Application
        /// Support/Seedance on macOS. The folder names follow each platform's custom.
        /// </summary>
        public static string DefaultPath(JournalEnvironment environment)
        {
            switch (environment.Platform)
            {
                case JournalPlatform.Windows:
                    string localAppData = environment.LocalAppData is { Length: > 0 } known ? known
                        : environment.Variable("LOCALAPPDATA") is { Length: > 0 } variable ? variable
                        : environment.Join(environment.HomeDirectory, "AppData", "Local");
                    return environment.Join(localAppData, "Seedance", FileName);
                case JournalPlatform.MacOS:
                    return environment.Join(environment.HomeDirectory, "Library", "Application Support", "Seedance", FileName);
                default:
                    string? xdg = environment.Variable("XDG_DATA_HOME");
                    string dataHome = xdg is { Length: > 0 } && environment.IsAbsolute(xdg)
                        ? xdg
                        : environment.Join(environment.HomeDirectory, ".local", "share");
                    return environment.Join(dataHome, "seedance", FileName);
            }
        }

        /// <summary>
        /// The journal for a configured value: null or blank gives the platform default; 'off' disables it; otherwise an
        /// absolute path (a leading ~ is the home folder), of the file or of a folder to hold journal.jsonl (an existing
        /// folder, or a path ending with a separator). A relative path is refused: the journal must be one place
        /// whatever the current folder, or a batch resumed from another folder would not find its tasks.
        /// </summary>
        public static JournalLocation Resolve(string? configured, JournalEnvironment? environment = null)
        {
            environment ??= JournalEnvironment.Current;
            string value = (configured ?? string.Empty).Trim();
            if (value.Length == 0)
            {
                return new JournalLocation(DefaultPath(environment), isDefault: true);
            }

            if (string.Equals(value, OffValue, StringComparison.OrdinalIgnoreCase))
            {
                return Disabled;
            }

            if (value == "~" || value.StartsWith("~/", StringComparison.Ordinal) ||
                (environment.Platform == JournalPlatform.Windows && value.StartsWith(@"~\", StringComparison.Ordinal)))
            {
                value = environment.Join(environment.HomeDirectory, value.Substring(1).TrimStart('/', '\\'));
            }

            if (!environment.IsAbsolute(value))
            {
                throw new JournalException(JournalFailureReason.InvalidPath, value,
                    $"The journal path '{value}' is not absolute. Give a full path (or ~/...), or 'off' to turn the journal off.");
            }

            bool isFolder = value.EndsWith("/", StringComparison.Ordinal) || value.EndsWith(environment.Separator.ToString(), StringComparison.Ordinal);
            if (environment.IsCurrentPlatform)
            {
                value = System.IO.Path.GetFullPath(value);
                isFolder |= Directory.Exists(value);
            }

            return new JournalLocation(isFolder ? environment.Join(value, FileName) : value, isDefault: false);
        }

        public override string ToString() => Path ?? OffValue;
    }
}
