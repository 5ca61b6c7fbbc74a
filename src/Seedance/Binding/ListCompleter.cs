using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Seedance.Client.Pricing;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Tab completion from a fixed list, with wildcard matching and quoting. Used instead of ValidateSet so that a
    /// wrong value reaches our own validation, which names the known values and gives a stable ErrorId.
    /// </summary>
    public abstract class ListCompleter : IArgumentCompleter
    {
        protected abstract IEnumerable<string> Values { get; }

        /// <summary>The values for this command line (a completer may narrow them by the other parameters given).</summary>
        protected virtual IEnumerable<string> ValuesFor(IDictionary fakeBoundParameters) => Values;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            WildcardPattern pattern = WildcardPattern.Get(word + "*", WildcardOptions.IgnoreCase);
            return ValuesFor(fakeBoundParameters)
                .Where(value => pattern.IsMatch(value))
                .Select(value => new CompletionResult(NeedsQuotes(value) ? "'" + value + "'" : value, value, CompletionResultType.ParameterValue, value))
                .ToList();
        }

        private static bool NeedsQuotes(string value) => value.IndexOfAny(new[] { ' ', ':', ';', '$', '\'' }) >= 0;
    }

    /// <summary>The catalog in force (a user's table included), or the built-in one when the settings cannot be read.</summary>
    internal static class CompletionCatalog
    {
        public static PriceTable Current
        {
            get
            {
                try
                {
                    return Configuration.SeedanceConfiguration.Resolve().PriceTable;
                }
                catch (System.Exception)
                {
                    return PriceTable.Default;
                }
            }
        }

        /// <summary>The model the command line names (-Model), or the default model.</summary>
        public static ModelSpec ModelOf(IDictionary fakeBoundParameters, PriceTable catalog) =>
            catalog.Model(fakeBoundParameters?["Model"] is object model && model.ToString() is string name && name.Length > 0 ? name : catalog.DefaultModel);
    }

    public sealed class ModelCompleter : ListCompleter
    {
        protected override IEnumerable<string> Values => CompletionCatalog.Current.ModelNames;
    }

    public sealed class RatioCompleter : ListCompleter
    {
        protected override IEnumerable<string> Values => CompletionCatalog.Current.AllRatios;
    }

    public sealed class ModeCompleter : ListCompleter
    {
        protected override IEnumerable<string> Values => new[] { "Keyframe", "Reference" };
    }

    /// <summary>The resolutions of the model on the command line (all of the catalog's without -Model).</summary>
    public sealed class ResolutionCompleter : ListCompleter
    {
        protected override IEnumerable<string> Values => CompletionCatalog.Current.AllResolutions;

        protected override IEnumerable<string> ValuesFor(IDictionary fakeBoundParameters)
        {
            PriceTable catalog = CompletionCatalog.Current;
            ModelSpec model = CompletionCatalog.ModelOf(fakeBoundParameters, catalog);
            return fakeBoundParameters?.Contains("Model") == true && model.Resolutions.Count > 0 ? model.Resolutions : catalog.AllResolutions;
        }
    }

    /// <summary>The whole seconds a video of the model on the command line (or the default model) can last.</summary>
    public sealed class DurationCompleter : ListCompleter
    {
        protected override IEnumerable<string> Values => ValuesFor(new Hashtable());

        protected override IEnumerable<string> ValuesFor(IDictionary fakeBoundParameters)
        {
            ModelSpec model = CompletionCatalog.ModelOf(fakeBoundParameters, CompletionCatalog.Current);
            return model.MinDuration is int min && model.MaxDuration is int max && max >= min
                ? Enumerable.Range(min, max - min + 1).Select(seconds => seconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
                : Enumerable.Empty<string>();
        }
    }
}
