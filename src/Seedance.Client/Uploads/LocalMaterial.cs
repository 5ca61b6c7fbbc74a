using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;

namespace Seedance.Client.Uploads
{
    /// <summary>A local file that passed every check and may be uploaded: where it is, how big, and what it holds.</summary>
    public sealed class LocalMaterial
    {
        public LocalMaterial(string fullPath, MaterialKind kind, long length, MediaFormat format, string sha256)
        {
            FullPath = fullPath;
            Kind = kind;
            Length = length;
            Format = format;
            Sha256 = sha256;
        }

        public string FullPath { get; }
        public string FileName => Path.GetFileName(FullPath);
        public MaterialKind Kind { get; }
        public long Length { get; }
        public MediaFormat Format { get; }

        /// <summary>
        /// The SHA-256 of the content when it was checked (lowercase hex): with the path, what the journal compares on a
        /// re-run, since the URL the file is uploaded to is new on every run (issue 16).
        /// </summary>
        public string Sha256 { get; }

        /// <summary>By extension, as the service derives it from the file name it is told ("image/png").</summary>
        public string ContentType => MediaFormat.ContentTypeOfExtension(Path.GetExtension(FullPath));

        public override string ToString() => $"{FullPath} ({FormatSize(Length)})";

        /// <summary>"812 bytes", "12.3 KB", "48.0 MB": decimal units, like the service's 50 MB limit.</summary>
        public static string FormatSize(long bytes)
        {
            if (bytes < 10_000)
            {
                return bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes";
            }

            string[] units = { "KB", "MB", "GB", "TB" };
            double value = bytes;
            int unit = -1;
            while (value >= 1000 && unit < units.Length - 1)
            {
                value /= 1000;
                unit++;
            }

            return value.ToString("0.0", CultureInfo.InvariantCulture) + " " + units[unit];
        }
    }

    /// <summary>
    /// Checks a local file before anything is sent: it exists and is a file, its extension is one the service takes
    /// for its parameter, it can be read, its content (by signature) is what the extension says, and a video is at
    /// most 50 MB. The first problem found is thrown, named by its <see cref="SeedanceProblem"/>.
    /// </summary>
    public static class LocalMaterialInspector
    {
        /// <summary>
        /// The service's video limit. "50 MB" is read as 50,000,000 bytes, the stricter of the two readings: a video
        /// between 50,000,000 and 52,428,800 bytes refused here costs a re-encode; one the service refuses after the
        /// task was created may cost the task.
        /// </summary>
        public const long MaxVideoBytes = 50_000_000;

        public static LocalMaterial Inspect(string fullPath, MaterialKind kind)
        {
            if (Directory.Exists(fullPath))
            {
                throw new LocalMaterialException(SeedanceProblem.MaterialNotAFile, fullPath, kind, $"'{fullPath}' is a folder, not a file. Give the path of {Article(kind)} {Noun(kind)} file.");
            }

            if (!File.Exists(fullPath))
            {
                throw new LocalMaterialException(SeedanceProblem.MaterialFileNotFound, fullPath, kind,
                    $"Cannot find the {Noun(kind)} file '{fullPath}'. Check the path (relative paths are resolved against the current location), " +
                    "or, if you meant a web address, write it in full (https://...).");
            }

            string extension = Path.GetExtension(fullPath);
            MaterialKind? extensionKind = MediaFormat.KindOfExtension(extension);
            if (extensionKind != kind)
            {
                throw new LocalMaterialException(SeedanceProblem.UnsupportedMaterialType, fullPath, kind, UnsupportedTypeMessage(fullPath, kind, extension, extensionKind));
            }

            // Read once the file passed the name's checks: its first bytes (what it holds), then the whole of it (its hash).
            try
            {
                using FileStream file = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.SequentialScan);
                long length = file.Length;
                byte[] header = new byte[MediaSignature.HeaderLength];
                int count = MediaSignature.ReadHeader(file, header);
                MediaFormat detected = Check(fullPath, kind, extension, length, header, count);
                file.Position = 0;
                using SHA256 sha = SHA256.Create();
                string sha256 = string.Concat(sha.ComputeHash(file).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
                return new LocalMaterial(fullPath, kind, length, detected, sha256);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new LocalMaterialException(SeedanceProblem.MaterialFileUnreadable, fullPath, kind, $"Cannot read '{fullPath}': {e.Message}", e);
            }
        }

        private static MediaFormat Check(string fullPath, MaterialKind kind, string extension, long length, byte[] header, int count)
        {
            MediaFormat? detected = MediaSignature.Detect(header, count);
            if (detected is null || !detected.IsAccepted || !detected.Matches(extension))
            {
                throw new LocalMaterialException(SeedanceProblem.MaterialContentMismatch, fullPath, kind, MismatchMessage(fullPath, extension, length, detected));
            }

            if (kind == MaterialKind.Video && length > MaxVideoBytes)
            {
                throw new LocalMaterialException(SeedanceProblem.VideoFileTooLarge, fullPath, kind,
                    $"'{fullPath}' is {LocalMaterial.FormatSize(length)} ({length.ToString("N0", CultureInfo.InvariantCulture)} bytes); " +
                    $"the service takes videos of at most 50 MB ({MaxVideoBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes). Shorten or re-encode it.");
            }

            return detected;
        }

        private static string UnsupportedTypeMessage(string path, MaterialKind kind, string extension, MaterialKind? extensionKind)
        {
            string accepted = string.Join(", ", MediaFormat.ExtensionsOf(kind));
            if (extensionKind is not null)
            {
                // The right type for the other parameter: say which one.
                return $"'{path}' is {Article(extensionKind.Value)} {Noun(extensionKind.Value)}, but was given as {Article(kind)} {Noun(kind)}; " +
                    $"{Parameter(kind)} takes {accepted}. Pass it with {Parameter(extensionKind.Value)}.";
            }

            string what = extension.Length == 0 ? "has no extension" : $"is a {extension} file";
            return $"'{path}' {what}; the service takes {Noun(kind)}s as {accepted}. Convert it to one of those types.";
        }

        private static string MismatchMessage(string path, string extension, long length, MediaFormat? detected)
        {
            string expected = extension.TrimStart('.').ToUpperInvariant();
            if (length == 0)
            {
                return $"'{path}' is empty (0 bytes), so it is not a {expected} file.";
            }

            if (detected is null)
            {
                return $"'{path}' is named {extension} but its content is not {expected} data (its first bytes match no image, video or audio format). " +
                    "It may be damaged, or another kind of file renamed.";
            }

            string advice = detected.IsAccepted && detected.PreferredExtension is not null
                ? $"Rename it to {Path.GetFileNameWithoutExtension(path)}{detected.PreferredExtension}" +
                    (MediaFormat.KindOfExtension(extension) is MaterialKind named && named != detected.Kind ? $" and give it with {Parameter(detected.Kind)}." : ".")
                : $"The service does not take {detected.Name}; convert it to one of {string.Join(", ", MediaFormat.AllExtensions)}.";
            return $"'{path}' is named {extension} but holds {detected.Name} data. {advice}";
        }

        private static string Noun(MaterialKind kind) => kind == MaterialKind.Video ? "video" : kind == MaterialKind.Audio ? "audio clip" : "image";

        private static string Article(MaterialKind kind) => kind == MaterialKind.Image || kind == MaterialKind.Audio ? "an" : "a";

        private static string Parameter(MaterialKind kind) => "-" + kind;
    }
}
