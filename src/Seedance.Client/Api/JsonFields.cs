using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace Seedance.Client.Json
{
    /// <summary>
    /// The one vocabulary for reading the fields of a JSON object that came from outside: service answers, webhook
    /// bodies, error answers, the price table, the gallery's data file. Each read names the type (and range, and length)
    /// it takes; a field that is missing, of another type, out of range or not a JSON object at all reads as null, never
    /// as an exception, and the caller decides whether that is a problem to report (the price table lists each) or a
    /// field to do without (a service answer, a gallery row). Text comes as sent: the caller's gate cleans it.
    /// </summary>
    internal readonly struct JsonFields
    {
        private readonly JsonElement _object;

        /// <param name="json">The object to read; any other value has no fields.</param>
        public JsonFields(JsonElement json) => _object = json;

        public bool IsObject => _object.ValueKind == JsonValueKind.Object;

        public bool TryGet(string name, out JsonElement value)
        {
            value = default;
            return IsObject && _object.TryGetProperty(name, out value);
        }

        public bool Has(string name) => TryGet(name, out _);

        /// <summary>A string field, cut to <paramref name="maxLength"/> characters.</summary>
        public string? Text(string name, int maxLength = int.MaxValue)
        {
            string? text = TryGet(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
            return text is not null && text.Length > maxLength ? text.Substring(0, maxLength) : text;
        }

        /// <summary>A string field, or a number or boolean as its JSON text (a service sends codes like 2038 both ways).</summary>
        public string? Scalar(string name)
        {
            if (!TryGet(name, out JsonElement value))
            {
                return null;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    return value.GetString();
                case JsonValueKind.Number:
                case JsonValueKind.True:
                case JsonValueKind.False:
                    return value.GetRawText();
                default:
                    return null;
            }
        }

        /// <summary>A number, or a number sent as text ("12.5", as some services send credits); null when it is neither or past decimal's range.</summary>
        public decimal? LooseNumber(string name) =>
            decimal.TryParse(Scalar(name), NumberStyles.Float, CultureInfo.InvariantCulture, out decimal number) ? number : (decimal?)null;

        /// <summary>A JSON number from <paramref name="min"/> to <paramref name="max"/>.</summary>
        public decimal? Number(string name, decimal min, decimal max) => TryGet(name, out JsonElement value) ? NumberOf(value, min, max) : null;

        /// <summary>A whole JSON number from <paramref name="min"/> to <paramref name="max"/>.</summary>
        public long? Whole(string name, long min, long max) =>
            TryGet(name, out JsonElement value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long number) && number >= min && number <= max
                ? number
                : (long?)null;

        /// <summary>An ISO 8601 time written as text ("2026-12-07T10:20:56.0000000+00:00").</summary>
        public DateTimeOffset? Time(string name) =>
            DateTimeOffset.TryParse(Text(name, 64), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out DateTimeOffset time) ? time : (DateTimeOffset?)null;

        /// <summary>A value that is an array of non-blank strings; null when it is anything else or holds anything else.</summary>
        public static IReadOnlyList<string>? TextsOf(JsonElement value) =>
            value.ValueKind == JsonValueKind.Array &&
            value.EnumerateArray().All(item => item.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(item.GetString()))
                ? value.EnumerateArray().Select(item => item.GetString()!).ToList()
                : null;

        /// <summary>A value that is a JSON number from <paramref name="min"/> to <paramref name="max"/>.</summary>
        public static decimal? NumberOf(JsonElement value, decimal min, decimal max) =>
            value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out decimal number) && number >= min && number <= max ? number : (decimal?)null;
    }
}
