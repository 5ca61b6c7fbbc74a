using System;
using System.Collections.Generic;
using System.Linq;

namespace Seedance.Client.Uploads
{
    /// <summary>Whether a material goes with the images (<c>urls</c>/<c>imageUrls</c>), the videos (<c>videoUrls</c>) or the audio (<c>audioUrls</c>).</summary>
    public enum MaterialKind
    {
        Image,
        Video,
        Audio,
    }

    /// <summary>
    /// A file format as its content identifies it, and the one table of what the service takes: PNG, JPEG and WebP
    /// images, MP4, MOV and WebM videos, and MP3, WAV, M4A, AAC, Ogg and FLAC audio
    /// (kinovi-ai/kinovi-models models/seedance2-5/README.md), each with the extensions a file of it is named with and
    /// the Content-Type its upload is signed for. A few formats it does not take are recognised too (no extensions),
    /// so that the error can say what the file really is.
    /// </summary>
    public sealed class MediaFormat
    {
        public static readonly MediaFormat Png = new MediaFormat("PNG", MaterialKind.Image, "image/png", ".png");
        public static readonly MediaFormat Jpeg = new MediaFormat("JPEG", MaterialKind.Image, "image/jpeg", ".jpg", ".jpeg");
        public static readonly MediaFormat WebP = new MediaFormat("WebP", MaterialKind.Image, "image/webp", ".webp");

        /// <summary>ISO base media (ftyp) video. MP4 and QuickTime are one container family; see <see cref="Matches"/>.</summary>
        public static readonly MediaFormat Mp4 = new MediaFormat("MP4", MaterialKind.Video, "video/mp4", ".mp4");
        public static readonly MediaFormat QuickTime = new MediaFormat("QuickTime (MOV)", MaterialKind.Video, "video/quicktime", ".mov");
        public static readonly MediaFormat WebM = new MediaFormat("WebM", MaterialKind.Video, "video/webm", ".webm");

        public static readonly MediaFormat Mp3 = new MediaFormat("MP3", MaterialKind.Audio, "audio/mpeg", ".mp3");
        public static readonly MediaFormat Wav = new MediaFormat("WAV", MaterialKind.Audio, "audio/wav", ".wav");

        /// <summary>MPEG-4 audio (an ftyp file of an audio brand): an audio file, not a video.</summary>
        public static readonly MediaFormat M4a = new MediaFormat("MPEG-4 audio (M4A)", MaterialKind.Audio, "audio/mp4", ".m4a");
        public static readonly MediaFormat Aac = new MediaFormat("AAC (ADTS)", MaterialKind.Audio, "audio/aac", ".aac");
        public static readonly MediaFormat Ogg = new MediaFormat("Ogg", MaterialKind.Audio, "audio/ogg", ".ogg");
        public static readonly MediaFormat Flac = new MediaFormat("FLAC", MaterialKind.Audio, "audio/flac", ".flac");

        public static readonly MediaFormat Gif = new MediaFormat("GIF", MaterialKind.Image, null);
        public static readonly MediaFormat Tiff = new MediaFormat("TIFF", MaterialKind.Image, null);
        public static readonly MediaFormat Heif = new MediaFormat("HEIC/HEIF", MaterialKind.Image, null);
        public static readonly MediaFormat Avif = new MediaFormat("AVIF", MaterialKind.Image, null);
        public static readonly MediaFormat Matroska = new MediaFormat("Matroska (MKV)", MaterialKind.Video, null);
        public static readonly MediaFormat Avi = new MediaFormat("AVI", MaterialKind.Video, null);

        /// <summary>The formats the service takes, in the order messages list their extensions.</summary>
        private static readonly MediaFormat[] Accepted = { Png, Jpeg, WebP, Mp4, QuickTime, WebM, Mp3, Wav, M4a, Aac, Ogg, Flac };

        private readonly string[] _extensions;

        private MediaFormat(string name, MaterialKind kind, string? contentType, params string[] extensions)
        {
            Name = name;
            Kind = kind;
            ContentType = contentType;
            _extensions = extensions;
        }

        /// <summary>For messages: "PNG", "QuickTime (MOV)", "HEIC/HEIF".</summary>
        public string Name { get; }
        public MaterialKind Kind { get; }

        /// <summary>What an upload of it is signed for ("image/png"); null for a format the service does not take.</summary>
        public string? ContentType { get; }

        /// <summary>True for the formats the service takes.</summary>
        public bool IsAccepted => ContentType is not null;

        /// <summary>The extension to rename a file to when its name does not match its content (".jpg" for JPEG).</summary>
        public string? PreferredExtension => _extensions.FirstOrDefault();

        /// <summary>Every extension the service takes, images, then videos, then audio (for messages).</summary>
        public static IEnumerable<string> AllExtensions => Accepted.SelectMany(format => format._extensions);

        /// <summary>
        /// True when a file named with <paramref name="extension"/> may hold this format. MP4 and MOV are accepted for
        /// each other: both are ISO base media files (an iPhone .mov has the "qt  " brand, many .mp4 exports too), the
        /// service takes both, and refusing a perfectly good video over its brand would help nobody.
        /// </summary>
        public bool Matches(string extension) =>
            Named(extension) is MediaFormat named && (named == this || (IsIsoVideo(named) && IsIsoVideo(this)));

        /// <summary>The kind a file of this extension is sent as, or null when the service takes no such extension.</summary>
        public static MaterialKind? KindOfExtension(string extension) => Named(extension)?.Kind;

        /// <summary>The extensions the service takes for <paramref name="kind"/>.</summary>
        public static IReadOnlyList<string> ExtensionsOf(MaterialKind kind) =>
            Accepted.Where(format => format.Kind == kind).SelectMany(format => format._extensions).ToList();

        /// <summary>The Content-Type for an accepted extension (the service signs the upload for the name's type).</summary>
        public static string ContentTypeOfExtension(string extension) => Named(extension)?.ContentType ?? "application/octet-stream";

        public override string ToString() => Name;

        /// <summary>The accepted format a file named with <paramref name="extension"/> claims to be, or null.</summary>
        private static MediaFormat? Named(string extension) =>
            Accepted.FirstOrDefault(format => format._extensions.Contains(extension, StringComparer.OrdinalIgnoreCase));

        private static bool IsIsoVideo(MediaFormat format) => format == Mp4 || format == QuickTime;
    }
}
