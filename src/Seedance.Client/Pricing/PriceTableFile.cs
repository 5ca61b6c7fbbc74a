using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using Seedance.Client.Models;

namespace Seedance.Client.Pricing
{
    /// <summary>
    /// Reads a user's price table (Set-SeedanceConfiguration -PriceTable). Everything is checked when the file is
    /// loaded, and every problem is reported at once: a typo must not quietly turn into the built-in rates and a
    /// wrong -WhatIf figure. Models the file does not list are priced by the built-in table, and say so.
    /// </summary>
    /// <example>
    /// { "source": "Our contract, 2026-11",
    ///   "usdPerCredit": 0.004,
    ///   "models": {
    ///     "seedance-20":    { "creditsPerSecond": 40, "outputResolution": { "480p": 15, "1080p": 90 } },
    ///     "seedance2-fast": { "creditsPerSecond": 28, "source": "kinovi.ai pricing page" } } }
    /// </example>
    public static class PriceTableFile
    {
        private static readonly string[] TopLevelFields = { "source", "usdPerCredit", "models" };
        private static readonly string[] RateFields = { "creditsPerSecond", "source", "outputResolution" };
        private static readonly string[] Resolutions = { "480p", "720p", "1080p" };

        /// <summary>A price table is a few hundred bytes; one over this is not read (a 1 GB file is not loaded into memory).</summary>
        public const long MaxFileBytes = 1024 * 1024;

        /// <summary>
        /// The largest rate (credits per second) and price per credit taken: far above any real one, and low enough that
        /// no cost the module computes (rate × seconds × price, summed over a batch) can overflow decimal arithmetic.
        /// </summary>
        public const decimal MaxRate = 1_000_000m;

