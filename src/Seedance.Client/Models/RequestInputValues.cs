using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

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
            : base(inputs.ToDictionary(input => input.Key, input => input.Value, StringComparer.Ordinal))
        {
        }

        public override string ToString() => Count == 0 ? string.Empty : Json.PlainJson.ToJson(Dictionary);
    }
}
