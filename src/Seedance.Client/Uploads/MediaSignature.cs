using System;
using System.IO;
using System.Text;

namespace Seedance.Client.Uploads
{
    /// <summary>
    /// Tells a file's format from its first bytes ("magic numbers"), not from its name: a renamed screenshot or a
    /// text file called cat.png is caught before it is uploaded and paid for. Only the header is read.
    /// </summary>
    public static class MediaSignature
    {
        /// <summary>How many bytes from the start of a file <see cref="Detect"/> wants (fewer is fine for short files).</summary>
        public const int HeaderLength = 128;

        /// <summary>
        /// The signatures told by fixed bytes, first match wins: each character of a pattern is one byte (Latin-1), '?'
        /// any byte. ISO base media files (MP4/MOV and relatives) are a box whose type (bytes 4..8) is ftyp, with the
        /// major brand after it; the brands of formats the service does not take come before the MP4 that any other is.
        /// </summary>
        private static readonly (string Pattern, MediaFormat Format)[] Signatures =
        {
            ("\u0089PNG\r\n\u001A\n", MediaFormat.Png),
            ("\u00FF\u00D8\u00FF", MediaFormat.Jpeg),
            ("RIFF????WEBP", MediaFormat.WebP), ("RIFF????AVI ", MediaFormat.Avi), ("RIFF????WAVE", MediaFormat.Wav),
            ("OggS", MediaFormat.Ogg),
            ("fLaC", MediaFormat.Flac),

            // An ID3v2 tag opens most MP3 files (an AAC file rarely has one; it is named .aac then and its frames follow).
            ("ID3", MediaFormat.Mp3),
            ("GIF87a", MediaFormat.Gif), ("GIF89a", MediaFormat.Gif),
            ("II*\0", MediaFormat.Tiff), ("MM\0*", MediaFormat.Tiff),
            ("????ftypheic", MediaFormat.Heif), ("????ftypheix", MediaFormat.Heif), ("????ftypheim", MediaFormat.Heif), ("????ftypheis", MediaFormat.Heif),
            ("????ftyphevc", MediaFormat.Heif), ("????ftyphevx", MediaFormat.Heif), ("????ftypmif1", MediaFormat.Heif), ("????ftypmsf1", MediaFormat.Heif),
            ("????ftypavif", MediaFormat.Avif), ("????ftypavis", MediaFormat.Avif),
            ("????ftypM4A ", MediaFormat.M4a), ("????ftypM4B ", MediaFormat.M4a), ("????ftypM4P ", MediaFormat.M4a), ("????ftypF4A ", MediaFormat.M4a), ("????ftypF4B ", MediaFormat.M4a),
            ("????ftypqt  ", MediaFormat.QuickTime),
            ("????ftyp????", MediaFormat.Mp4),
        };

        private const string EbmlMagic = "\u001A\u0045\u00DF\u00A3";

        // Top-level atoms an old QuickTime file may start with instead of ftyp.
        private static readonly string[] QuickTimeAtoms = { "moov", "mdat", "wide", "free", "skip", "pnot" };

        /// <summary>The format of the file at <paramref name="path"/> from its first bytes, or null when unknown.</summary>
        public static MediaFormat? DetectFile(string path)
        {
            byte[] header = new byte[HeaderLength];
            int count;
            using (FileStream file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            {
                count = ReadHeader(file, header);
            }

            return Detect(header, count);
        }

        /// <summary>Reads the stream's first bytes into <paramref name="header"/> (a read may return fewer than asked); returns how many.</summary>
        public static int ReadHeader(Stream stream, byte[] header)
        {
            int total = 0;
            int read;
            while (total < header.Length && (read = stream.Read(header, total, header.Length - total)) > 0)
            {
                total += read;
            }

            return total;
        }

        /// <summary>The format of a file whose first bytes are <paramref name="header"/>[0..count), or null when unknown.</summary>
        public static MediaFormat? Detect(byte[] header, int count)
        {
            if (header is null)
            {
                throw new ArgumentNullException(nameof(header));
            }

            count = Math.Min(count, header.Length);
            foreach ((string pattern, MediaFormat format) in Signatures)
            {
                if (Matches(header, count, pattern))
                {
                    return format;
                }
            }

            if (count >= 2 && header[0] == 0xFF && (header[1] & 0xE0) == 0xE0)
            {
                // An MPEG audio frame sync (11 bits set). The layer bits tell MP3 (layer set) from ADTS AAC (layer 00).
                return (header[1] & 0x06) == 0 ? ((header[1] & 0xF0) == 0xF0 ? MediaFormat.Aac : null) : MediaFormat.Mp3;
            }

            if (Matches(header, count, EbmlMagic))
            {
                // EBML's DocType says which: "webm", or "matroska" (also its default when absent).
                return EbmlDocType(header, count) == "webm" ? MediaFormat.WebM : MediaFormat.Matroska;
            }

            // A QuickTime file from before ftyp existed: a plausible box size, then one of the usual first atoms.
            if (count >= 8 && Array.IndexOf(QuickTimeAtoms, Encoding.ASCII.GetString(header, 4, 4)) >= 0)
            {
                uint size = (uint)(header[0] << 24 | header[1] << 16 | header[2] << 8 | header[3]);
                if (size == 0 || size == 1 || size >= 8)
                {
                    return MediaFormat.QuickTime;
                }
            }

            return null;
        }

        /// <summary>Walks the EBML header's child elements for DocType (ID 0x4282); null when not found in the bytes given.</summary>
        private static string? EbmlDocType(byte[] header, int count)
        {
            int position = EbmlMagic.Length;
            long headerSize = ReadVint(header, count, ref position, keepMarker: false);
            if (headerSize < 0)
            {
                return null;
            }

            long end = Math.Min(count, position + headerSize);
            while (position < end)
            {
                long id = ReadVint(header, count, ref position, keepMarker: true);
                long size = ReadVint(header, count, ref position, keepMarker: false);
                if (id < 0 || size < 0 || position + size > count)
                {
                    return null;
                }

                if (id == 0x4282)
                {
                    return Encoding.ASCII.GetString(header, position, (int)size).TrimEnd('\0');
                }

                position += (int)size;
            }

            return null;
        }

        /// <summary>
        /// An EBML variable-length integer: the number of leading zero bits of the first byte says how many more bytes
        /// follow. IDs keep the marker bit, sizes drop it. -1 when the bytes run out or the value is malformed.
        /// </summary>
        private static long ReadVint(byte[] data, int count, ref int position, bool keepMarker)
        {
            if (position >= count)
            {
                return -1;
            }

            byte first = data[position];
            int length = 1;
            while (length <= 8 && (first & (0x80 >> (length - 1))) == 0)
            {
                length++;
            }

            if (length > 8 || position + length > count)
            {
                return -1;
            }

            long value = keepMarker ? first : first & (0xFF >> length);
            for (int i = 1; i < length; i++)
            {
                value = (value << 8) | data[position + i];
            }

            position += length;
            return value;
        }

        /// <summary>Whether the first bytes are <paramref name="pattern"/> ('?' any byte).</summary>
        private static bool Matches(byte[] header, int count, string pattern)
        {
            if (count < pattern.Length)
            {
                return false;
            }

            for (int i = 0; i < pattern.Length; i++)
            {
                if (pattern[i] != '?' && header[i] != pattern[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
