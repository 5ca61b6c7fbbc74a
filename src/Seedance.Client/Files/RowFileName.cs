using System;
using System.Globalization;
using System.Text;

namespace Seedance.Client.Files
{
    /// <summary>
    /// Turns a row's Name (New-SeedanceTask -Name, a CSV Name column) into a file name stem for Save-SeedanceVideo.
    /// Unlike a task id, a Name is the user's own text, so it is made safe rather than refused: every character a file
    /// name cannot hold becomes '_', and the result must then pass the same rules as a task id
    /// (<see cref="TaskFileName.Problem"/>), so it can never name a place outside the folder.
    /// </summary>
    public static class RowFileName
    {
        private const string Forbidden = "/\\:*?\"<>|";

        /// <summary>The stem for <paramref name="name"/> ("row 7" stays "row 7", "a/b: c" becomes "a_b_ c"), or null when nothing usable is left.</summary>
        public static string? Stem(string? name)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                return null;
            }

            StringBuilder safe = new StringBuilder(name!.Length);
            foreach (char c in name.Trim())
            {
                UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
                bool unusable = category == UnicodeCategory.Control || category == UnicodeCategory.Format || Forbidden.IndexOf(c) >= 0;
                safe.Append(unusable ? '_' : c);
            }

            // Windows drops trailing dots and spaces (two names would meet in one file); a leading dot hides the file
            // and is the shape of this module's temporary files.
            string stem = safe.ToString().TrimEnd('.', ' ');
            if (stem.StartsWith(".", StringComparison.Ordinal))
            {
                stem = "_" + stem.Substring(1);
            }

            if (TaskFileName.DeviceNameOf(stem) is not null)
            {
                stem = "_" + stem;
            }

            stem = CutToBytes(stem, TaskFileName.MaxIdBytes).TrimEnd('.', ' ');
            return stem.Trim('_').Length == 0 || TaskFileName.Problem(stem) is not null ? null : stem;
        }

        /// <summary>At most <paramref name="maxBytes"/> UTF-8 bytes, never splitting a surrogate pair.</summary>
        private static string CutToBytes(string text, int maxBytes)
        {
            if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
            {
                return text;
            }

            int length = text.Length;
            while (length > 0 && Encoding.UTF8.GetByteCount(text.Substring(0, length)) > maxBytes)
            {
                length--;
                if (length > 0 && char.IsLowSurrogate(text[length]) && char.IsHighSurrogate(text[length - 1]))
                {
                    length--;
                }
            }

            return text.Substring(0, length);
        }
    }
}
