using System;
using System.Collections.Generic;
using System.Linq;

namespace Seedance.Client.Pricing
{
    /// <summary>A price table file that cannot be used: unreadable, not JSON, or breaking its rules (each listed).</summary>
    public sealed class PriceTableException : SeedanceException
    {
        public PriceTableException(string path, IEnumerable<string> problems, Exception? innerException = null)
            : this(path, problems.ToList(), innerException)
        {
        }

        private PriceTableException(string path, IReadOnlyList<string> problems, Exception? innerException)
            : base($"The price table '{path}' cannot be used: {string.Join("; ", problems)}.", innerException)
        {
            Path = path;
            Problems = problems;
        }

        public string Path { get; }

        public IReadOnlyList<string> Problems { get; }
    }
}
