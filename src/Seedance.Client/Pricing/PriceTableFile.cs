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

        /// <summary>Loads and checks the file; <paramref name="path"/> becomes the table's name.</summary>
        /// <exception cref="PriceTableException">The file cannot be read, is not JSON, or breaks a rule (all are listed).</exception>
        public static PriceTable Load(string path)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new PriceTableException(path, new[] { $"the file cannot be read: {e.Message}" }, e);
            }

            return Parse(text, path);
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
                    ? sourceElement.GetString() ?? string.Empty
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
                ? own.GetString() ?? tableSource
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
            foreach (JsonProperty property in obj.EnumerateObject())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    problems.Add($"{where}: '{property.Name}' is not a field of a price table (known: {string.Join(", ", known)}; names are case-sensitive)");
                }
            }
        }

        private static decimal? PositiveNumber(JsonElement element, string where, List<string> problems)
        {
            if (element.ValueKind == JsonValueKind.Number && element.TryGetDecimal(out decimal value) && value > 0)
            {
                return value;
            }

            problems.Add($"{where} must be a number greater than 0, not {element.GetRawText()}");
            return null;
        }

        private static decimal? Missing(string where, List<string> problems)
        {
            problems.Add($"{where} is missing");
            return null;
        }
    }
}
