using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace Seedance.Client.Files
{
    /// <summary>
    /// Turns a task id (which comes from the service, so is untrusted) into a file name inside a folder. The id never
    /// decides where the file lands: anything that is not a plain, portable file name is refused, and the full path
    /// must still be inside the folder. Windows rules apply on every platform, because the same folder may be synced
    /// to, or the script run on, Windows.
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

        /// <summary>Why <paramref name="taskId"/> cannot be a file name, or null when it can.</summary>
        public static string? Problem(string? taskId)
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

            foreach (char c in id)
            {
                UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(c);
                if (category == UnicodeCategory.Control)
                {
                    return "it contains a control character";
                }

                if (category == UnicodeCategory.Format)
                {
                    // Invisible marks (right-to-left override, zero-width joiners) make a name look like another.
                    return "it contains an invisible formatting character";
                }
            }

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

        private static string TrimSeparators(string path) => path.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
    }
}
