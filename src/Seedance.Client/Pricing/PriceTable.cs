using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using Seedance.Client.Models;
using Seedance.Client.Validation;

namespace Seedance.Client.Pricing
{
    /// <summary>
    /// The model catalog, prices included: per model its limits, vocabularies and rates (<see cref="ModelSpec"/>), and
    /// the dollar value of a credit. One table for both on purpose: a model's limits and rates come from the same
    /// pages and change together, so one file (ModelCatalog.json, shipped in the module) holds them, and one file of
    /// the user's (Set-SeedanceConfiguration -PriceTable, <see cref="PriceTableFile"/>) overrides any of it, field by
    /// field, or adds a model. Validation, -WhatIf, Get-SeedanceCreditCost and completion all read this; no model
    /// name or limit is written anywhere else in the code.
    /// </summary>
    public sealed class PriceTable
    {
        /// <summary>The name of the table that ships with the module.</summary>
        public const string BuiltInName = "built-in";

        private const string ResourceName = "Seedance.ModelCatalog.json";

        private readonly Dictionary<string, ModelSpec> _models;

        /// <param name="name">Which table this is, as every cost's Source will say: "built-in", or the file it came from.</param>
        /// <param name="fallback">Where a model this table does not list is looked up (the built-in table for a user's file).</param>
        public PriceTable(string name, IEnumerable<ModelSpec> models, decimal usdPerCredit, PriceTable? fallback, string? defaultModel = null)
        {
            Name = name;
            _models = new Dictionary<string, ModelSpec>(StringComparer.OrdinalIgnoreCase);
            foreach (ModelSpec model in models)
            {
                _models[model.Name] = model;
            }

            UsdPerCredit = usdPerCredit;
            Fallback = fallback;
            DefaultModel = defaultModel ?? fallback?.DefaultModel ?? _models.Keys.First();
        }

        /// <summary>The catalog that ships with the module (ModelCatalog.json, embedded).</summary>
        public static PriceTable Default { get; } = LoadBuiltIn();

        /// <summary>1 credit = $0.005 (seedance2-pro.com Omni Reference page), unless the table says otherwise.</summary>
        public static decimal DefaultUsdPerCredit => Default.UsdPerCredit;

        public string Name { get; }

        public decimal UsdPerCredit { get; }

        public PriceTable? Fallback { get; }

        /// <summary>The model New-SeedanceTask uses without -Model.</summary>
        public string DefaultModel { get; }

        /// <summary>This table's own models (not the fallback's).</summary>
        public IEnumerable<ModelSpec> Models => _models.Values;

