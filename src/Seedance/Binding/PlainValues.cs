using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Runtime.CompilerServices;
using Seedance.Client.Json;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Turns what a script hands over (hashtables, [ordered], PSCustomObjects, arrays, values wrapped in PSObject; a
    /// webhook body Azure Functions or ConvertFrom-Json parsed, -AdditionalInput) into the plain values Seedance.Client
    /// works with (dictionaries by name, object arrays, strings, numbers, booleans), which have no PowerShell types in
    /// them. It is the caller's object graph, so the walk goes at most <see cref="MaxDepth"/> deep, never round a cycle,
    /// and stops copying once the value's JSON is certainly past the size cap (a 3-million-key table costs the cap, not
    /// its size). What it does not copy becomes a <see cref="RefusedValue"/> saying why, which the one JSON writer
    /// (<see cref="PlainJson"/>) refuses, naming where it is.
    /// </summary>
    internal sealed class PlainValues
    {
        /// <summary>Deeper than any task object or input (a few levels); JsonDocument's own default is 64 too.</summary>
        public const int MaxDepth = 64;

        private readonly HashSet<object> _onPath = new HashSet<object>(ReferenceComparer.Instance);
        private readonly long _maxChars;

        /// <summary>The fewest characters the JSON of what was walked so far can take: past the cap, the whole is certainly too large.</summary>
        private long _leastChars;
        private RefusedValue? _tooLarge;

        private PlainValues(long maxChars)
        {
            _maxChars = maxChars;
        }

        /// <summary>-AdditionalInput as name → plain value; keys are taken as text.</summary>
        public static IReadOnlyDictionary<string, object?> FromDictionary(IDictionary? dictionary)
        {
            PlainValues walk = new PlainValues(WebhookBodies.MaxSize);
            Dictionary<string, object?> plain = new Dictionary<string, object?>(StringComparer.Ordinal);
            if (dictionary is not null)
            {
                foreach (DictionaryEntry entry in dictionary)
                {
                    plain[Convert.ToString(Unwrap(entry.Key), CultureInfo.InvariantCulture) ?? string.Empty] = walk.Plain(entry.Value, 1);
                }
            }

            return plain;
        }

        /// <summary>A whole value (a parsed webhook body) as plain values, copied no further than <paramref name="maxChars"/> of JSON.</summary>
        public static object? ToPlain(object? value, long maxChars) => new PlainValues(maxChars).Plain(value, 0);

        private static object? Unwrap(object? value) => value is PSObject wrapped && !(wrapped.BaseObject is PSCustomObject) ? wrapped.BaseObject : value;

        /// <param name="depth">How many objects and arrays enclose <paramref name="value"/>.</param>
        private object? Plain(object? value, int depth)
        {
            if (_tooLarge is not null)
            {
                return _tooLarge;
            }

            // Every PSCustomObject shares one base object: its wrapper is what identifies this one (for the cycle check).
            value = Unwrap(value);
            _leastChars += value is string text ? text.Length + 2 : 1;
            if (_leastChars > _maxChars)
            {
                return _tooLarge = new RefusedValue($"makes it larger than {_maxChars / 1048576.0:0.#} MiB as JSON; a real one is a few KiB. It was not read further.");
            }

            if (value is null || value is string || !(value is PSObject || value is IEnumerable))
            {
                return value;
            }

            if (depth >= MaxDepth)
            {
                return new RefusedValue($"is nested more than {MaxDepth} levels deep; a real value is a few levels.");
            }

            if (!_onPath.Add(value))
            {
                return new RefusedValue("contains itself (a cycle), which JSON cannot hold.");
            }

            try
            {
                switch (value)
                {
                    case PSObject custom:
                        // A PSCustomObject (ConvertFrom-Json, [pscustomobject]@{...}) is its note properties.
                        Dictionary<string, object?> properties = new Dictionary<string, object?>(StringComparer.Ordinal);
                        foreach (PSPropertyInfo property in custom.Properties)
                        {
                            properties[property.Name] = Member(property.Name, property.Value, depth);
                            if (_tooLarge is not null)
                            {
                                break;
                            }
                        }

                        return _tooLarge ?? (object)properties;
                    case IDictionary dictionary:
                        // Keys that are text make a dictionary by name; any other key is kept, so the JSON writer can name it.
                        Dictionary<string, object?> byName = new Dictionary<string, object?>(StringComparer.Ordinal);
                        Dictionary<object, object?> byKey = new Dictionary<object, object?>();
                        foreach (DictionaryEntry entry in dictionary)
                        {
                            object key = Unwrap(entry.Key) ?? string.Empty;
                            object? item = Member(key as string ?? string.Empty, entry.Value, depth);
                            byKey[key] = item;
                            if (key is string name)
                            {
                                byName[name] = item;
                            }

                            if (_tooLarge is not null)
                            {
                                break;
                            }
                        }

                        return _tooLarge ?? (byName.Count == byKey.Count ? byName : (object)byKey);
                    default:
                        List<object?> items = new List<object?>();
                        foreach (object? item in (IEnumerable)value)
                        {
                            items.Add(Plain(item, depth + 1));
                            if (_tooLarge is not null)
                            {
                                break;
                            }
                        }

                        return _tooLarge ?? (object)items.ToArray();
                }
            }
            finally
            {
                _onPath.Remove(value);
            }
        }

        /// <summary>One member of an object: its name counts toward the size too (at least "name": and the value).</summary>
        private object? Member(string name, object? value, int depth)
        {
            _leastChars += name.Length + 3;
            return Plain(value, depth + 1);
        }

        private sealed class ReferenceComparer : IEqualityComparer<object>
        {
            public static readonly ReferenceComparer Instance = new ReferenceComparer();

            public new bool Equals(object? x, object? y) => ReferenceEquals(x, y);

            public int GetHashCode(object obj) => RuntimeHelpers.GetHashCode(obj);
        }
    }
}
