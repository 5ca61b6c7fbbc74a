using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using Seedance.Client.Files;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Pricing;

namespace Seedance.Commands.Configuration
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
    internal static class UserSettingsFile
    {
        public const string Scope = "CurrentUser";

        public static string FilePath => Path.Combine(ApiKeyStore.Directory, "settings.json");

        /// <summary>The stored settings; a file with a problem gives none, and the <see cref="SettingsLayer.Problem"/>.</summary>
        public static SettingsLayer Read()
        {
            string path = FilePath;
            SettingsLayer layer = new SettingsLayer(Scope);
            try
            {
                byte[]? content = ApiKeyStore.ReadOwnerOnly(path);
                if (content is not null)
                {
                    Load(layer, content);
                }

                return layer;
            }
            catch (OwnedFileException e)
            {
                return Broken(path, $"{e.Reason}. {e.Fix}");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return Broken(path, $"it cannot be read ({e.Message}).");
            }
            catch (JsonException e)
            {
                return Broken(path, $"it is not a JSON object of settings ({e.Message}).");
            }
            catch (StoredSettingException e)
            {
                return Broken(path, e.Message);
            }
        }

        /// <summary>Stores every setting of <paramref name="layer"/> (the plain ones only), replacing the file; with none, removes it.</summary>
        /// <exception cref="OwnedFileException">The folder is foreign-owned or open to others.</exception>
        public static void Write(SettingsLayer layer)
        {
            if (layer.IsEmpty)
            {
                Remove();
                return;
            }

            using MemoryStream buffer = new MemoryStream();
            using (Utf8JsonWriter json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                foreach (KeyValuePair<string, object> setting in layer.Values)
                {
                    json.WritePropertyName(setting.Key);
                    switch (setting.Value)
                    {
                        case decimal credits:
                            json.WriteNumberValue(credits);
                            break;
                        case TimeSpan timeout:
                            json.WriteNumberValue((int)timeout.TotalSeconds);
                            break;
                        case Uri uri:
                            json.WriteStringValue(uri.OriginalString);
                            break;
                        case PriceTable prices:
                            json.WriteStringValue(prices.Name); // the file's full path: every process loads and checks it
                            break;
                        case RequestShape shape:
                            json.WriteStringValue(shape.Name);
                            break;
                        case string text:
                            json.WriteStringValue(text);
                            break;
                        default:
                            throw new InvalidOperationException($"The setting {setting.Key} cannot be stored.");
                    }
                }

                json.WriteEndObject();
            }

            ApiKeyStore.WriteOwnerOnly(FilePath, buffer.ToArray());
        }

        /// <summary>Removes the stored settings; true when there were some.</summary>
        public static bool Remove() => ApiKeyStore.Delete(FilePath);

        private static SettingsLayer Broken(string path, string why) =>
            new SettingsLayer(Scope,
                $"The stored Seedance settings '{path}' cannot be used: {why} No stored setting is used while it is wrong " +
                "(it may hold the daily credit limit or the base URI you count on).");

        private static void Load(SettingsLayer layer, byte[] content)
        {
            using JsonDocument document = JsonDocument.Parse(content, new JsonDocumentOptions { MaxDepth = 4 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new StoredSettingException($"it holds a JSON {document.RootElement.ValueKind}, not an object of settings.");
            }

            HashSet<string> seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    throw new StoredSettingException($"it names {property.Name} twice.");
                }

                Store(layer, property.Name, property.Value);
            }
        }

        /// <summary>One value, through the check Set-SeedanceConfiguration applies to the same parameter.</summary>
        private static void Store(SettingsLayer layer, string name, JsonElement value)
        {
            if (Is(name, Settings.DailyCreditLimit))
            {
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetDecimal(out decimal limit) || !SeedanceConfiguration.IsValidLimit(limit))
                {
                    throw Bad(name, value, "a number of credits, 0 or more (e.g. 2000)");
                }

                layer.Set(Settings.DailyCreditLimit, limit);
            }
            else if (Is(name, Settings.RequestTimeout))
            {
                if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int seconds) ||
                    seconds < SeedanceConfiguration.MinRequestTimeoutSeconds || seconds > SeedanceConfiguration.MaxRequestTimeoutSeconds)
                {
                    throw Bad(name, value, $"whole seconds from {SeedanceConfiguration.MinRequestTimeoutSeconds} to {SeedanceConfiguration.MaxRequestTimeoutSeconds}");
                }

                layer.Set(Settings.RequestTimeout, TimeSpan.FromSeconds(seconds));
            }
            else if (Is(name, Settings.BaseUri))
            {
                string text = Text(name, value);
                if (!Uri.TryCreate(text, UriKind.Absolute, out Uri? uri))
                {
                    throw Bad(name, value, $"an absolute URI such as {SeedanceClientOptions.DefaultBaseUri}");
                }

                if (BaseUriPolicy.Check(uri) is string problem)
                {
                    throw new StoredSettingException($"BaseUri is '{BaseUriPolicy.Displayable(uri)}': {problem}");
                }

                layer.Set(Settings.BaseUri, uri);
            }
            else if (Is(name, Settings.JournalPath))
            {
                string text = Text(name, value);
                if (!string.Equals(text.Trim(), JournalLocation.OffValue, StringComparison.OrdinalIgnoreCase) && !Path.IsPathRooted(text))
                {
                    throw Bad(name, value, "an absolute path, or 'off'");
                }

                try
                {
                    JournalLocation.Resolve(text);
                }
                catch (JournalException e)
                {
                    throw new StoredSettingException($"JournalPath is '{text}': {e.Message}");
                }

                layer.Set(Settings.JournalPath, text);
            }
            else if (Is(name, Settings.PriceTable))
            {
                string text = Text(name, value);
                if (!Path.IsPathRooted(text))
                {
                    throw Bad(name, value, "the absolute path of a price table file");
                }

                try
                {
                    layer.Set(Settings.PriceTable, PriceTableFile.Load(text));
                }
                catch (PriceTableException e)
                {
                    throw new StoredSettingException($"PriceTable: {e.Message}");
                }
            }
            else if (Is(name, Settings.RequestShape))
            {
                RequestShape shape = RequestShape.Named(Text(name, value)) ?? throw Bad(name, value, "Seed or Kinovi (leave it out to choose by the host)");
                layer.Set(Settings.RequestShape, shape);
            }
            else
            {
                throw new StoredSettingException(
                    $"it names '{name}', which is no setting the module stores (DailyCreditLimit, BaseUri, RequestTimeout, JournalPath, PriceTable, RequestShape).");
            }
        }

        private static bool Is<T>(string name, Setting<T> setting) => string.Equals(name, setting.Name, StringComparison.OrdinalIgnoreCase);

        private static string Text(string name, JsonElement value) =>
            value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text && text.Trim().Length > 0
                ? text
                : throw Bad(name, value, "a non-empty string");

        private static StoredSettingException Bad(string name, JsonElement value, string expected)
        {
            string shown = value.GetRawText();
            return new StoredSettingException($"{name} is {(shown.Length > 80 ? shown.Substring(0, 80) + "…" : shown)}, and it must be {expected}.");
        }

        private sealed class StoredSettingException : Exception
        {
            public StoredSettingException(string message)
                : base(message)
            {
            }
        }
    }
}
