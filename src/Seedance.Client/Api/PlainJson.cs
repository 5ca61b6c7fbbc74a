using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace Seedance.Client.Json
{
    /// <summary>
    /// JSON values as plain .NET values and back: string, long / decimal / double, bool, null, object[] (arrays) and
    /// dictionaries by name (objects). What the service sends beyond the known fields becomes these, so scripts and
    /// ConvertTo-Json see values, not JSON text; what a user passes (-AdditionalInput, a webhook body PowerShell
    /// has already parsed) is written back from them.
    /// </summary>
    public static class PlainJson
    {
        /// <summary>
        /// Parses JSON that came from outside (a service answer, a webhook body, a journal line, a file found on disk, a
        /// user's text): as <see cref="JsonDocument.Parse(string, JsonDocumentOptions)"/>, and a string or property name
        /// whose escapes leave half a surrogate pair ("\ud83d" alone) is a <see cref="JsonException"/> like any other
        /// malformed JSON. The parser accepts such text and only the later read of the string throws (an
        /// InvalidOperationException no reader catches), so this is the one gate that turns it into the reader's own
        /// "not valid JSON" path. Internal: no public member of the client may need deps/ (System.Text.Json) to load.
        /// </summary>
        internal static JsonDocument Parse(string json, JsonDocumentOptions options = default) =>
            Checked(JsonDocument.Parse(json, options), json.IndexOf(@"\u", StringComparison.Ordinal) >= 0);

        /// <inheritdoc cref="Parse(string, JsonDocumentOptions)"/>
        internal static JsonDocument Parse(ReadOnlyMemory<byte> utf8Json, JsonDocumentOptions options = default) =>
            Checked(JsonDocument.Parse(utf8Json, options), utf8Json.Span.IndexOf(UnicodeEscape) >= 0);

        // Only a \u escape can make half a surrogate pair (UTF-8 cannot encode one, and the parser refuses bytes that are
        // not UTF-8), so text without one skips the walk: every create reads the journal's lines.
        private static readonly byte[] UnicodeEscape = { (byte)'\\', (byte)'u' };

        private static JsonDocument Checked(JsonDocument document, bool mayHoldHalfAPair)
        {
            try
            {
                if (mayHoldHalfAPair)
                {
                    CheckStrings(document.RootElement);
                }

                return document;
            }
            catch (InvalidOperationException)
            {
                document.Dispose();
                throw new JsonException("a string holds half a surrogate pair (an escape such as \\ud83d alone), which is no text");
            }
        }

        // Depth is bounded by the parser's MaxDepth (64 unless a reader asks for less).
        private static void CheckStrings(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    break;
                case JsonValueKind.Array:
                    foreach (JsonElement item in element.EnumerateArray())
                    {
                        CheckStrings(item);
                    }

                    break;
                case JsonValueKind.Object:
                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        _ = property.Name;
                        CheckStrings(property.Value);
                    }

                    break;
            }
        }

        /// <summary>The plain value of a JSON element.</summary>
        public static object? ToPlain(JsonElement element)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    return element.GetString();
                case JsonValueKind.Number:
                    return NumberOf(element);
                case JsonValueKind.True:
                    return true;
                case JsonValueKind.False:
                    return false;
                case JsonValueKind.Array:
                    List<object?> items = new List<object?>();
                    foreach (JsonElement item in element.EnumerateArray())
                    {
                        items.Add(ToPlain(item));
                    }

                    return items.ToArray();
                case JsonValueKind.Object:
                    Dictionary<string, object?> fields = new Dictionary<string, object?>(StringComparer.Ordinal);
                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        fields[property.Name] = ToPlain(property.Value);
                    }

                    return fields;
                default:
                    return null;
            }
        }

        /// <summary>Null when <paramref name="value"/> can be written as JSON; otherwise why not (names the offending part).</summary>
        public static string? Unwritable(object? value, string path)
        {
            try
            {
                using Utf8JsonWriter writer = new Utf8JsonWriter(Stream.Null);
                Write(writer, value, path);
                return null;
            }
            catch (ArgumentException e)
            {
                return e.Message;
            }
        }

        /// <summary>Writes a plain value: text, numbers, booleans, null, lists and hashtables with text keys.</summary>
        public static void Write(Utf8JsonWriter writer, object? value) => Write(writer, value, "value");

        /// <summary>The one walk of a plain value; what has no JSON form is an ArgumentException naming its <paramref name="path"/>.</summary>
        private static void Write(Utf8JsonWriter writer, object? value, string path)
        {
            switch (value)
            {
                case null:
                    writer.WriteNullValue();
                    return;
                case string text:
                    writer.WriteStringValue(text);
                    return;
                case char character:
                    writer.WriteStringValue(character.ToString());
                    return;
                case bool flag:
                    writer.WriteBooleanValue(flag);
                    return;
                case RefusedValue refused:
                    throw new ArgumentException($"{path} {refused.Reason}");
                case IDictionary dictionary:
                    writer.WriteStartObject();
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        if (!(entry.Key is string key))
                        {
                            throw new ArgumentException($"{path} has a key that is not text ({entry.Key?.GetType().Name}).");
                        }

                        writer.WritePropertyName(key);
                        Write(writer, entry.Value, path + "." + key);
                    }

                    writer.WriteEndObject();
                    return;
                case IEnumerable list:
                    writer.WriteStartArray();
                    int index = 0;
                    foreach (object? item in list)
                    {
                        Write(writer, item, $"{path}[{index++}]");
                    }

                    writer.WriteEndArray();
                    return;
                case double real when double.IsNaN(real) || double.IsInfinity(real):
                    throw new ArgumentException($"{path} is {real}, which JSON cannot hold: give a finite number.");
                case float real when float.IsNaN(real) || float.IsInfinity(real):
                    throw new ArgumentException($"{path} is {real}, which JSON cannot hold: give a finite number.");
                case object number when IsNumber(number):
                    // Raw invariant text keeps every digit of a long or decimal (no round trip through double).
                    writer.WriteRawValue(Convert.ToString(number, CultureInfo.InvariantCulture)!, skipInputValidation: false);
                    return;
                default:
                    throw new ArgumentException($"{path} is a {value.GetType().FullName}, which has no JSON form: give text, a number, $true/$false, a list or a hashtable.");
            }
        }

        /// <summary>Compact JSON text of a plain value; what has no JSON form is an ArgumentException naming where, from <paramref name="path"/>.</summary>
        public static string ToJson(object? value, string path = "value")
        {
            using MemoryStream stream = new MemoryStream();
            using (Utf8JsonWriter writer = new Utf8JsonWriter(stream))
            {
                Write(writer, value, path);
            }

            return Encoding.UTF8.GetString(stream.ToArray());
        }

        /// <summary>A value as one line of text: text as is, numbers invariant, lists and objects as compact JSON.</summary>
        public static string ToText(object? value)
        {
            switch (value)
            {
                case null:
                    return string.Empty;
                case string text:
                    return text;
                case bool flag:
                    return flag ? "true" : "false";
                default:
                    return IsNumber(value) ? Convert.ToString(value, CultureInfo.InvariantCulture)! : ToJson(value);
            }
        }

        public static bool IsNumber(object value) =>
            value is int || value is long || value is short || value is byte || value is sbyte || value is ushort ||
            value is uint || value is ulong || value is decimal || value is double || value is float;

        private static object NumberOf(JsonElement element)
        {
            if (element.TryGetInt64(out long whole))
            {
                return whole;
            }

            if (element.TryGetDecimal(out decimal exact))
            {
                return exact;
            }

            // Beyond decimal's range: a double is the nearest plain value (the text is out of any sane range anyway).
            return double.TryParse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out double near) ? near : (object)element.GetRawText();
        }
    }

    /// <summary>
    /// A part of a script's value the walk into plain values did not copy (a cycle, a nest too deep, past the size cap),
    /// with why: the JSON writer refuses it, naming where it is.
    /// </summary>
    internal sealed class RefusedValue
    {
        public RefusedValue(string reason) => Reason = reason;

        /// <summary>Why, after the path: "contains itself (a cycle), which JSON cannot hold."</summary>
        public string Reason { get; }
    }
}