        /// <summary>Loads and checks the file; <paramref name="path"/> becomes the table's name.</summary>
        /// <exception cref="PriceTableException">The file cannot be read, is not JSON, or breaks a rule (all are listed).</exception>
        public static PriceTable Load(string path)
        {
            string text;
            try
            {
                text = ReadBounded(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new PriceTableException(path, new[] { $"the file cannot be read: {e.Message}" }, e);
            }

            return Parse(text, path);
        }

        /// <summary>
        /// The file's text: a regular file only (a FIFO or a device would block the read or never end; checked before it
        /// is opened), at most <see cref="MaxFileBytes"/>.
        /// </summary>
        private static string ReadBounded(string path)
        {
            string? notAFile = Files.DestinationCheck.OtherThanRegularFile(path);
            if (notAFile is not null)
            {
                throw new PriceTableException(path, new[] { $"it is a {notAFile}, not a regular file (a price table is read only from one)" });
            }

            using FileStream file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            byte[] buffer = new byte[MaxFileBytes + 1];
            int total = 0;
            int read;
            while (total < buffer.Length && (read = file.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            if (total > MaxFileBytes)
            {
                throw new PriceTableException(path, new[] { $"it is larger than {MaxFileBytes / 1024} KiB; a price table is a few hundred bytes" });
            }

            return new StreamReader(new MemoryStream(buffer, 0, total), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true).ReadToEnd();
        }

        /// <summary>Checks <paramref name="json"/> as a price table named <paramref name="name"/>.</summary>
        public static PriceTable Parse(string json, string name)
        {
            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException e)
            {
                throw new PriceTableException(name, new[] { $"it is not valid JSON ({e.Message})" }, e);
            }

            using (document)
            {
                List<string> problems = new List<string>();
                List<ModelRate> rates = new List<ModelRate>();
                decimal usdPerCredit = PriceTable.DefaultUsdPerCredit;
                JsonElement root = document.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new PriceTableException(name, new[] { $"it must be a JSON object with \"models\", not {root.ValueKind}" });
                }

                RefuseUnknown(root, TopLevelFields, "the table", problems);
                string source = root.TryGetProperty("source", out JsonElement sourceElement) && sourceElement.ValueKind == JsonValueKind.String
                    ? ServiceText.Clean(sourceElement.GetString())
                    : "a price table of your own";
                if (root.TryGetProperty("usdPerCredit", out JsonElement usd))
                {
                    usdPerCredit = PositiveNumber(usd, "usdPerCredit", problems) ?? usdPerCredit;
                }

                if (!root.TryGetProperty("models", out JsonElement models) || models.ValueKind != JsonValueKind.Object || !models.EnumerateObject().Any())
                {
                    problems.Add("\"models\" must be an object with at least one model, e.g. \"models\": { \"seedance-20\": { \"creditsPerSecond\": 40 } }");
                }
                else
                {
                    RefuseDuplicates(models, "models", problems);
                    foreach (JsonProperty model in models.EnumerateObject())
                    {
                        ModelRate? rate = ReadRate(model, source, problems);
                        if (rate is not null)
                        {
                            rates.Add(rate);
                        }
                    }
                }

                if (problems.Count > 0)
                {
                    throw new PriceTableException(name, problems);
                }

                return new PriceTable(name, rates, usdPerCredit, PriceTable.Default);
            }
        }

        private static ModelRate? ReadRate(JsonProperty model, string tableSource, List<string> problems)
        {
            string where = $"models.{model.Name}";
            if (!SeedanceModels.All.Contains(model.Name, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{where}: '{model.Name}' is not a model the service has ({string.Join(", ", SeedanceModels.All)})");
                return null;
            }

            if (model.Value.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{where} must be an object such as {{ \"creditsPerSecond\": 40 }}");
                return null;
            }

            RefuseUnknown(model.Value, RateFields, where, problems);
            decimal? perSecond = model.Value.TryGetProperty("creditsPerSecond", out JsonElement rate)
                ? PositiveNumber(rate, where + ".creditsPerSecond", problems)
                : Missing(where + ".creditsPerSecond", problems);
            string source = model.Value.TryGetProperty("source", out JsonElement own) && own.ValueKind == JsonValueKind.String
                ? ServiceText.Clean(own.GetString())
                : tableSource;

            Dictionary<string, decimal> byResolution = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
            if (model.Value.TryGetProperty("outputResolution", out JsonElement resolutions))
            {
                if (resolutions.ValueKind != JsonValueKind.Object)
                {
                    problems.Add($"{where}.outputResolution must be an object such as {{ \"1080p\": 90 }}");
                }
                else
                {
                    RefuseDuplicates(resolutions, where + ".outputResolution", problems);
                    foreach (JsonProperty resolution in resolutions.EnumerateObject())
                    {
                        if (!Resolutions.Contains(resolution.Name, StringComparer.OrdinalIgnoreCase))
                        {
                            problems.Add($"{where}.outputResolution: '{resolution.Name}' is not a resolution the service has ({string.Join(", ", Resolutions)})");
                            continue;
                        }

                        decimal? value = PositiveNumber(resolution.Value, $"{where}.outputResolution.{resolution.Name}", problems);
                        if (value is not null)
                        {
                            byResolution[resolution.Name] = value.Value;
                        }
                    }
                }
            }

            return perSecond is null ? null : new ModelRate(model.Name.ToLowerInvariant(), perSecond.Value, source, byResolution);
        }

        private static void RefuseUnknown(JsonElement obj, string[] known, string where, List<string> problems)
        {
            RefuseDuplicates(obj, where, problems);
            foreach (JsonProperty property in obj.EnumerateObject())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    problems.Add($"{where}: '{property.Name}' is not a field of a price table (known: {string.Join(", ", known)}; names are case-sensitive)");
                }
            }
        }

        /// <summary>
        /// A name given twice in one object: JSON readers disagree on which one wins, so the table would not say one
        /// thing. Model and resolution names are compared ignoring case, as they are used.
        /// </summary>
        private static void RefuseDuplicates(JsonElement obj, string where, List<string> problems)
        {
            HashSet<string> seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (JsonProperty property in obj.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                {
                    problems.Add($"{where}: '{ServiceText.Clean(property.Name)}' is given more than once; give each name once");
                }
            }
        }

        private static decimal? PositiveNumber(JsonElement element, string where, List<string> problems)
        {
            if (element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out decimal value) && value > 0 && value <= MaxRate)
            {
                return value;
            }

            problems.Add($"{where} must be a number greater than 0 and at most {MaxRate:N0}, not {ServiceText.Clean(element.GetRawText())}");
            return null;
        }

        private static decimal? Missing(string where, List<string> problems)
        {
            problems.Add($"{where} is missing");
            return null;
        }
    }
}
