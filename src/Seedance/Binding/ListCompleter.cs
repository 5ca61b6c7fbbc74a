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
        /// <summary>The values for this command line (a completer may narrow them by the other parameters given).</summary>
        protected abstract IEnumerable<string> ValuesFor(IDictionary fakeBoundParameters);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            WildcardPattern pattern = WildcardPattern.Get(word + "*", WildcardOptions.IgnoreCase);
            return ValuesFor(fakeBoundParameters)
                .Where(value => pattern.IsMatch(value))
                .Select(value => new CompletionResult(CompletionText.Of(value), value, CompletionResultType.ParameterValue, value))
                .ToList();
        }
    }

    /// <summary>
    /// How a completed value is written on the command line: as it is when PowerShell reads it back as that same
    /// bare word or number (16:9, seedance-20, 8), else in single quotes. Quoting every value made PSReadLine insert a lone quote
    /// (the common prefix of all the choices) on the first Tab.
    /// </summary>
    internal static class CompletionText
    {
        public static string Of(string value) => IsBareWord(value) ? value : "'" + value.Replace("'", "''") + "'";

        private static bool IsBareWord(string value)
        {
            if (value.Length == 0)
            {
                return false;
            }

            ScriptBlockAst parsed = Parser.ParseInput("x " + value, out _, out ParseError[] errors);
            return errors.Length == 0 &&
                parsed.EndBlock?.Statements.Count == 1 &&
                parsed.EndBlock.Statements[0] is PipelineAst pipeline && pipeline.PipelineElements.Count == 1 &&
                pipeline.PipelineElements[0] is CommandAst command && command.CommandElements.Count == 2 &&
                (command.CommandElements[1] is StringConstantExpressionAst word
                    ? word.StringConstantType == StringConstantType.BareWord && word.Value == value
                    : command.CommandElements[1] is ConstantExpressionAst number && number.Extent.Text == value); // 8 binds to a text parameter as "8"
        }
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
        protected override IEnumerable<string> ValuesFor(IDictionary fakeBoundParameters) => CompletionCatalog.Current.ModelNames;
    }

    public sealed class RatioCompleter : ListCompleter
    {
        protected override IEnumerable<string> ValuesFor(IDictionary fakeBoundParameters) => CompletionCatalog.Current.AllRatios;
    }

    public sealed class ModeCompleter : ListCompleter
    {
        protected override IEnumerable<string> ValuesFor(IDictionary fakeBoundParameters) => new[] { "Keyframe", "Reference" };
    }

    /// <summary>The resolutions of the model on the command line (all of the catalog's without -Model).</summary>
    public sealed class ResolutionCompleter : ListCompleter
    {
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
        protected override IEnumerable<string> ValuesFor(IDictionary fakeBoundParameters)
        {
            ModelSpec model = CompletionCatalog.ModelOf(fakeBoundParameters, CompletionCatalog.Current);
            return model.MinDuration is int min && model.MaxDuration is int max && max >= min
                ? Enumerable.Range(min, max - min + 1).Select(seconds => seconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
                : Enumerable.Empty<string>();
        }
    }
}
