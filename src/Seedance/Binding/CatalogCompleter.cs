using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using Seedance.Client.Pricing;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Tab completion of the catalog's words (the catalog in force, a user's table included): -Model, -Ratio, -Mode,
    /// -OutputResolution and -Duration, the last two for the model on the command line (resolutions: all of the
    /// catalog's without -Model; durations: the default model's). Wildcard matching and quoting. Used instead of
    /// ValidateSet so that a wrong value reaches our own validation, which names the known values and gives a stable ErrorId.
    /// </summary>
    public sealed class CatalogCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string word = (wordToComplete ?? string.Empty).Trim('\'', '"');
            WildcardPattern pattern = WildcardPattern.Get(word + "*", WildcardOptions.IgnoreCase);
            return ValuesFor(parameterName, fakeBoundParameters)
                .Where(value => pattern.IsMatch(value))
                .Select(value => new CompletionResult(CompletionText.Of(value), value, CompletionResultType.ParameterValue, value))
                .ToList();
        }

        private static IEnumerable<string> ValuesFor(string parameterName, IDictionary? fakeBoundParameters)
        {
            PriceTable catalog = Current;
            string? named = fakeBoundParameters?["Model"]?.ToString();
            ModelSpec model = catalog.Model(string.IsNullOrEmpty(named) ? catalog.DefaultModel : named!);
            switch (parameterName)
            {
                case "Model":
                    return catalog.ModelNames;
                case "Ratio":
                    return catalog.AllRatios;
                case "Mode":
                    return new[] { "Keyframe", "Reference" };
                case "OutputResolution":
                    return fakeBoundParameters?.Contains("Model") == true && model.Resolutions.Count > 0 ? model.Resolutions : catalog.AllResolutions;
                case "Duration":
                    return model.MinDuration is int min && model.MaxDuration is int max && max >= min
                        ? Enumerable.Range(min, max - min + 1).Select(seconds => seconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
                        : Enumerable.Empty<string>();
                default:
                    return Enumerable.Empty<string>();
            }
        }

        /// <summary>The catalog in force, or the built-in one when the settings cannot be read.</summary>
        private static PriceTable Current
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
    }

    /// <summary>
    /// How a completed value is written on the command line: as it is when PowerShell reads it back as that same
    /// bare word or number (16:9, seedance-20, 8), else in single quotes. Quoting every value made PSReadLine insert a lone quote
    /// (the common prefix of all the choices) on the first Tab.
    /// </summary>
    internal static class CompletionText
    {
        // PowerShell's own escaping: it doubles the typographic quotes (U+2018..U+201B) too, which also end a single-quoted
        // string, so a value from a price table or the journal cannot close the quotes and add a statement.
        public static string Of(string value) => IsBareWord(value) ? value : "'" + CodeGeneration.EscapeSingleQuotedStringContent(value) + "'";

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
}
