using System;
using System.Collections;
using System.Management.Automation;
using System.Text.Json;
using Seedance.Client;
using Seedance.Client.Json;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Lets -AdditionalInput come from a CSV cell: text that is a JSON object (<c>{"seed":42,"outputResolution":"1080p"}</c>,
    /// what an exported uncertain create's AdditionalInputs cell holds) becomes that dictionary, and a blank cell none.
    /// Without this, PowerShell cannot turn the text into a dictionary and, for a value bound from the pipeline by
    /// property name, drops it without a word: the row would be paid for without the inputs it asked for. Any other
    /// text is refused, naming the cell.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class AdditionalInputTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = EachItemTransformationAttribute.Unwrap(inputData);
            if (!(value is string text))
            {
                return inputData;
            }

            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            try
            {
                using (JsonDocument document = PlainJson.Parse(text))
                {
                    if (document.RootElement.ValueKind == JsonValueKind.Object)
                    {
                        return (IDictionary)PlainJson.ToPlain(document.RootElement)!;
                    }
                }
            }
            catch (JsonException)
            {
            }

            throw new ArgumentTransformationMetadataException(
                $"-AdditionalInput text must be a JSON object, such as {{\"seed\": 42}} (in a CSV cell too); it was '{ShortText(text)}'. " +
                "Give a hashtable, such as @{ seed = 42 }, when typing it.");
        }

        private static string ShortText(string text)
        {
            string clean = ServiceText.Clean(text);
            return clean.Length <= 80 ? clean : clean.Substring(0, 80) + "...";
        }
    }
}
