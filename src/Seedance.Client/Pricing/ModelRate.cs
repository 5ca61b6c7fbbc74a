using System;
using System.Collections.Generic;

namespace Seedance.Client.Pricing
{
    /// <summary>One model's rate, optionally per output resolution, and where the figures come from.</summary>
    public sealed class ModelRate
    {
        private static readonly IReadOnlyDictionary<string, decimal> NoResolutions = new Dictionary<string, decimal>();

        public ModelRate(string model, decimal creditsPerSecond, string source)
            : this(model, creditsPerSecond, source, null)
        {
        }

        public ModelRate(string model, decimal creditsPerSecond, string source, IReadOnlyDictionary<string, decimal>? byResolution)
        {
            Model = model;
            CreditsPerSecond = creditsPerSecond;
            Source = source;
            ByResolution = byResolution is null ? NoResolutions : ToDictionary(byResolution);
        }

        public string Model { get; }

        /// <summary>The base rate (720p, or whatever the service does without outputResolution).</summary>
        public decimal CreditsPerSecond { get; }

        public string Source { get; }

        /// <summary>Credits per second for a given outputResolution (480p, 720p, 1080p), where the table knows one.</summary>
        public IReadOnlyDictionary<string, decimal> ByResolution { get; }

        private static Dictionary<string, decimal> ToDictionary(IReadOnlyDictionary<string, decimal> rates)
        {
            Dictionary<string, decimal> copy = new Dictionary<string, decimal>(StringComparer.OrdinalIgnoreCase);
            foreach (KeyValuePair<string, decimal> rate in rates)
            {
                copy[rate.Key] = rate.Value;
            }

            return copy;
        }
    }
}