        /// <summary>Every model name this table and its fallback list, in catalog order.</summary>
        public IReadOnlyList<string> ModelNames =>
            _models.Keys.Concat(Fallback?.ModelNames ?? Enumerable.Empty<string>()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();

        /// <summary>Every ratio some model takes (for completion).</summary>
        public IReadOnlyList<string> AllRatios => ModelNames.SelectMany(name => Model(name).Ratios).Distinct(StringComparer.Ordinal).ToList();

        /// <summary>Every resolution some model takes (for completion).</summary>
        public IReadOnlyList<string> AllResolutions => ModelNames.SelectMany(name => Model(name).Resolutions).Distinct(StringComparer.Ordinal).ToList();

        /// <summary>True when the catalog lists the model (with facts, or at least a rate from a user's table).</summary>
        public bool Knows(string model) => _models.ContainsKey(model) || Fallback?.Knows(model) == true;

        /// <summary>The model's facts; <see cref="ModelSpec.Uncatalogued"/> for a model no table lists.</summary>
        public ModelSpec Model(string model)
        {
            if (_models.TryGetValue(model, out ModelSpec? spec))
            {
                return spec;
            }

            return Fallback?.Model(model) ?? ModelSpec.Uncatalogued(model);
        }

        /// <summary>Which table a model's facts come from ("built-in", a file, or null when none lists it).</summary>
        public string? TableOf(string model) => _models.ContainsKey(model) ? Name : Fallback?.TableOf(model);

        /// <summary>What a create would cost: model, duration, outputResolution and whether reference videos are given.</summary>
        public CreditCost CostOf(CreateTaskRequest request) =>
            CostOf(request.Model, request.Duration, request.OutputResolution, request.VideoUrls.Count);

        /// <summary>
        /// A price asked for (Get-SeedanceCreditCost): the cost, or every problem of the input, one failure each, as
        /// New-SeedanceTask reports them. A model without a price, a duration that is no whole number or outside the
        /// model's range, and a resolution the model cannot make (a price for nothing) are refused, never guessed.
        /// </summary>
        /// <param name="duration">Whole seconds (an int), or a value given that is none, as given.</param>
        public (CreditCost? Cost, IReadOnlyList<ValidationFailure> Failures) Quote(string model, object duration, string? resolution, int referenceVideos)
        {
            List<ValidationFailure> failures = new List<ValidationFailure>();
            ModelSpec spec = Model(model);
            if (!spec.HasPrice)
            {
                failures.Add(new ValidationFailure("UnknownModel", "Model", model,
                    $"Model '{model}' has no price in the catalog (its models: {string.Join(", ", ModelNames)}). " +
                    "A price table of your own (Set-SeedanceConfiguration -PriceTable) can give it a rate."));
            }

            int seconds = duration is int whole ? whole : 0;
            ValidationFailure? badDuration = duration is int ? null : InputParser.DurationFailure(duration, spec);
            if (badDuration is null && spec.DurationOutOfRange(seconds))
            {
                badDuration = new ValidationFailure("InvalidDuration", "Duration", seconds, InputParser.DurationOutOfRange(seconds, spec));
            }

            if (badDuration is not null)
            {
                failures.Add(badDuration);
            }

            // A price for an output the model cannot make would be a price for nothing: refused as New-SeedanceTask refuses it.
            string? unsupported = resolution is null ? null : AdditionalInputValidator.UnsupportedResolution(spec, resolution);
            if (unsupported is not null)
            {
                failures.Add(new ValidationFailure("InvalidOutputResolution", "OutputResolution", resolution, unsupported));
            }

            return failures.Count > 0
                ? (null, failures)
                : (CostOf(spec.Name, spec.TakesDuration ? seconds : 0, resolution, referenceVideos), failures);
        }

        /// <summary>
        /// The cost of one task. For a charge that settles after success (a reference video on 2.5, extend, edit) the
        /// Credits are the documented maximum (what a budget must reserve) and AtSubmit what the service reserves first.
        /// A model without a rate gives a cost with PriceKnown false and 0 credits: a budget must refuse it, never guess.
        /// </summary>
        /// <exception cref="ArgumentOutOfRangeException">The duration is outside the model's documented range.</exception>
        public CreditCost CostOf(string model, int durationSeconds, string? outputResolution, int referenceVideos)
        {
            ModelSpec spec = Model(model);
            string table = TableOf(model) ?? Name;
            if (!spec.HasPrice)
            {
                return CreditCost.Unknown(spec.Name, durationSeconds, table);
            }

            if (spec.DurationOutOfRange(durationSeconds))
            {
                throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds,
                    $"Duration must be {spec.MinDuration} to {spec.MaxDuration} seconds for {spec.Name}.");
            }

            string? resolution = string.IsNullOrEmpty(outputResolution) ? spec.DefaultResolution : outputResolution;
            decimal rate = spec.CreditsPerSecond!.Value;
            string note = string.Empty;
            bool withReference = referenceVideos > 0 && spec.ReferenceVideoRate.Count > 0;
            IReadOnlyDictionary<string, decimal> rates = withReference ? spec.ReferenceVideoRate : spec.ByResolution;
            if (resolution is not null && rates.TryGetValue(resolution, out decimal resolutionRate))
            {
                rate = resolutionRate;
                if (!string.IsNullOrEmpty(outputResolution) || withReference)
                {
                    note = $" ({resolution}{(withReference ? " with a reference video" : string.Empty)} rate)";
                }
            }
            else if (!string.IsNullOrEmpty(outputResolution))
            {
                note = $" (no {outputResolution} rate in this table: the base rate is shown; the service may charge another)";
            }

            int sourceLimit = spec.MaxVideoSeconds ?? 30;
            decimal seconds;
            decimal atSubmit;
            string rule;
            switch (spec.Charge)
            {
                case ChargeRule.ReferencePlusOutput when referenceVideos > 0:
                    seconds = sourceLimit + durationSeconds;
                    atSubmit = durationSeconds * rate;
                    rule = $"at most ({sourceLimit} s of reference video + {durationSeconds} s) x {Text(rate)}; settled after success";
                    break;
                case ChargeRule.SourcePlusOutput:
                    seconds = sourceLimit + durationSeconds;
                    atSubmit = durationSeconds * rate;
                    rule = $"at most ({sourceLimit} s of source + {durationSeconds} s) x {Text(rate)}; settled after success";
                    break;
                case ChargeRule.TwiceSource:
                    seconds = 2 * sourceLimit;
                    atSubmit = (spec.ReservedSeconds ?? 0) * rate;
                    rule = $"at most 2 x {sourceLimit} s of source x {Text(rate)}; {spec.ReservedSeconds} s reserved at submit, settled after success";
                    break;
                default:
                    seconds = durationSeconds;
                    atSubmit = durationSeconds * rate;
                    rule = $"{durationSeconds} s x {Text(rate)}";
                    break;
            }

            decimal credits = seconds * rate;
            string owner = table == Name || Fallback is null ? table : $"{table} ({Name} has no rate for {spec.Name})";
            return new CreditCost(spec.Name, durationSeconds, credits, Math.Round(credits * UsdPerCredit, 2), table,
                $"{owner}: {spec.SourceOf("rates")}{note}")
            {
                AtSubmit = atSubmit,
                FinalMayChange = spec.FinalChargeMayChange(referenceVideos),
                Charge = rule,
                OutputResolution = resolution,
            };
        }

        public override string ToString() => Name;

        private static string Text(decimal rate) => rate.ToString("0.##", CultureInfo.InvariantCulture) + " credits/s";

        private static PriceTable LoadBuiltIn()
        {
            using Stream stream = typeof(PriceTable).Assembly.GetManifestResourceStream(ResourceName)
                ?? throw new InvalidOperationException($"The module's model catalog ({ResourceName}) is missing from the assembly.");
            using StreamReader reader = new StreamReader(stream);
            return PriceTableFile.Parse(reader.ReadToEnd(), BuiltInName, null);
        }
    }
}
