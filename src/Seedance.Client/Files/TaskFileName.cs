using System;
using System.Globalization;
using System.Security.Cryptography;
using System.IO;
using System.Linq;
using System.Text;

namespace Seedance.Client.Files
{
    /// <summary>
    /// The one owner of a task's file names. A task id (which comes from the service, so is untrusted) becomes a file
    /// name inside a folder, and never decides where the file lands: anything that is not a plain, portable file name
    /// is refused, and the full path must still be inside the folder. Windows rules apply on every platform, because
    /// the same folder may be synced to, or the script run on, Windows.
    /// A row's Name (New-SeedanceTask -Name, a CSV Name column) names its task's files instead when it has one. Unlike
    /// a task id, a Name is the user's own text, so it is made safe rather than refused (<see cref="Stem"/>): every
    /// character a file name cannot hold becomes '_', and the result must then pass the same rules as a task id, so it
    /// can never name a place outside the folder. A Name too long for a file name is cut and ends in a hash of the
    /// whole Name, so two long Names that share a prefix never meet in one file. Two Names that clean to the same stem
    /// ("promo/a", "promo:a") do meet: <see cref="ForAnotherTask"/> gives the second task a name of its own, and
    /// Save-SeedanceVideo asks the task journal which task owns a file before writing it.
    /// </summary>
    public static class TaskFileName
    {
        /// <summary>
        /// File systems allow 255 bytes per name; the temporary name adds ".", ".&lt;8 hex&gt;.partial" and the video's
        /// "_N.mp4" suffix, so the id itself keeps well under that.
        /// </summary>
        public const int MaxIdBytes = 200;

        private static readonly char[] Forbidden = { '/', '\\', ':', '*', '?', '"', '<', '>', '|' };

        private static readonly string[] ReservedNames =
        {
            "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
            "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM\u00b9", "COM\u00b2", "COM\u00b3",
            "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT\u00b9", "LPT\u00b2", "LPT\u00b3",
        };

        /// <summary>
        /// The path of the video file for <paramref name="taskId"/> in <paramref name="folder"/>, e.g. folder/task_1_2.mp4
        /// for suffix "_2.mp4".
        /// </summary>
        /// <exception cref="SeedanceException">InvalidTaskId: The id cannot be a file name there.</exception>
        public static string PathInFolder(string folder, string taskId, string suffix)
        {
            string? problem = Problem(taskId);
            if (problem is not null)
            {
                throw Problems.InvalidTaskId(taskId, problem);
            }

            string root = Path.GetFullPath(folder);
            string path = Path.GetFullPath(Path.Combine(root, taskId + suffix));
            string? parent = Path.GetDirectoryName(path);
            if (parent is null || !string.Equals(TrimSeparators(parent), TrimSeparators(root), StringComparison.Ordinal))
            {
                throw Problems.InvalidTaskId(taskId, "the file would land outside the destination folder");
            }

            return path;
        }

        /// <summary>
        /// Why <paramref name="taskId"/> is no id at all (blank, too long for a file name, control or invisible
        /// characters), or null: what the service's answers must pass before an id is journaled or shown.
        /// </summary>
        public static string? IdProblem(string? taskId)
        {
            if (string.IsNullOrWhiteSpace(taskId))
            {
                return "it is empty";
            }

            string id = taskId!;
            if (Encoding.UTF8.GetByteCount(id) > MaxIdBytes)
            {
                return $"it is {Encoding.UTF8.GetByteCount(id)} bytes long, more than the {MaxIdBytes} a file name can hold";
            }

            // Invisible marks (right-to-left override, zero-width joiners) make a name look like another.
            return !id.Any(ServiceText.IsControlOrInvisible) ? null
                : id.Any(char.IsControl) ? "it contains a control character" : "it contains an invisible formatting character";
        }

