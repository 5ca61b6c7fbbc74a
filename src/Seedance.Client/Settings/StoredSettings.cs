using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Seedance.Client.Json;
using Seedance.Client.Files;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Pricing;

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

        /// <summary>
        /// Each stored setting, in the order it is written: its name, how its JSON value is checked and set (the checks of
        /// Set-SeedanceConfiguration's parameters), and the value stored for it (null: not stored).
        /// </summary>
        private static readonly (string Name, Action<SeedanceSettings, JsonElement> Read, Func<SeedanceSettings, object?> Stored)[] Fields =
        {
            ("BaseUri", (settings, value) => settings.BaseUri = ReadBaseUri(value), settings => settings.BaseUri?.OriginalString),
            ("RequestTimeout", (settings, value) => settings.RequestTimeout =
                value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int seconds) &&
                seconds >= SeedanceSettings.MinRequestTimeoutSeconds && seconds <= SeedanceSettings.MaxRequestTimeoutSeconds
                    ? TimeSpan.FromSeconds(seconds)
                    : throw Bad("RequestTimeout", value, $"whole seconds from {SeedanceSettings.MinRequestTimeoutSeconds} to {SeedanceSettings.MaxRequestTimeoutSeconds}"),
                settings => (int?)settings.RequestTimeout?.TotalSeconds),

            // The price table file's full path: every process loads and checks it.
            ("PriceTable", (settings, value) => settings.PriceTable = ReadPriceTable(value), settings => settings.PriceTable?.Name),
            ("RequestShape", (settings, value) => settings.RequestShape =
                RequestShape.Named(Text("RequestShape", value)) ?? throw Bad("RequestShape", value, "Seed or Kinovi (leave it out to choose by the host)"),
                settings => settings.RequestShape?.Name),
            ("JournalPath", (settings, value) => settings.JournalPath = ReadJournalPath(value), settings => settings.JournalPath),
            ("DailyCreditLimit", (settings, value) => settings.DailyCreditLimit =
                value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out decimal limit) && SeedanceSettings.IsValidLimit(limit)
                    ? limit
                    : throw Bad("DailyCreditLimit", value, "a number of credits, 0 or more (e.g. 2000)"),
                settings => settings.DailyCreditLimit),
        };

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
                    Load(settings, content);
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
        public void Change(Action<SeedanceSettings> change)
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

        private void ChangeUnlocked(Action<SeedanceSettings> change)
        {
            SeedanceSettings stored = Read(out string? problem);
            Write(problem is null ? stored.With(change) : throw new IOException(problem));
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
                foreach ((string name, _, Func<SeedanceSettings, object?> stored) in Fields)
                {
                    if (stored(settings) is object value)
                    {
                        json.WritePropertyName(name);
                        PlainJson.Write(json, value);
                    }
                }

                json.WriteEndObject();
            }

            Folder.Write(FilePath, buffer.ToArray());
        }

        /// <summary>Removes the stored settings; true when there were some.</summary>
        public bool Remove() => UserFolder.Delete(FilePath);

        private static void Load(SeedanceSettings settings, byte[] content)
        {
            using JsonDocument document = PlainJson.Parse(content, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"it holds a JSON {document.RootElement.ValueKind}, not an object of settings.");
            }

            HashSet<string> seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw new InvalidDataException($"it names {property.Name} twice.");
                }

                int field = Array.FindIndex(Fields, known => string.Equals(known.Name, property.Name, StringComparison.OrdinalIgnoreCase));
                if (field < 0)
                {
                    throw new InvalidDataException(
                        $"it names '{property.Name}', which is no setting the module stores ({string.Join(", ", Fields.Select(known => known.Name))}).");
                }

                Fields[field].Read(settings, property.Value);
            }
        }

        private static Uri ReadBaseUri(JsonElement value)
        {
            if (!Uri.TryCreate(Text("BaseUri", value), UriKind.Absolute, out Uri? uri))
            {
                throw Bad("BaseUri", value, $"an absolute URI such as {SeedanceClientOptions.DefaultBaseUri}");
            }

            return BaseUriPolicy.Check(uri) is string problem
                ? throw new InvalidDataException($"BaseUri is '{Validation.UrlChecks.Displayable(uri.OriginalString)}': {problem}")
                : uri;
        }

        private static string ReadJournalPath(JsonElement value)
        {
            string text = Text("JournalPath", value);
            if (!string.Equals(text.Trim(), JournalLocation.OffValue, StringComparison.OrdinalIgnoreCase) && !Path.IsPathRooted(text))
            {
                throw Bad("JournalPath", value, "an absolute path, or 'off'");
            }

            try
            {
                JournalLocation.Resolve(text);
                return text;
            }
            catch (JournalException e)
            {
                throw new InvalidDataException($"JournalPath is '{text}': {e.Message}");
            }
        }

        private static PriceTable ReadPriceTable(JsonElement value)
        {
            string text = Text("PriceTable", value);
            if (!Path.IsPathRooted(text))
            {
                throw Bad("PriceTable", value, "the absolute path of a price table file");
            }

            try
            {
                return PriceTableFile.Load(text);
            }
            catch (PriceTableException e)
            {
                throw new InvalidDataException($"PriceTable: {e.Message}");
            }
        }

        private static string Text(string name, JsonElement value) =>
            value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text && text.Trim().Length > 0
                ? text
                : throw Bad(name, value, "a non-empty string");

        private static InvalidDataException Bad(string name, JsonElement value, string expected)
        {
            string shown = value.GetRawText();
            return new InvalidDataException($"{name} is {(shown.Length > 80 ? shown.Substring(0, 80) + "…" : shown)}, and it must be {expected}.");
        }
    }
}
