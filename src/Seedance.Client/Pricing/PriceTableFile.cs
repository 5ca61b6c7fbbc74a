using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Seedance.Client.Json;

namespace Seedance.Client.Pricing
{
    /// <summary>
    /// Reads a model catalog: the one that ships (ModelCatalog.json) and a user's (Set-SeedanceConfiguration
    /// -PriceTable). Everything is checked when the file is loaded, and every problem is reported at once: a typo must
    /// not quietly turn into the built-in figures and a wrong -WhatIf. A user's model entry overrides only the fields it
    /// gives (a rate, a limit...); a model the built-in catalog lacks is added (with only a rate: priced, limits unchecked).
    /// </summary>
    /// <example>
    /// { "source": "Our contract, 2026-11",
    ///   "usdPerCredit": 0.004,
    ///   "models": {
    ///     "seedance-20":    { "creditsPerSecond": 40, "outputResolution": { "480p": 15, "1080p": 90 } },
    ///     "seedance3":      { "creditsPerSecond": 70, "maxDuration": 20, "source": "reseller's price list" } } }
    /// </example>
    public static class PriceTableFile
    {
        private static readonly string[] TopLevelFields = { "source", "usdPerCredit", "defaultModel", "models" };

        /// <summary>
        /// Every field of a model entry but "source" (read first, as the default source of the rest), in the order they
        /// are read (rates after the resolutions they name), and how each goes into the spec; Fact: it is a limit or a
        /// vocabulary, which makes the model a catalogued one.
        /// </summary>
        private static readonly (string Field, bool Fact, FieldReader Read)[] ModelFields =
        {
            ("minDuration", true, Whole((spec, value) => spec.MinDuration = value)),
            ("maxDuration", true, Whole((spec, value) => spec.MaxDuration = value)),
            ("reservedSeconds", true, Whole((spec, value) => spec.ReservedSeconds = value)),
            ("maxPromptLength", true, Whole((spec, value) => spec.MaxPromptLength = value)),
            ("maxImages", true, Whole((spec, value) => spec.MaxImages = value)),
            ("maxKeyframeImages", true, Whole((spec, value) => spec.MaxKeyframeImages = value)),
            ("maxVideos", true, Whole((spec, value) => spec.MaxVideos = value)),
            ("maxVideoSeconds", true, Whole((spec, value) => spec.MaxVideoSeconds = value)),
            ("maxAudio", true, Whole((spec, value) => spec.MaxAudio = value)),
            ("maxAudioSeconds", true, Whole((spec, value) => spec.MaxAudioSeconds = value)),
            ("referenceFromImages", true, Whole((spec, value) => spec.ReferenceFromImages = value ?? 0)),
            ("modes", true, (spec, value, where, problems) => spec.Modes = Texts(value, where, problems)),
            ("ratios", true, (spec, value, where, problems) => spec.Ratios = Texts(value, where, problems)),
            ("resolutions", true, (spec, value, where, problems) => spec.Resolutions = Texts(value, where, problems)),
            ("requires", true, (spec, value, where, problems) => spec.Requires = Requirements(value, where, problems)),
            ("creditsPerSecond", false, (spec, value, where, problems) => spec.CreditsPerSecond = PositiveNumber(value, where, problems)),
            ("outputResolution", false, (spec, value, where, problems) => spec.ByResolution = Rates(value, where, spec, spec.ByResolution, problems)),
            ("referenceVideoRate", false, (spec, value, where, problems) => spec.ReferenceVideoRate = Rates(value, where, spec, spec.ReferenceVideoRate, problems)),
            ("defaultResolution", false, (spec, value, where, problems) => spec.DefaultResolution = DefaultResolution(value, where, spec.Resolutions, problems)),
            ("charge", false, (spec, value, where, problems) => spec.Charge = Charge(value, where, problems) ?? spec.Charge),
            ("sources", false, (spec, value, where, problems) => spec.Sources = Sources(value, where, spec.Sources, problems)),
        };

        /// <summary>Reads one field's <paramref name="value"/> into <paramref name="spec"/>, adding what is wrong with it to <paramref name="problems"/>.</summary>
        private delegate void FieldReader(ModelSpec spec, JsonElement value, string where, List<string> problems);

        private static FieldReader Whole(Action<ModelSpec, int?> assign) => (spec, value, where, problems) => assign(spec, WholeNumber(value, where, problems));

        private static readonly string[] ModelFieldNames = ModelFields.Select(field => field.Field).Concat(new[] { "source" }).ToArray();

        private static readonly string[] Requirable = { "video", "duration", "image", "audio" };

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
            string? json = Files.OwnedFiles.ReadText(path, MaxFileBytes, (why, e) => new PriceTableException(path, new[]
            {
                e is Files.OwnedFileException ? why + " (a price table is a few hundred bytes, read only from a regular file)" : why,
            }, e));
            return Parse(json ?? throw new PriceTableException(path, new[] { "the file cannot be read: there is no such file" }), path);
        }

