using System;
using System.Collections.Generic;
using System.Linq;

namespace Seedance.Client.Pricing
{
    /// <summary>How a model's final charge is computed from its rate (the catalog's "charge").</summary>
    public enum ChargeRule
    {
        /// <summary>duration x rate, charged at submit and final (2.0 models; a reference video only changes the rate).</summary>
        PerSecond,

        /// <summary>Without a reference video as PerSecond; with one, (reference seconds up to the limit + duration) x the reference rate, settled after success (2.5).</summary>
        ReferencePlusOutput,

        /// <summary>(source seconds up to the limit + duration) x rate, settled after success (extend).</summary>
        SourcePlusOutput,

        /// <summary>2 x source seconds (up to the limit) x rate, an estimate reserved at submit and settled after success (edit).</summary>
        TwiceSource,
    }

    /// <summary>
    /// One model of the catalog (<see cref="PriceTable"/>): its limits, vocabularies, rates and the source of each fact.
    /// A null limit is one nobody documented: it is not checked. A model the catalog does not list is
    /// <see cref="Uncatalogued"/>: every limit unchecked and no price.
    /// </summary>
    public sealed class ModelSpec
    {
        private static readonly IReadOnlyDictionary<string, decimal> NoRates = new Dictionary<string, decimal>();

        public ModelSpec(string name) => Name = name;

        public string Name { get; private set; }

        /// <summary>False for a model the catalog has no facts for (a user's table may still give it a rate).</summary>
        public bool IsCatalogued { get; internal set; }

        public int? MinDuration { get; internal set; }
        public int? MaxDuration { get; internal set; }

        /// <summary>For a model without a duration (edit): the seconds the service reserves at submit.</summary>
        public int? ReservedSeconds { get; internal set; }

        public int? MaxPromptLength { get; internal set; }
        public int? MaxImages { get; internal set; }

        /// <summary>The images keyframe mode takes (first and last frame).</summary>
        public int? MaxKeyframeImages { get; internal set; }
        public int? MaxVideos { get; internal set; }

        /// <summary>Combined seconds of reference video the service takes (and the most a charge counts).</summary>
        public int? MaxVideoSeconds { get; internal set; }
        public int? MaxAudio { get; internal set; }
        public int? MaxAudioSeconds { get; internal set; }

        /// <summary>keyframe, reference; empty: the model has no mode input.</summary>
        public IReadOnlyList<string> Modes { get; internal set; } = Array.Empty<string>();

        /// <summary>From this many images, without -Mode, the images are references (sent as mode "reference"); 0: never.</summary>
        public int ReferenceFromImages { get; internal set; }

        /// <summary>Empty: the model takes no ratio (the output keeps its source's).</summary>
        public IReadOnlyList<string> Ratios { get; internal set; } = Array.Empty<string>();

        public IReadOnlyList<string> Resolutions { get; internal set; } = Array.Empty<string>();
        public string? DefaultResolution { get; internal set; }

        /// <summary>Inputs the service refuses the task without: "video", "duration".</summary>
        public IReadOnlyList<string> Requires { get; internal set; } = Array.Empty<string>();

        /// <summary>The base rate (the default resolution's); null: no price is known.</summary>
        public decimal? CreditsPerSecond { get; internal set; }
        public IReadOnlyDictionary<string, decimal> ByResolution { get; internal set; } = NoRates;

        /// <summary>The rate per resolution when a reference video is given (empty: the same rate).</summary>
        public IReadOnlyDictionary<string, decimal> ReferenceVideoRate { get; internal set; } = NoRates;

        public ChargeRule Charge { get; internal set; }

        /// <summary>Where each fact comes from, by fact (durations, prompt, materials, modes, ratios, resolutions, requires, rates, charge).</summary>
        public IReadOnlyDictionary<string, string> Sources { get; internal set; } = new Dictionary<string, string>();

        /// <summary>The source of the table this model came from, for facts without their own.</summary>
        public string Source { get; internal set; } = string.Empty;

        public bool TakesDuration => MinDuration is not null || MaxDuration is not null || ReservedSeconds is null;
        public bool TakesRatio => !IsCatalogued || Ratios.Count > 0;
        public bool IsRequired(string input) => Requires.Contains(input, StringComparer.OrdinalIgnoreCase);
        public bool HasPrice => CreditsPerSecond is not null;

        /// <summary>The one range rule of a duration: outside the documented range of a model that takes one.</summary>
        public bool DurationOutOfRange(int seconds) =>
            TakesDuration && ((MinDuration is int min && seconds < min) || (MaxDuration is int max && seconds > max));

        /// <summary>Whether creditsUsed can change after success for this request (the budget then reserves the maximum).</summary>
        public bool FinalChargeMayChange(int videos) =>
            Charge == ChargeRule.SourcePlusOutput || Charge == ChargeRule.TwiceSource || (Charge == ChargeRule.ReferencePlusOutput && videos > 0);

        public string SourceOf(string fact) => Sources.TryGetValue(fact, out string? source) ? source : Source;

        /// <summary>A model the catalog does not list: sent as given, nothing checked, no price.</summary>
        public static ModelSpec Uncatalogued(string name) => new ModelSpec(name) { Source = "not in the catalog" };

        /// <summary>These facts under another name: where a user's entry for a catalogued model starts.</summary>
        internal ModelSpec CopyAs(string name)
        {
            // A shallow copy is enough: every list and table here is replaced whole when a user's entry changes it, never edited in place.
            ModelSpec copy = (ModelSpec)MemberwiseClone();
            copy.Name = name;
            return copy;
        }
    }
}
