using System;
using System.Globalization;

namespace Seedance.Client.Gallery
{
    /// <summary>
    /// The escaping every value on the page goes through: prompts, names, the service's words and file names are
    /// untrusted, so text is always escaped (also quotes, so the same call serves attributes) and a file name becomes
    /// a relative URL whose every segment is percent-encoded (no scheme, query or fragment can be smuggled in).
    /// </summary>
    public static class GalleryHtml
    {
        /// <summary>
        /// Text for an element or a quoted attribute: cleaned as all text from outside is (<see cref="ServiceText.Clean"/>:
        /// terminal sequences, control characters other than newline and tab, and bidirectional overrides dropped), then
        /// &amp; &lt; &gt; " ' escaped.
        /// </summary>
        public static string Escape(string? text) =>
            ServiceText.Clean(text).Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");

        /// <summary>
        /// A relative path ('/' between folders, as the data file keeps it) as an escaped URL for src or poster: each
        /// segment percent-encoded, so "a b#1.mp4" is "a%20b%231.mp4" and a ':' can never start a scheme.
        /// </summary>
        public static string RelativeUrl(string relativePath)
        {
            string[] segments = relativePath.Split('/');
            for (int i = 0; i < segments.Length; i++)
            {
                segments[i] = Uri.EscapeDataString(segments[i]);
            }

            return Escape(string.Join("/", segments));
        }

        public static string Number(decimal value) => value.ToString(value == decimal.Truncate(value) ? "N0" : "N1", CultureInfo.InvariantCulture);

        public static string Dollars(decimal value) => "$" + value.ToString("N2", CultureInfo.InvariantCulture);

        /// <summary>"45 s", "2 min 05 s", "1 h 02 min".</summary>
        public static string Duration(TimeSpan time)
        {
            if (time.TotalHours >= 1)
            {
                return string.Format(CultureInfo.InvariantCulture, "{0} h {1:00} min", (int)time.TotalHours, time.Minutes);
            }

            return time.TotalMinutes >= 1
                ? string.Format(CultureInfo.InvariantCulture, "{0} min {1:00} s", (int)time.TotalMinutes, time.Seconds)
                : string.Format(CultureInfo.InvariantCulture, "{0} s", Math.Max(0, (int)Math.Round(time.TotalSeconds)));
        }
    }
}
