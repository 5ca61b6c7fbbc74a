using System;
using System.IO;
using System.Linq;
using Seedance.Client.Http;

namespace Seedance.Client.Workflows
{
    /// <summary>What a file found at a video's final name is, measured against what the service serves.</summary>
    public enum ExistingFileVerdict
    {
        /// <summary>The whole video: the service's length, its first bytes, its Last-Modified (when the service gives one).</summary>
        WholeVideo,

        /// <summary>The start of the video, cut short: a copy that did not finish.</summary>
        Incomplete,

        /// <summary>Not (provably) this video: kept, as any file in the way is.</summary>
        AnotherFile,
    }

    /// <summary>
    /// Rule: a file at a video's final name that the journal does not record as saved (a kill between the rename into
    /// place and the journal's record, a journal that was off or lost) is this task's whole video when its length is
    /// the one the service declares, its first bytes are the video's, and, when the service gives a Last-Modified,
    /// its time is that one (a save sets the file's time to it, as wget does). A shorter file with the video's first
    /// bytes is incomplete. Anything else is another file. The service's answer has passed the downloader's checks.
    /// </summary>
    public static class ExistingVideoFile
    {
        /// <summary>How many first bytes are compared (and asked of the service).</summary>
        public const int StartLength = 64 * 1024;

        /// <summary>HTTP dates have whole seconds, and some file systems keep times in 2 s steps (FAT).</summary>
        public static readonly TimeSpan TimeTolerance = TimeSpan.FromSeconds(2);

        /// <param name="why">For <see cref="ExistingFileVerdict.AnotherFile"/>: why it is not taken for the video.</param>
        public static ExistingFileVerdict Judge(long fileLength, DateTime fileWrittenUtc, byte[] fileStart, ServedObject served, out string? why)
        {
            why = null;
            if (served.Length is not long expected)
            {
                why = "the service does not say how long the video is";
                return ExistingFileVerdict.AnotherFile;
            }

            int compared = (int)Math.Min(Math.Min(fileLength, expected), StartLength);
            if (fileStart.Length < compared || served.Start.Length < compared || !SameBytes(fileStart, served.Start, compared))
            {
                why = "its first bytes are not the video's";
                return ExistingFileVerdict.AnotherFile;
            }

            if (fileLength < expected)
            {
                return ExistingFileVerdict.Incomplete;
            }

            if (fileLength > expected)
            {
                why = $"it has {fileLength:N0} bytes, the video {expected:N0}";
                return ExistingFileVerdict.AnotherFile;
            }

            if (served.LastModified is DateTimeOffset modified && (fileWrittenUtc - modified.UtcDateTime).Duration() > TimeTolerance)
            {
                why = $"its time ({fileWrittenUtc:u}) is not the video's Last-Modified ({modified.UtcDateTime:u}), which a save gives the file";
                return ExistingFileVerdict.AnotherFile;
            }

            return ExistingFileVerdict.WholeVideo;
        }

        /// <summary>The first <see cref="StartLength"/> bytes of the file (fewer when it is shorter).</summary>
        public static byte[] ReadStart(string path)
        {
            using FileStream file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            byte[] start = new byte[(int)Math.Min(StartLength, file.Length)];
            Array.Resize(ref start, Uploads.MediaSignature.ReadHeader(file, start));
            return start;
        }

        private static bool SameBytes(byte[] a, byte[] b, int count) => a.Take(count).SequenceEqual(b.Take(count));
    }
}
