using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;

namespace Seedance.Client.Models
{
    /// <summary>
    /// Fields the service sent that this version does not know, by name, as plain values (text, numbers, true/false,
    /// lists, nested dictionaries) rather than JSON text, so ConvertTo-Json writes them as JSON values and
    /// <c>$task.AdditionalFields.region</c> is the string itself. As text (Export-Csv) it is "name=value; name=value".
    /// </summary>
    public sealed class AdditionalFieldCollection : ReadOnlyDictionary<string, object?>
    {
        public static readonly AdditionalFieldCollection Empty = new AdditionalFieldCollection(new Dictionary<string, object?>(StringComparer.Ordinal));

        public AdditionalFieldCollection(IDictionary<string, object?> fields)
            : base(fields)
        {
        }

        /// <summary>"name=value; name=value", what a CSV cell shows: inert for a spreadsheet (<see cref="SpreadsheetCell"/>).</summary>
        public override string ToString() =>
            SpreadsheetCell.Inert(string.Join("; ", this.Select(field => field.Key + "=" + Json.PlainJson.ToText(field.Value))))!;
    }
}
