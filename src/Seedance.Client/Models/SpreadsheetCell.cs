namespace Seedance.Client.Models
{
    /// <summary>
    /// Text a spreadsheet would run as a formula made inert, as spreadsheet-safe exporters do (OWASP "CSV injection"):
    /// a value beginning with =, +, -, @, a tab or a carriage return gets a leading apostrophe, so Excel, LibreOffice and
    /// Google Sheets show it as text. A server could otherwise put =HYPERLINK(...) or a DDE payload in an error message
    /// that a user's Export-Csv hands to a spreadsheet. Used by the export view of a task: its flat text properties of
    /// the service's words (ErrorCode, ErrorMessage, StatusText, Model) and the cells of Error, Videos and
    /// AdditionalFields. The values a user wrote and sends back (Prompt, Name) and the TaskId, which must round-trip,
    /// stay exact.
    /// </summary>
    public static class SpreadsheetCell
    {
        /// <summary><paramref name="text"/>, with a leading apostrophe when a spreadsheet would read it as a formula.</summary>
        public static string? Inert(string? text) =>
            string.IsNullOrEmpty(text) || !StartsLikeAFormula(text!) ? text : "'" + text;

        public static bool StartsLikeAFormula(string text)
        {
            char first = text[0];
            return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
        }
    }
}
