using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Turns what a script hands over (hashtables, [ordered], PSCustomObjects, arrays, values wrapped in PSObject)
    /// into the plain values Seedance.Client works with (dictionaries by name, object arrays, strings, numbers,
    /// booleans), which have no PowerShell types in them.
    /// </summary>
    internal static class PlainValues
    {
        /// <summary>-AdditionalInput as name → plain value; keys are taken as text.</summary>
        public static IReadOnlyDictionary<string, object?> FromDictionary(IDictionary? dictionary)
        {
            Dictionary<string, object?> plain = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (dictionary is not null)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    plain[Convert.ToString(Unwrap(entry.Key), System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty] = Unwrap(entry.Value);
                }
            }

            return plain;
        }

        public static object? Unwrap(object? value)
        {
            if (value is PSObject wrapped)
            {
                if (wrapped.BaseObject is PSCustomObject)
                {
                    // A PSCustomObject (ConvertFrom-Json, [pscustomobject]@{...}) is its note properties.
                    Dictionary<string, object?> properties = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (PSPropertyInfo property in wrapped.Properties)
                    {
                        properties[property.Name] = Unwrap(property.Value);
                    }

                    return properties;
                }

                value = wrapped.BaseObject;
            }

            switch (value)
            {
                case null:
                case string _:
                    return value;
                case IDictionary dictionary:
                    Dictionary<object, object?> copy = new Dictionary<object, object?>();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        copy[Unwrap(entry.Key) ?? string.Empty] = Unwrap(entry.Value);
                    }

                    return ToStringKeys(copy);
                case IEnumerable list:
                    List<object?> items = new List<object?>();
                    foreach (object? item in list)
                    {
                        items.Add(Unwrap(item));
                    }

                    return items.ToArray();
                default:
                    return value;
            }
        }

        /// <summary>Keys that are text become a dictionary by name; any other key is kept, so the JSON check can name it.</summary>
        private static IDictionary ToStringKeys(Dictionary<object, object?> copy)
        {
            Dictionary<string, object?> byName = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (KeyValuePair<object, object?> entry in copy)
            {
                if (!(entry.Key is string name))
                {
                    return copy;
                }

                byName[name] = entry.Value;
            }

            return byName;
        }
    }
}
