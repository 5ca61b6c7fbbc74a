using System;
using System.Collections.Generic;

namespace Seedance.Client.Pricing
{
    /// <summary>A price table file that cannot be used: unreadable, not JSON, or breaking its rules (each listed).</summary>
    public sealed class PriceTableException : SeedanceException
    {
        public PriceTableException(string path, IReadOnlyList<string> problems, Exception? innerException = null)
            : base($"The price table '{path}' cannot be used: {string.Join("; ", problems)}.", innerException)
        {
            Path = path;
            Problems = problems;
        }

        public string Path { get; }

        public IReadOnlyList<string> Problems { get; }
    }
}