        /// <summary>Checks <paramref name="json"/> as a user's table named <paramref name="name"/>, over the built-in catalog.</summary>
        public static PriceTable Parse(string json, string name) => Parse(json, name, PriceTable.Default);

        internal static PriceTable Parse(string json, string name, PriceTable? fallback)
        {
            JsonDocument document;
            try
            {
                document = PlainJson.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            }
            catch (JsonException e)
            {
                throw new PriceTableException(name, new[] { $"it is not valid JSON ({e.Message})" }, e);
            }

            using (document)
            {
                List<string> problems = new List<string>();
                List<ModelSpec> models = new List<ModelSpec>();
                decimal usdPerCredit = fallback?.UsdPerCredit ?? 0m;
                JsonElement root = document.RootElement;
                JsonFields table = new JsonFields(root);
                if (!table.IsObject)
                {
                    throw new PriceTableException(name, new[] { $"it must be a JSON object with \"models\", not {root.ValueKind}" });
                }

                RefuseUnknown(root, TopLevelFields, "the table", problems);
                string source = table.Text("source") is string text ? ServiceText.Clean(text) : "a price table of your own";
                if (table.TryGet("usdPerCredit", out JsonElement usd))
                {
                    usdPerCredit = PositiveNumber(usd, "usdPerCredit", problems) ?? usdPerCredit;
                }
                else if (fallback is null)
                {
                    problems.Add("usdPerCredit is missing");
                }

                if (!table.TryGet("models", out JsonElement modelsElement) || modelsElement.ValueKind != JsonValueKind.Object || !modelsElement.EnumerateObject().Any())
                {
                    problems.Add("\"models\" must be an object with at least one model, e.g. \"models\": { \"seedance-20\": { \"creditsPerSecond\": 40 } }");
                }
                else
                {
                    RefuseDuplicates(modelsElement, "models", problems);
                    foreach (JsonProperty model in modelsElement.EnumerateObject())
                    {
                        ModelSpec? spec = ReadModel(model, source, fallback, problems);
                        if (spec is not null)
                        {
                            models.Add(spec);
                        }
                    }
                }

                string? defaultModel = table.Text("defaultModel");
                if (table.Has("defaultModel") && (defaultModel is null || (!models.Any(m => m.Name == defaultModel) && fallback?.Knows(defaultModel) != true)))
                {
                    problems.Add($"defaultModel '{ServiceText.Clean(defaultModel ?? table.Scalar("defaultModel"))}' is not a model of the table");
                }

                if (problems.Count > 0)
                {
                    throw new PriceTableException(name, problems);
                }

                return new PriceTable(name, models, usdPerCredit, fallback, defaultModel);
            }
        }

