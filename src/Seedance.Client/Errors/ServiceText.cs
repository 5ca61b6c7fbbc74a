using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
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
        /// <summary>The one field kept exactly as sent: see <see cref="CleanJson"/>.</summary>
        private const string IdentifierField = "taskId";

        /// <summary>
        /// The one test for a character that is no text: a control character (C0, C1, DEL) or an invisible formatting
        /// one (bidirectional marks, zero-width spaces and joiners, the soft hyphen). Refused in a URL and in a task id,
        /// replaced in a file name, not counted as visible in a prompt.
        /// </summary>
        public static bool IsControlOrInvisible(char c) =>
            CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format;

        public static string Clean(string? text) => string.IsNullOrEmpty(text) ? text ?? string.Empty : Controls.Replace(text, string.Empty);

        /// <summary>
        /// What <see cref="Clean"/> removes: whole control sequences (so no parameter bytes are left behind as text) and
        /// the single characters that are unsafe on their own. Newline and tab stay.
        /// </summary>
        private static readonly Regex Controls = new Regex(
            @"\u001b\[[0-?]*[ -/]*[@-~]?|\u009b[0-?]*[ -/]*[@-~]?" + // CSI (ESC [ or C1): parameter bytes, intermediate bytes, one final byte
            @"|(?:\u001b[\]PX^_]|[\u0090\u0098\u009d-\u009f])[\s\S]*?(?:\u0007|\u009c|\u001b\\|\z)" + // OSC, DCS, SOS, PM, APC: to BEL or ST, or the end
            @"|\u001b[ -/]*[0-~]?" + // any other escape: intermediate bytes, one final byte
            @"|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]", // C0 and C1 controls, DEL, marks that reorder text
            RegexOptions.CultureInvariant);

        /// <summary>
        /// A JSON answer with every string (values and property names) cleaned; numbers, structure and order kept. JSON
        /// writes control characters as \u escapes, so this works on the parsed strings, never on the raw text (where
        /// stripping an escape sequence could eat the quote that ends a string). Text that is not JSON is returned as it is.
        /// "taskId" values are kept exactly: an identifier has to round-trip.
        /// </summary>
        public static string CleanJson(string json)
        {
            if (!MayHideControls(json) && !Controls.IsMatch(json))
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
    }
}
