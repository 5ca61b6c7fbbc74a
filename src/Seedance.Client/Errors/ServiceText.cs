using System;
using System.IO;
using System.Text;
using System.Text.Json;
using Seedance.Client.Json;

namespace Seedance.Client
{
    /// <summary>
    /// Text from the service is untrusted: before it reaches a message, a task object or a log line, terminal control
    /// sequences (ANSI/VT escapes that clear the screen, retitle the window, hide text or forge links), other control
    /// characters and bidirectional overrides are removed. Newlines and tabs stay.
    /// </summary>
    public static class ServiceText
    {
        private const char Escape = '\u001b';

        /// <summary>The one field kept exactly as sent: see <see cref="CleanJson"/>.</summary>
        private const string IdentifierField = "taskId";

        public static string Clean(string? text)
        {
            if (string.IsNullOrEmpty(text) || !NeedsCleaning(text!))
            {
                return text ?? string.Empty;
            }

            StringBuilder clean = new StringBuilder(text!.Length);
            int i = 0;
            while (i < text.Length)
            {
                char c = text[i];
                switch (c)
                {
                    case Escape:
                        i = SkipEscape(text, i + 1);
                        continue;
                    case '\u009b': // CSI
                        i = SkipControlSequence(text, i + 1);
                        continue;
                    case '\u0090': // DCS
                    case '\u0098': // SOS
                    case '\u009d': // OSC
                    case '\u009e': // PM
                    case '\u009f': // APC
                        i = SkipControlString(text, i + 1);
                        continue;
                }

                if (c == '\n' || c == '\t' || !IsUnsafe(c))
                {
                    clean.Append(c);
                }

                i++;
            }

            return clean.ToString();
        }

        /// <summary>
        /// A JSON answer with every string (values and property names) cleaned; numbers, structure and order kept. JSON
        /// writes control characters as \u escapes, so this works on the parsed strings, never on the raw text (where
        /// stripping an escape sequence could eat the quote that ends a string). Text that is not JSON is returned as it is.
        /// "taskId" values are kept exactly: an identifier has to round-trip.
        /// </summary>
        public static string CleanJson(string json)
        {
            if (!MayHideControls(json) && !NeedsCleaning(json))
            {
                return json;
            }

            try
            {
                using JsonDocument document = PlainJson.Parse(json);
                using MemoryStream buffer = new MemoryStream(json.Length);
                using (Utf8JsonWriter writer = new Utf8JsonWriter(buffer))
                {
                    Write(document.RootElement, writer);
                }

                return Encoding.UTF8.GetString(buffer.ToArray());
            }
            catch (JsonException)
            {
                return json;
            }
        }

        private static void Write(JsonElement element, Utf8JsonWriter writer)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    writer.WriteStartObject();
                    foreach (JsonProperty property in element.EnumerateObject())
                    {
                        writer.WritePropertyName(Clean(property.Name));
                        if (property.NameEquals(IdentifierField) && property.Value.ValueKind == JsonValueKind.String)
                        {
                            // An id must round-trip to the service unchanged (a cleaned id names no task); where one is
                            // shown, the message cleans it, and as a file name it is refused (InvalidTaskId).
                            writer.WriteStringValue(property.Value.GetString());
                            continue;
                        }

                        Write(property.Value, writer);
                    }

                    writer.WriteEndObject();
                    break;
                case JsonValueKind.Array:
                    writer.WriteStartArray();
                    foreach (JsonElement item in element.EnumerateArray())
                    {
                        Write(item, writer);
                    }

                    writer.WriteEndArray();
                    break;
                case JsonValueKind.String:
                    writer.WriteStringValue(Clean(element.GetString()));
                    break;
                default:
                    // Numbers keep their exact text (1e300 stays 1e300; the reader decides what it can hold).
                    element.WriteTo(writer);
                    break;
            }
        }

        /// <summary>A JSON escape that can stand for a control character: \u (any), \b, \f, \r.</summary>
        private static bool MayHideControls(string json)
        {
            for (int i = json.IndexOf('\\'); i >= 0 && i + 1 < json.Length; i = json.IndexOf('\\', i + 2))
            {
                char next = json[i + 1];
                if (next == 'u' || next == 'b' || next == 'f' || next == 'r')
                {
                    return true;
                }
            }

            return false;
        }

        private static bool NeedsCleaning(string text)
        {
            foreach (char c in text)
            {
                if (c != '\n' && c != '\t' && IsUnsafe(c))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>C0 and C1 controls, DEL, and the invisible marks that reorder text on screen.</summary>
        private static bool IsUnsafe(char c) =>
            c < ' ' || (c >= '\u007f' && c <= '\u009f') ||
            c == '\u061c' || c == '\u200e' || c == '\u200f' || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069');

        /// <summary>After ESC: CSI (ESC [), the string introducers (ESC ] P X ^ _), nF sequences, or one final character.</summary>
        private static int SkipEscape(string text, int i)
        {
            if (i >= text.Length)
            {
                return i;
            }

            char next = text[i];
            switch (next)
            {
                case '[':
                    return SkipControlSequence(text, i + 1);
                case ']':
                case 'P':
                case 'X':
                case '^':
                case '_':
                    return SkipControlString(text, i + 1);
            }

            while (i < text.Length && text[i] >= ' ' && text[i] <= '/')
            {
                i++; // intermediate bytes
            }

            return i < text.Length && text[i] >= '0' && text[i] <= '~' ? i + 1 : i;
        }

        /// <summary>Parameter bytes, intermediate bytes, one final byte.</summary>
        private static int SkipControlSequence(string text, int i)
        {
            while (i < text.Length && text[i] >= '0' && text[i] <= '?')
            {
                i++;
            }

            while (i < text.Length && text[i] >= ' ' && text[i] <= '/')
            {
                i++;
            }

            return i < text.Length && text[i] >= '@' && text[i] <= '~' ? i + 1 : i;
        }

        /// <summary>Up to and including the terminator: BEL, ST (ESC \) or C1 ST. Unterminated: to the end.</summary>
        private static int SkipControlString(string text, int i)
        {
            while (i < text.Length)
            {
                char c = text[i];
                if (c == '\u0007' || c == '\u009c')
                {
                    return i + 1;
                }

                if (c == Escape && i + 1 < text.Length && text[i + 1] == '\\')
                {
                    return i + 2;
                }

                i++;
            }

            return i;
        }
    }
}