        private static ModelSpec? ReadModel(JsonProperty model, string tableSource, PriceTable? fallback, List<string> problems)
        {
            string where = $"models.{model.Name}";
            if (string.IsNullOrWhiteSpace(model.Name) || model.Name.Trim() != model.Name)
            {
                problems.Add($"{where}: a model name must be non-empty and without surrounding spaces");
                return null;
            }

            if (model.Value.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{where} must be an object such as {{ \"creditsPerSecond\": 40 }}");
                return null;
            }

            RefuseUnknown(model.Value, ModelFieldNames, where, problems);
            JsonFields entry = new JsonFields(model.Value);
            string name = model.Name.ToLowerInvariant();
            ModelSpec spec = fallback is not null && fallback.Knows(name) ? fallback.Model(name).CopyAs(name) : new ModelSpec(name);
            spec.Source = entry.Text("source") is string own ? ServiceText.Clean(own) : tableSource;
            string? baseResolution = spec.DefaultResolution;
            foreach ((string field, bool fact, FieldReader read) in ModelFields)
            {
                if (entry.TryGet(field, out JsonElement value))
                {
                    read(spec, value, $"{where}.{field}", problems);
                    spec.IsCatalogued |= fact;
                }
            }

            if (!entry.Has("creditsPerSecond") && !spec.HasPrice && !spec.IsCatalogued)
            {
                problems.Add($"{where}.creditsPerSecond is missing (a model the catalog does not have needs at least a rate)");
            }

            // creditsPerSecond is the (inherited) default resolution's rate: a user's one alone re-prices that resolution,
            // and an outputResolution rate for the default resolution alone is the base rate too.
            bool rateGiven = entry.Has("creditsPerSecond");
            bool resolutionRateGiven = baseResolution is not null && entry.TryGet("outputResolution", out JsonElement given) && new JsonFields(given).Has(baseResolution);
            if (rateGiven && !resolutionRateGiven && baseResolution is not null && spec.CreditsPerSecond is decimal baseRate)
            {
                spec.ByResolution = new Dictionary<string, decimal>(spec.ByResolution.ToDictionary(r => r.Key, r => r.Value), StringComparer.OrdinalIgnoreCase) { [baseResolution] = baseRate };
            }
            else if (resolutionRateGiven && !rateGiven && spec.ByResolution.TryGetValue(baseResolution!, out decimal resolutionRate))
            {
                spec.CreditsPerSecond = resolutionRate;
            }

            if (!entry.Has("sources") && (entry.Has("source") || rateGiven || entry.Has("outputResolution")))
            {
                // The entry's own "source", else the table's, speaks for the rates it gives (the built-in facts keep theirs).
                spec.Sources = WithSources(spec.Sources, new[] { ("rates", spec.Source) });
            }

            if (spec.MinDuration is int min && spec.MaxDuration is int max && min > max)
            {
                problems.Add($"{where}: minDuration {min} is greater than maxDuration {max}");
            }

            return spec;
        }

        private static IReadOnlyList<string> Texts(JsonElement value, string where, List<string> problems)
        {
            IReadOnlyList<string>? list = JsonFields.TextsOf(value);
            if (list is null)
            {
                problems.Add($"{where} must be an array of texts, e.g. [\"480p\", \"720p\"]");
            }

            return list ?? Array.Empty<string>();
        }

        private static IReadOnlyList<string> Requirements(JsonElement value, string where, List<string> problems)
        {
            IReadOnlyList<string> list = Texts(value, where, problems);
            foreach (string unknown in list.Where(r => !Requirable.Contains(r, StringComparer.Ordinal)))
            {
                problems.Add($"{where}: '{unknown}' is not an input the module can require ({string.Join(", ", Requirable)})");
            }

            return list;
        }

        private static string? DefaultResolution(JsonElement value, string where, IReadOnlyList<string> resolutions, List<string> problems)
        {
            string? resolution = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (resolution is null || (resolutions.Count > 0 && !resolutions.Contains(resolution, StringComparer.Ordinal)))
            {
                problems.Add($"{where} must be one of the model's resolutions ({string.Join(", ", resolutions)})");
            }

            return resolution;
        }

        private static ChargeRule? Charge(JsonElement value, string where, List<string> problems)
        {
            string? text = value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            if (Enum.TryParse(text, true, out ChargeRule rule) && char.IsLetter(text![0]))
            {
                return rule;
            }

            problems.Add($"{where} must be one of {string.Join(", ", Enum.GetNames(typeof(ChargeRule)).Select(n => char.ToLowerInvariant(n[0]) + n.Substring(1)))}, not {value.GetRawText()}");
            return null;
        }

        private static IReadOnlyDictionary<string, string> Sources(JsonElement value, string where, IReadOnlyDictionary<string, string> inherited, List<string> problems)
        {
            if (value.ValueKind != JsonValueKind.Object || value.EnumerateObject().Any(s => s.Value.ValueKind != JsonValueKind.String))
            {
                problems.Add($"{where} must be an object of texts, e.g. {{ \"rates\": \"our contract\" }}");
                return inherited;
            }

            return WithSources(inherited, value.EnumerateObject().Select(fact => (fact.Name, fact.Value.GetString() ?? string.Empty)));
        }

        private static Dictionary<string, string> WithSources(IReadOnlyDictionary<string, string> sources, IEnumerable<(string Fact, string Source)> given)
        {
            Dictionary<string, string> merged = sources.ToDictionary(s => s.Key, s => s.Value);
            foreach ((string fact, string source) in given)
            {
                merged[fact] = source;
            }

            return merged;
        }

        /// <summary>The rates given, over <paramref name="inherited"/> (a user's 720p rate keeps the built-in 480p one).</summary>
        private static Dictionary<string, decimal> Rates(JsonElement element, string where, ModelSpec spec, IReadOnlyDictionary<string, decimal> inherited, List<string> problems)
        {
            Dictionary<string, decimal> rates = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, decimal> rate in inherited)
            {
                rates[rate.Key] = rate.Value;
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                problems.Add($"{where} must be an object such as {{ \"1080p\": 90 }}");
                return rates;
            }

            RefuseDuplicates(element, where, problems);

            foreach (JsonProperty resolution in element.EnumerateObject())
            {
                if (spec.Resolutions.Count > 0 && !spec.Resolutions.Contains(resolution.Name, StringComparer.OrdinalIgnoreCase))
                {
                    problems.Add($"{where}: '{resolution.Name}' is not a resolution {spec.Name} has ({string.Join(", ", spec.Resolutions)})");
                    continue;
                }

                decimal? value = PositiveNumber(resolution.Value, $"{where}.{resolution.Name}", problems);
                if (value is not null)
                {
                    rates[resolution.Name] = value.Value;
                }
            }

            return rates;
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

        private static int? WholeNumber(JsonElement element, string where, List<string> problems)
        {
            if (element.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (element.ValueKind == JsonValueKind.Number && element.TryGetInt32(out int value) && value >= 0)
            {
                return value;
            }

            problems.Add($"{where} must be a whole number of 0 or more (or null: not checked), not {element.GetRawText()}");
            return null;
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
            if (JsonFields.NumberOf(element, 0, MaxRate) is decimal value && value > 0)
            {
                return value;
            }

            problems.Add($"{where} must be a number greater than 0 and at most {MaxRate:N0}, not {ServiceText.Clean(element.GetRawText())}");
            return null;
        }
    }
}
