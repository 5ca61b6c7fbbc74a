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
