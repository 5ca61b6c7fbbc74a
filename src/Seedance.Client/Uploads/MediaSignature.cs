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

        private static readonly byte[] PngMagic = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
        private static readonly byte[] EbmlMagic = { 0x1A, 0x45, 0xDF, 0xA3 };

        // ftyp major brands of ISO base media files that are not videos the service takes.
        private static readonly string[] HeifBrands = { "heic", "heix", "heim", "heis", "hevc", "hevx", "mif1", "msf1" };
        private static readonly string[] AvifBrands = { "avif", "avis" };
        private static readonly string[] AudioBrands = { "M4A ", "M4B ", "M4P ", "F4A ", "F4B " };

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
            if (StartsWith(header, count, 0, PngMagic))
            {
                return MediaFormat.Png;
            }

            if (count >= 3 && header[0] == 0xFF && header[1] == 0xD8 && header[2] == 0xFF)
            {
                return MediaFormat.Jpeg;
            }

            if (Ascii(header, count, 0, 4) == "RIFF")
            {
                string form = Ascii(header, count, 8, 4);
                return form == "WEBP" ? MediaFormat.WebP : form == "AVI " ? MediaFormat.Avi : form == "WAVE" ? MediaFormat.Wav : null;
            }

            if (Ascii(header, count, 0, 4) == "OggS")
            {
                return MediaFormat.Ogg;
            }

            if (Ascii(header, count, 0, 4) == "fLaC")
            {
                return MediaFormat.Flac;
            }

            if (Ascii(header, count, 0, 3) == "ID3")
            {
                // An ID3v2 tag opens most MP3 files (an AAC file rarely has one; it is named .aac then and its frames follow).
                return MediaFormat.Mp3;
            }

            if (count >= 2 && header[0] == 0xFF && (header[1] & 0xE0) == 0xE0)
            {
                // An MPEG audio frame sync (11 bits set). The layer bits tell MP3 (layer set) from ADTS AAC (layer 00).
                return (header[1] & 0x06) == 0 ? ((header[1] & 0xF0) == 0xF0 ? MediaFormat.Aac : null) : MediaFormat.Mp3;
            }

            string gif = Ascii(header, count, 0, 6);
            if (gif == "GIF87a" || gif == "GIF89a")
            {
                return MediaFormat.Gif;
            }

            if (StartsWith(header, count, 0, new byte[] { 0x49, 0x49, 0x2A, 0x00 }) || StartsWith(header, count, 0, new byte[] { 0x4D, 0x4D, 0x00, 0x2A }))
            {
                return MediaFormat.Tiff;
            }

            if (StartsWith(header, count, 0, EbmlMagic))
            {
                // EBML's DocType says which: "webm", or "matroska" (also its default when absent).
                return EbmlDocType(header, count) == "webm" ? MediaFormat.WebM : MediaFormat.Matroska;
            }

            return IsoBaseMedia(header, count);
        }

        /// <summary>MP4/MOV and relatives: a box whose type (bytes 4..8) is ftyp, with the major brand after it.</summary>
        private static MediaFormat? IsoBaseMedia(byte[] header, int count)
        {
            string boxType = Ascii(header, count, 4, 4);
            if (boxType == "ftyp")
            {
                string brand = Ascii(header, count, 8, 4);
                if (brand.Length < 4)
                {
                    return null;
                }

                if (Array.IndexOf(HeifBrands, brand) >= 0)
                {
                    return MediaFormat.Heif;
                }

                if (Array.IndexOf(AvifBrands, brand) >= 0)
                {
                    return MediaFormat.Avif;
                }

                if (Array.IndexOf(AudioBrands, brand) >= 0)
                {
                    return MediaFormat.M4a;
                }

                return brand == "qt  " ? MediaFormat.QuickTime : MediaFormat.Mp4;
            }

            // A QuickTime file from before ftyp existed: a plausible box size, then one of the usual first atoms.
            if (count >= 8 && Array.IndexOf(QuickTimeAtoms, boxType) >= 0)
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

        private static bool StartsWith(byte[] data, int count, int offset, byte[] magic)
        {
            if (count < offset + magic.Length)
            {
                return false;
            }

            for (int i = 0; i < magic.Length; i++)
            {
                if (data[offset + i] != magic[i])
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Bytes [offset, offset+length) as ASCII, or "" when the data is shorter.</summary>
        private static string Ascii(byte[] data, int count, int offset, int length) =>
            count < offset + length ? string.Empty : Encoding.ASCII.GetString(data, offset, length);
    }
}