        /// <summary>Why <paramref name="taskId"/> cannot be a file name, or null when it can.</summary>
        public static string? Problem(string? taskId)
        {
            string? noId = IdProblem(taskId);
            if (noId is not null)
            {
                return noId;
            }

            string id = taskId!;
            if (id.IndexOfAny(Forbidden) >= 0)
            {
                return "it contains a path separator or a character file names cannot hold (/ \\ : * ? \" < > |)";
            }

            if (id.Trim('.').Length == 0)
            {
                return "it is only dots";
            }

            if (id.StartsWith(".", StringComparison.Ordinal))
            {
                return "it starts with a dot (a hidden file, and the shape of this module's temporary files)";
            }

            if (id.EndsWith(".", StringComparison.Ordinal) || id.EndsWith(" ", StringComparison.Ordinal) || id.StartsWith(" ", StringComparison.Ordinal))
            {
                return "it starts or ends with a space or ends with a dot (Windows drops those, so two ids could name one file)";
            }

            string? device = DeviceNameOf(id);
            if (device is not null)
            {
                return $"'{device}' is a device name on Windows";
            }

            return null;
        }

        /// <summary>The Windows device name a file name would open (CON, COM1, nul.txt...), or null.</summary>
        internal static string? DeviceNameOf(string name)
        {
            string stem = name.Split('.')[0].TrimEnd(' ');
            foreach (string reserved in ReservedNames)
            {
                if (string.Equals(stem, reserved, StringComparison.OrdinalIgnoreCase))
                {
                    return reserved;
                }
            }

            return null;
        }

        /// <summary>The file name stem of a task's files: its Name made safe (<see cref="Stem"/>), or its id.</summary>
        public static string StemOf(string? name, string taskId) => Stem(name) ?? taskId;

        /// <summary>"x.mp4" taken by another task: "x_&lt;taskId&gt;.mp4" beside it, the same name on every re-run.</summary>
        public static string NameForAnotherTask(string path, string taskId)
        {
            string folder = Path.GetDirectoryName(path) ?? ".";
            // The stem is a file name already (the user's, or one made safe here); the task id part is made safe by ForAnotherTask.
            return Path.Combine(folder, ForAnotherTask(Path.GetFileNameWithoutExtension(path), taskId) + Path.GetExtension(path));
        }

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
                bool unusable = ServiceText.IsControlOrInvisible(c) || Array.IndexOf(Forbidden, c) >= 0;
                safe.Append(unusable ? '_' : c);
            }

            // Windows drops trailing dots and spaces (two names would meet in one file); a leading dot hides the file
            // and is the shape of this module's temporary files.
            string stem = safe.ToString().TrimEnd('.', ' ');
            if (stem.StartsWith(".", StringComparison.Ordinal))
            {
                stem = "_" + stem.Substring(1);
            }

            if (DeviceNameOf(stem) is not null)
            {
                stem = "_" + stem;
            }

            if (Encoding.UTF8.GetByteCount(stem) > MaxIdBytes)
            {
                // Cut, then the hash of the whole Name: the cut alone would give every Name of one long prefix one file.
                string tail = "~" + ShortHash(name.Trim());
                stem = CutToBytes(stem, MaxIdBytes - tail.Length).TrimEnd('.', ' ') + tail;
            }

            return stem.Trim('_').Length == 0 || Problem(stem) is not null ? null : stem;
        }

        /// <summary>
        /// The stem for task <paramref name="taskId"/> when <paramref name="stem"/> belongs to another task (another Name
        /// that cleans the same way, or the same Name in another case): "&lt;stem&gt;_&lt;taskId&gt;", cut so that it
        /// still fits a file name. Stable: the same task always gets the same name, so a re-run finds its file.
        /// </summary>
        public static string ForAnotherTask(string stem, string taskId)
        {
            // A task id that could not name a file by itself (the service's text) is represented by its hash.
            string tail = "_" + (Problem(taskId) is null && Encoding.UTF8.GetByteCount(taskId) <= MaxIdBytes / 2 ? taskId : ShortHash(taskId));
            return CutToBytes(stem, MaxIdBytes - Encoding.UTF8.GetByteCount(tail)).TrimEnd('.', ' ') + tail;
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

        private static string TrimSeparators(string path) => path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
    }
}
