using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Seedance.Client.Models;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Tab completion from a fixed list, with wildcard matching and quoting. Used instead of ValidateSet so that a
    /// wrong value reaches our own validation, which names the known values and gives a stable ErrorId.
    /// </summary>
    public abstract class ListCompleter : IArgumentCompleter
    {
        protected abstract IEnumerable<string> Values { get; }

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            WildcardPattern pattern = WildcardPattern.Get(word + "*", WildcardOptions.IgnoreCase);
            return Values
                .Where(value => pattern.IsMatch(value))
                .Select(value => new CompletionResult(NeedsQuotes(value) ? "'" + value + "'" : value, value, CompletionResultType.ParameterValue, value))
                .ToList();
        }

        private static bool NeedsQuotes(string value) => value.IndexOfAny(new[] { ' ', ':', ';', '$', '\'' }) >= 0;
    }

    public sealed class ModelCompleter : ListCompleter
    {
        protected override IEnumerable<string> Values => SeedanceModels.All;
    }

    public sealed class RatioCompleter : ListCompleter
    {
        protected override IEnumerable<string> Values => SeedanceModels.Ratios;
    }

    public sealed class ModeCompleter : ListCompleter
    {
        protected override IEnumerable<string> Values => new[] { "Keyframe", "Reference" };
    }

    /// <summary>The whole seconds a video can last.</summary>
    public sealed class DurationCompleter : ListCompleter
    {
        protected override IEnumerable<string> Values =>
            Enumerable.Range(SeedanceModels.MinDuration, SeedanceModels.MaxDuration - SeedanceModels.MinDuration + 1)
                .Select(seconds => seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
