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
    /// A file format as its content identifies it. The service takes PNG, JPEG and WebP images, MP4, MOV and WebM
    /// videos, and MP3, WAV, M4A, AAC, Ogg and FLAC audio (kinovi-ai/kinovi-models models/seedance2-5/README.md); a few
    /// formats it does not take are recognised too, so that the error can say what the file really is.
    /// </summary>
    public sealed class MediaFormat
    {
        public static readonly MediaFormat Png = new MediaFormat("PNG", MaterialKind.Image, true, ".png");
        public static readonly MediaFormat Jpeg = new MediaFormat("JPEG", MaterialKind.Image, true, ".jpg", ".jpeg");
        public static readonly MediaFormat WebP = new MediaFormat("WebP", MaterialKind.Image, true, ".webp");

        /// <summary>ISO base media (ftyp) video. MP4 and QuickTime are one container family; see <see cref="Matches"/>.</summary>
        public static readonly MediaFormat Mp4 = new MediaFormat("MP4", MaterialKind.Video, true, ".mp4", ".mov");
        public static readonly MediaFormat QuickTime = new MediaFormat("QuickTime (MOV)", MaterialKind.Video, true, ".mov", ".mp4");
        public static readonly MediaFormat WebM = new MediaFormat("WebM", MaterialKind.Video, true, ".webm");

        public static readonly MediaFormat Gif = new MediaFormat("GIF", MaterialKind.Image, false);
        public static readonly MediaFormat Tiff = new MediaFormat("TIFF", MaterialKind.Image, false);
        public static readonly MediaFormat Heif = new MediaFormat("HEIC/HEIF", MaterialKind.Image, false);
        public static readonly MediaFormat Avif = new MediaFormat("AVIF", MaterialKind.Image, false);
        public static readonly MediaFormat Matroska = new MediaFormat("Matroska (MKV)", MaterialKind.Video, false);
        public static readonly MediaFormat Avi = new MediaFormat("AVI", MaterialKind.Video, false);

        /// <summary>MPEG-4 audio (an ftyp file of an audio brand): an audio file, not a video.</summary>
        public static readonly MediaFormat M4a = new MediaFormat("MPEG-4 audio (M4A)", MaterialKind.Audio, true, ".m4a");
        public static readonly MediaFormat Mp3 = new MediaFormat("MP3", MaterialKind.Audio, true, ".mp3");
        public static readonly MediaFormat Wav = new MediaFormat("WAV", MaterialKind.Audio, true, ".wav");
        public static readonly MediaFormat Aac = new MediaFormat("AAC (ADTS)", MaterialKind.Audio, true, ".aac");
        public static readonly MediaFormat Ogg = new MediaFormat("Ogg", MaterialKind.Audio, true, ".ogg");
        public static readonly MediaFormat Flac = new MediaFormat("FLAC", MaterialKind.Audio, true, ".flac");

        /// <summary>The extensions the service takes, by kind, as the user should write them.</summary>
        public static readonly IReadOnlyList<string> ImageExtensions = new[] { ".png", ".jpg", ".jpeg", ".webp" };
        public static readonly IReadOnlyList<string> VideoExtensions = new[] { ".mp4", ".mov", ".webm" };
        public static readonly IReadOnlyList<string> AudioExtensions = new[] { ".mp3", ".wav", ".m4a", ".aac", ".ogg", ".flac" };

        private static readonly Dictionary<string, string> ContentTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            [".png"] = "image/png",
            [".jpg"] = "image/jpeg",
            [".jpeg"] = "image/jpeg",
            [".webp"] = "image/webp",
            [".mp4"] = "video/mp4",
            [".mov"] = "video/quicktime",
            [".webm"] = "video/webm",
            [".mp3"] = "audio/mpeg",
            [".wav"] = "audio/wav",
            [".m4a"] = "audio/mp4",
            [".aac"] = "audio/aac",
            [".ogg"] = "audio/ogg",
            [".flac"] = "audio/flac",
        };

        private readonly string[] _extensions;

        private MediaFormat(string name, MaterialKind kind, bool accepted, params string[] extensions)
        {
            Name = name;
            Kind = kind;
            IsAccepted = accepted;
            _extensions = extensions;
        }

        /// <summary>For messages: "PNG", "QuickTime (MOV)", "HEIC/HEIF".</summary>
        public string Name { get; }
        public MaterialKind Kind { get; }

        /// <summary>True for the formats the service takes.</summary>
        public bool IsAccepted { get; }

        /// <summary>The extension to rename a file to when its name does not match its content (".jpg" for JPEG).</summary>
        public string? PreferredExtension => _extensions.FirstOrDefault();

        /// <summary>
        /// True when a file named with <paramref name="extension"/> may hold this format. MP4 and MOV are accepted for
        /// each other: both are ISO base media files (an iPhone .mov has the "qt  " brand, many .mp4 exports too), the
        /// service takes both, and refusing a perfectly good video over its brand would help nobody.
        /// </summary>
        public bool Matches(string extension) => _extensions.Contains(extension, StringComparer.OrdinalIgnoreCase);

        /// <summary>The kind a file of this extension is sent as, or null when the service takes no such extension.</summary>
        public static MaterialKind? KindOfExtension(string extension)
        {
            if (ImageExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
            {
                return MaterialKind.Image;
            }

            if (VideoExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase))
            {
                return MaterialKind.Video;
            }

            return AudioExtensions.Contains(extension, StringComparer.OrdinalIgnoreCase) ? MaterialKind.Audio : (MaterialKind?)null;
        }

        /// <summary>The extensions the service takes for <paramref name="kind"/>.</summary>
        public static IReadOnlyList<string> ExtensionsOf(MaterialKind kind) =>
            kind == MaterialKind.Video ? VideoExtensions : kind == MaterialKind.Audio ? AudioExtensions : ImageExtensions;

        /// <summary>The Content-Type for an accepted extension (the service signs the upload for the name's type).</summary>
        public static string ContentTypeOfExtension(string extension) =>
            ContentTypes.TryGetValue(extension, out string? type) ? type : "application/octet-stream";

        public override string ToString() => Name;
    }
}
