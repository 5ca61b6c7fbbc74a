using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Seedance.Client.Files
{
    /// <summary>
    /// Turns a row's Name (New-SeedanceTask -Name, a CSV Name column) into a file name stem for Save-SeedanceVideo.
    /// Unlike a task id, a Name is the user's own text, so it is made safe rather than refused: every character a file
    /// name cannot hold becomes '_', and the result must then pass the same rules as a task id
    /// (<see cref="TaskFileName.Problem"/>), so it can never name a place outside the folder. A Name too long for a file
    /// name is cut and ends in a hash of the whole Name, so two long Names that share a prefix never meet in one file.
    /// Two Names that clean to the same stem ("promo/a", "promo:a") do meet: <see cref="ForAnotherTask"/> gives the second
    /// task a name of its own, and Save-SeedanceVideo asks the task journal which task owns a file before writing it.
    /// </summary>
    public static class RowFileName
    {
        private const string Forbidden = "/\\:*?\"<>|";

        /// <summary>Hex digits of the hash that ends a shortened name (32 bits: a collision needs ~65,000 long Names of one prefix).</summary>
        private const int HashDigits = 8;

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

            if (Encoding.UTF8.GetByteCount(stem) > TaskFileName.MaxIdBytes)
            {
                // Cut, then the hash of the whole Name: the cut alone would give every Name of one long prefix one file.
                string tail = "~" + ShortHash(name.Trim());
                stem = CutToBytes(stem, TaskFileName.MaxIdBytes - tail.Length).TrimEnd('.', ' ') + tail;
            }

            return stem.Trim('_').Length == 0 || TaskFileName.Problem(stem) is not null ? null : stem;
        }

        /// <summary>
        /// The stem for task <paramref name="taskId"/> when <paramref name="stem"/> belongs to another task (another Name
        /// that cleans the same way, or the same Name in another case): "&lt;stem&gt;_&lt;taskId&gt;", cut so that it
        /// still fits a file name. Stable: the same task always gets the same name, so a re-run finds its file.
        /// </summary>
        public static string ForAnotherTask(string stem, string taskId)
        {
            // A task id that could not name a file by itself (the service's text) is represented by its hash.
            string tail = "_" + (TaskFileName.Problem(taskId) is null && Encoding.UTF8.GetByteCount(taskId) <= TaskFileName.MaxIdBytes / 2 ? taskId : ShortHash(taskId));
            return CutToBytes(stem, TaskFileName.MaxIdBytes - Encoding.UTF8.GetByteCount(tail)).TrimEnd('.', ' ') + tail;
        }

        private static string ShortHash(string text)
        {
            using SHA256 sha = SHA256.Create();
            byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            StringBuilder hex = new StringBuilder(HashDigits);
            for (int i = 0; i < HashDigits / 2; i++)
            {
                hex.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
            }

            return hex.ToString();
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
