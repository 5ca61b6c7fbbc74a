using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Seedance.Client.Json;
using Seedance.Client.Files;

namespace Seedance.Client.Settings
{
    /// <summary>
    /// Set-SeedanceConfiguration -Scope CurrentUser: settings stored for the user, which every new process and every
    /// runspace reads below what a runspace, the process or the environment sets (so a daily credit limit set once holds
    /// for every run, not only the process that set it). One JSON object in settings.json beside the key store, under
    /// the key store's rules: owner-only, never through a link, replaced by an atomic rename:
    /// <c>{ "DailyCreditLimit": 2000, "BaseUri": "https://…", "RequestTimeout": 100, "JournalPath": "/home/me/journal.jsonl",
    /// "PriceTable": "/home/me/prices.json", "RequestShape": "Kinovi" }</c>.
    /// Never the key (Set-SeedanceApiKey -Scope CurrentUser keeps it apart, encrypted on Windows) and never the Uploader
    /// (a script block belongs to the runspace that made it).
    /// </summary>
    /// <remarks>
    /// The file is hostile input when read: each value passes the check Set-SeedanceConfiguration applies, and a name
    /// the module does not store is refused (a misspelt "DailyCreditLimt" would otherwise be no limit at all). A file
    /// with any problem is used not at all, and the commands that would rely on it stop (InvalidStoredConfiguration)
    /// until it is fixed or removed: a file that cannot be read may hold the daily limit the user counts on, or the
    /// host the stored key belongs to, so going on with the defaults could spend without the limit or send the key to
    /// another host.
    /// </remarks>
    internal sealed class StoredSettings
    {
        public const string Scope = "CurrentUser";

        /// <summary>How long a store waits for another process's: a read, a change and a rename take milliseconds.</summary>
        private static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

        public StoredSettings(UserFolder folder)
        {
            Folder = folder;
        }

        /// <summary>The user's Seedance folder, which holds the key store too.</summary>
        public UserFolder Folder { get; }

        /// <summary>The settings stored for the user running this process.</summary>
        public static StoredSettings ForCurrentUser => new StoredSettings(UserFolder.ForCurrentUser);

        public string FilePath => Folder.FileOf("settings.json");

        /// <summary>The stored settings; a file with a problem gives none, and the <paramref name="problem"/> (naming the file).</summary>
        public SeedanceSettings Read(out string? problem)
        {
            string? why = null;
            SeedanceSettings settings = new SeedanceSettings();
            try
            {
                byte[]? content = Folder.Read(FilePath);
                if (content is not null)
                {
                    settings = Load(content);
                }
            }
            catch (Exception e) when (e is OwnedFileException || e is IOException || e is UnauthorizedAccessException || e is JsonException || e is InvalidDataException)
            {
                why = e switch
                {
                    OwnedFileException owned => $"{owned.Reason}. {owned.Fix}",
                    JsonException => $"it is not a JSON object of settings ({e.Message}).",
                    InvalidDataException => e.Message,
                    _ => $"it cannot be read ({e.Message}).",
                };
            }

            problem = why is null ? null
                : $"The stored Seedance settings '{FilePath}' cannot be used: {why} No stored setting is used while it is wrong " +
                  "(it may hold the daily credit limit or the base URI you count on).";
            return why is null ? settings : new SeedanceSettings();
        }

        /// <summary>
        /// Makes <paramref name="change"/> to the stored settings under the settings lock (settings.json.lock, beside the
        /// file): the file is read, changed and written while another process storing at the same moment waits, so
        /// neither loses the other's change. With no setting left, the file is removed.
        /// </summary>
        /// <exception cref="OwnedFileException">The folder is foreign-owned or open to others.</exception>
        /// <exception cref="IOException">The file cannot be used (anymore), or the lock was held too long.</exception>
        public void Change(Func<SeedanceSettings, SeedanceSettings> change)
        {
            OwnedFiles.EnsureFolder(Folder.Path, OwnedFilePrivacy.OwnerOnly);
            try
            {
                using (FileLock.Acquire(FilePath + ".lock", LockTimeout))
                {
                    ChangeUnlocked(change);
                }
            }
            catch (NotSupportedException)
            {
                // A file system without file locks (some network home folders): storing unlocked, as before the lock,
                // loses a change only to another process storing in the same instant; refusing would store nothing.
                ChangeUnlocked(change);
            }
            catch (TimeoutException e)
            {
                throw new IOException(e.Message, e);
            }
        }

        private void ChangeUnlocked(Func<SeedanceSettings, SeedanceSettings> change)
        {
            SeedanceSettings stored = Read(out string? problem);
            Write(problem is null ? change(stored) : throw new IOException(problem));
        }

        /// <summary>Stores the plain settings of <paramref name="settings"/> (never the key or the uploader), replacing the file; with none, removes it.</summary>
        private void Write(SeedanceSettings settings)
        {
            if (settings.IsEmpty)
            {
                Remove();
                return;
            }

            using MemoryStream buffer = new MemoryStream();
            using (Utf8JsonWriter json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                foreach (Setting setting in Setting.All)
                {
                    if (setting.IsStored && settings[setting] is object value)
                    {
                        json.WritePropertyName(setting.Name);
                        PlainJson.Write(json, setting.Stored(value));
                    }
                }

                json.WriteEndObject();
            }

            Folder.Write(FilePath, buffer.ToArray());
        }

        /// <summary>Removes the stored settings; true when there were some.</summary>
        public bool Remove() => UserFolder.Delete(FilePath);

        private static SeedanceSettings Load(byte[] content)
        {
            using JsonDocument document = PlainJson.Parse(content, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"it holds a JSON {document.RootElement.ValueKind}, not an object of settings.");
            }

            SeedanceSettings settings = new SeedanceSettings();
            HashSet<string> seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                // A name is said in the problem, so without the control sequences a hand-made file could put in a terminal.
                string named = ServiceText.Clean(property.Name);
                if (!seen.Add(property.Name))
                {
                    throw new InvalidDataException($"it names {named} twice.");
                }

                Setting setting = Array.Find(Setting.All, known => known.IsStored && string.Equals(known.Name, property.Name, StringComparison.OrdinalIgnoreCase)) ??
                    throw new InvalidDataException(
                        $"it names '{named}', which is no setting the module stores ({string.Join(", ", Setting.All.Where(known => known.IsStored))}).");
                settings = settings.With(setting, ReadValue(setting, property.Value));
            }

            return settings;
        }

        /// <summary>A stored value, through the setting's own check: a number or a non-blank string, as the setting is stored.</summary>
        private static object ReadValue(Setting setting, JsonElement value)
        {
            string shown = value.GetRawText();
            shown = shown.Length > 80 ? shown.Substring(0, 80) + "…" : shown;
            // A number as JSON has it (5e2, -0, 1E+21 as other writers put them), in the plain notation the setting's check reads.
            string? text = setting.IsNumber
                ? (value.ValueKind != JsonValueKind.Number ? null : value.TryGetDecimal(out decimal number) ? number.ToString(CultureInfo.InvariantCulture) : value.GetRawText())
                : (value.ValueKind == JsonValueKind.String ? value.GetString()?.Trim() : null);
            try
            {
                return setting.Read(text, setting.Name, shown);
            }
            catch (SettingException e)
            {
                throw new InvalidDataException(e.Message);
            }
        }
    }
}
