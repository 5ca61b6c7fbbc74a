using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Seedance.Client.Json;
using Seedance.Client.Http;
using Seedance.Client.Models;
using Seedance.Client.Pricing;

namespace Seedance.Client.Validation
{
    /// <summary>
    /// Checks -AdditionalInput. The service ignores an unknown or misspelt input without a word and still charges,
    /// so: a name a parameter already covers is refused (the parameter is validated, the raw input would not be);
    /// a documented name in the wrong case is refused; a documented name gets its value checked as far as the docs
    /// say; any other name is sent as given, with a warning.
    /// </summary>
    public static class AdditionalInputValidator
    {
        private const string Parameter = "AdditionalInput";

        /// <summary>The documented optional inputs (secondary docs) this module has no parameter for.</summary>
        public static readonly IReadOnlyList<string> KnownNames =
            RequestShape.All.SelectMany(shape => shape.OptionalKeys).Distinct(StringComparer.Ordinal).ToList();

        /// <summary>The documented inputs whose value is one of a few words: the ErrorId, the words, and how a message says them.</summary>
        private static readonly Dictionary<string, (string ErrorId, string[] Values, string Expected)> OneOf = new Dictionary<string, (string, string[], string)>(StringComparer.Ordinal)
        {
            ["output_format"] = ("InvalidOutputFormat", new[] { "mp4", "mov" }, "mp4 or mov"),
            ["bitrate_mode"] = ("InvalidBitrateMode", new[] { "high" }, "'high' (or left out for the standard bitrate)"),
            ["upscaleResolution"] = ("InvalidUpscaleResolution", new[] { "4k" }, "4k"),
        };

        /// <summary>Inputs (and top-level fields) a parameter of New-SeedanceTask sets, by the name of that parameter.</summary>
        private static readonly Dictionary<string, string> Covered = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["prompt"] = "-Prompt",
            ["urls"] = "-Image",
            ["imageUrls"] = "-Image",
            ["videoUrls"] = "-Video",
            ["audioUrls"] = "-Audio",
            ["ratio"] = "-Ratio",
            ["aspectRatio"] = "-Ratio",
            ["duration"] = "-Duration",
            ["mode"] = "-Mode",
            ["model"] = "-Model",
            ["callBackUrl"] = "-CallbackUri",
        };

        public static IEnumerable<ValidationFailure> Validate(CreateTaskRequest request, ModelSpec spec)
        {
            foreach (KeyValuePair<string, object?> input in request.SortedAdditionalInputs())
            {
                ValidationFailure? failure = Check(input.Key, input.Value, spec);
                if (failure is not null)
                {
                    yield return failure;
                }
            }
        }

        /// <summary>Why <paramref name="spec"/>'s model cannot give <paramref name="resolution"/>, or null when it can (Get-SeedanceCreditCost asks too).</summary>
        public static string? UnsupportedResolution(ModelSpec spec, string resolution)
        {
            if (!spec.IsCatalogued || spec.Resolutions.Count == 0 || spec.Resolutions.Contains(resolution, StringComparer.Ordinal))
            {
                return null;
            }

            string? other = PriceTable.Default.ModelNames.FirstOrDefault(name => PriceTable.Default.Model(name).Resolutions.Contains(resolution, StringComparer.Ordinal));
            return $"{spec.Name} has no {resolution} output. Use one of {string.Join(", ", spec.Resolutions)}" +
                (other is null ? "." : $", or -Model {other}.");
        }

        /// <summary>Names sent as given that this module does not know: worth a warning, since the service ignores unknown inputs.</summary>

        public static IEnumerable<string> Warnings(CreateTaskRequest request)
        {
            foreach (KeyValuePair<string, object?> input in request.SortedAdditionalInputs())
            {
                if (input.Key == "generate_audio" && input.Value is true)
                {
                    yield return "generate_audio: the service's main documentation says its videos have no audio track; the service may ignore this input.";
                }
                else if (!KnownNames.Contains(input.Key, StringComparer.OrdinalIgnoreCase) && !Covered.ContainsKey(input.Key))
                {
                    yield return $"Additional input '{input.Key}' is not one this module knows ({string.Join(", ", KnownNames)}); it is sent as given, " +
                        "and the service ignores an input it does not know without saying so.";
                }
            }
        }

        private static ValidationFailure? Check(string name, object? value, ModelSpec spec)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                return Invalid("InvalidAdditionalInput", name, "An additional input has an empty name. Give each input the service's name, e.g. -AdditionalInput @{ seed = 42 }.");
            }

            if (Covered.TryGetValue(name, out string? parameter))
            {
                return Invalid("AdditionalInputCollides", name,
                    $"'{name}' is set by {parameter}; use {parameter} instead of -AdditionalInput, so that the value is checked before anything is paid for.");
            }

            string? known = KnownNames.FirstOrDefault(k => string.Equals(k, name, StringComparison.OrdinalIgnoreCase));
            if (known is not null && known != name)
            {
                return Invalid("InvalidAdditionalInput", name,
                    $"The service's name for '{name}' is '{known}': input names are case-sensitive, and a misspelt one is ignored without a word.");
            }

            string? unwritable = PlainJson.Unwritable(value, name);
            if (unwritable is not null)
            {
                return Invalid("InvalidAdditionalInput", value, $"Additional input {unwritable}");
            }

            if (OneOf.TryGetValue(name, out (string ErrorId, string[] Values, string Expected) words))
            {
                return value is string word && words.Values.Contains(word, StringComparer.Ordinal)
                    ? null
                    : Invalid(words.ErrorId, value, $"{name} must be {words.Expected}, not '{PlainJson.ToText(value)}'.");
            }

            switch (name)
            {
                case "outputResolution":
                    if (!(value is string resolution) || resolution.Length == 0)
                    {
                        return Invalid("InvalidOutputResolution", value, $"outputResolution must be one of {string.Join(", ", spec.Resolutions)}, not '{PlainJson.ToText(value)}'.");
                    }

                    string? unsupported = UnsupportedResolution(spec, resolution);
                    return unsupported is null ? null : Invalid("InvalidOutputResolution", value, unsupported);
                case "generate_audio":
                    return value is bool
                        ? null
                        : Invalid("InvalidGenerateAudio", value, $"generate_audio must be $true or $false, not '{PlainJson.ToText(value)}'.");
                case "seed":
                    return IsSeed(value)
                        ? null
                        : Invalid("InvalidSeed", value, $"seed must be a whole number from 0 to 4294967295, or -1 for random, e.g. -Seed 42, not '{PlainJson.ToText(value)}'.");
                default:
                    return null;
            }
        }

        /// <summary>A whole number from 0 to 4294967295, or -1 (random): kinovi-ai/kinovi-models models/*/README.md.</summary>
        private static bool IsSeed(object? value)
        {
            decimal? number = value switch
            {
                int or long or short or byte or sbyte or ushort or uint or ulong => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
                decimal exact when exact == decimal.Truncate(exact) => exact,
                double real when real == Math.Floor(real) && Math.Abs(real) < 9e15 => (decimal)real,
                _ => null,
            };
            return number == -1 || (number >= 0 && number <= uint.MaxValue);
        }

        private static ValidationFailure Invalid(string errorId, object? target, string message) =>
            new ValidationFailure(errorId, Parameter, target, message);
    }
}
