using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Seedance.Client.Models
{
    /// <summary>
    /// The optional inputs of a request (outputResolution, seed, generate_audio, and any other) as an uncertain create
    /// shows them. A dictionary like any other, so a piped object binds to New-SeedanceTask -AdditionalInput; as text
    /// (Export-Csv) a compact JSON object, which -AdditionalInput reads back from a CSV cell, so the numbers and booleans
    /// keep their types. Empty text when there are none.
    /// </summary>
    public sealed class RequestInputValues : ReadOnlyDictionary<string, object?>
    {
        public RequestInputValues(IReadOnlyDictionary<string, object?> inputs)
            : base(Copy(inputs))
        {
        }

        public override string ToString() => Count == 0 ? string.Empty : Json.PlainJson.ToJson(Dictionary);

        private static Dictionary<string, object?> Copy(IReadOnlyDictionary<string, object?> inputs)
        {
            Dictionary<string, object?> copy = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, object?> input in inputs)
            {
                copy[input.Key] = input.Value;
            }

            return copy;
        }
    }
}
