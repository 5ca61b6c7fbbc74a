using System;
using System.Linq;
using System.Text;
using Seedance.Client.Uploads;
using Xunit;

namespace Seedance.Client.Tests
{
    public sealed class MediaSignatureTests
    {
        /// <summary>The first bytes of real files of each kind (what a file starts with on disk).</summary>
        internal static byte[] Header(string format)
        {
            switch (format)
            {
                case "png": return Bytes(0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13).Concat(Ascii("IHDR")).ToArray();
                case "jpeg": return Bytes(0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10).Concat(Ascii("JFIF\0")).ToArray();
                case "jpeg-exif": return Bytes(0xFF, 0xD8, 0xFF, 0xE1, 0x12, 0x34).Concat(Ascii("Exif\0\0")).ToArray();
                case "webp": return Ascii("RIFF").Concat(Bytes(0x24, 0, 0, 0)).Concat(Ascii("WEBPVP8 ")).ToArray();
                case "avi": return Ascii("RIFF").Concat(Bytes(0x24, 0, 0, 0)).Concat(Ascii("AVI LIST")).ToArray();
                case "wav": return Ascii("RIFF").Concat(Bytes(0x24, 0, 0, 0)).Concat(Ascii("WAVEfmt ")).ToArray();
                case "gif": return Ascii("GIF89a").Concat(Bytes(1, 0, 1, 0)).ToArray();
                case "tiff": return Bytes(0x49, 0x49, 0x2A, 0x00, 8, 0, 0, 0);
                case "mp4": return Ftyp("isom", "isom", "mp41");
                case "mp4-mp42": return Ftyp("mp42", "mp42", "isom");
                case "m4v": return Ftyp("M4V ", "M4V ", "mp42");
                case "mov": return Ftyp("qt  ", "qt  ");
                case "mov-legacy": return Bytes(0, 0, 0x01, 0x00).Concat(Ascii("moov")).Concat(Bytes(0, 0, 0, 0x6C)).Concat(Ascii("mvhd")).ToArray();
                case "mov-wide": return Bytes(0, 0, 0, 8).Concat(Ascii("wide")).Concat(Bytes(0, 0, 0x10, 0)).Concat(Ascii("mdat")).ToArray();
                case "heic": return Ftyp("heic", "mif1", "heic");
                case "mif1": return Ftyp("mif1", "mif1", "heic");
                case "avif": return Ftyp("avif", "avif", "mif1");
                case "m4a": return Ftyp("M4A ", "M4A ", "isom");
                case "mp3-id3": return Ascii("ID3").Concat(Bytes(4, 0, 0, 0, 0, 0x0F, 0x76)).ToArray();
                case "mp3-frame": return Bytes(0xFF, 0xFB, 0x90, 0x64, 0, 0, 0, 0);
                case "aac": return Bytes(0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC);
                case "ogg": return Ascii("OggS").Concat(Bytes(0, 2, 0, 0, 0, 0)).ToArray();
                case "flac": return Ascii("fLaC").Concat(Bytes(0, 0, 0, 0x22)).ToArray();
                case "webm": return Ebml("webm");
                case "mkv": return Ebml("matroska");
                default: throw new ArgumentException(format);
            }
        }

        [Theory]
        [InlineData("png", "PNG")]
        [InlineData("jpeg", "JPEG")]
        [InlineData("jpeg-exif", "JPEG")]
        [InlineData("webp", "WebP")]
        [InlineData("mp4", "MP4")]
        [InlineData("mp4-mp42", "MP4")]
        [InlineData("m4v", "MP4")]
        [InlineData("mov", "QuickTime (MOV)")]
        [InlineData("mov-legacy", "QuickTime (MOV)")]
        [InlineData("mov-wide", "QuickTime (MOV)")]
        [InlineData("webm", "WebM")]
        [InlineData("m4a", "MPEG-4 audio (M4A)")]
        [InlineData("wav", "WAV")]
        [InlineData("mp3-id3", "MP3")]
        [InlineData("mp3-frame", "MP3")]
        [InlineData("aac", "AAC (ADTS)")]
        [InlineData("ogg", "Ogg")]
        [InlineData("flac", "FLAC")]
        public void AcceptedFormats_AreRecognised(string format, string name)
        {
            byte[] header = Header(format);
            MediaFormat? detected = MediaSignature.Detect(header, header.Length);
            Assert.NotNull(detected);
            Assert.Equal(name, detected!.Name);
            Assert.True(detected.IsAccepted);
        }

        [Theory]
        [InlineData("gif", "GIF")]
        [InlineData("tiff", "TIFF")]
        [InlineData("heic", "HEIC/HEIF")]
        [InlineData("mif1", "HEIC/HEIF")]
        [InlineData("avif", "AVIF")]
        [InlineData("mkv", "Matroska (MKV)")]
        [InlineData("avi", "AVI")]
        public void FormatsTheServiceDoesNotTake_AreNamedButNotAccepted(string format, string name)
        {
            byte[] header = Header(format);
            MediaFormat? detected = MediaSignature.Detect(header, header.Length);
            Assert.NotNull(detected);
            Assert.Equal(name, detected!.Name);
            Assert.False(detected.IsAccepted);
        }

        [Theory]
        [InlineData("")]
        [InlineData("just some text, not a picture")]
        [InlineData("<html><body>404</body></html>")]
        [InlineData("{\"message\":\"not found\"}")]
        public void Text_IsNotRecognised(string text)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(text);
            Assert.Null(MediaSignature.Detect(bytes, bytes.Length));
        }

        [Fact]
        public void RiffOfAnotherKind_IsNotRecognised()
        {
            byte[] header = Ascii("RIFF").Concat(Bytes(0x24, 0, 0, 0)).Concat(Ascii("RMIDdata")).ToArray();
            Assert.Null(MediaSignature.Detect(header, header.Length));
        }

        [Theory]
        [InlineData("png", 7)]
        [InlineData("jpeg", 2)]
        [InlineData("webp", 11)]
        [InlineData("mp4", 11)]
        public void TruncatedHeaders_AreNotRecognised(string format, int count)
        {
            byte[] header = Header(format);
            Assert.Null(MediaSignature.Detect(header, count));
        }

        [Fact]
        public void OnlyTheCountedBytesAreRead()
        {
            // A buffer from a short read keeps stale bytes after count: they must not make a match.
            byte[] buffer = new byte[MediaSignature.HeaderLength];
            Header("png").CopyTo(buffer, 0);
            Assert.Null(MediaSignature.Detect(buffer, 4));
        }

        [Fact]
        public void EbmlWithoutADocType_IsMatroska_ItsDefault()
        {
            byte[] header = Bytes(0x1A, 0x45, 0xDF, 0xA3, 0x84, 0x42, 0x86, 0x81, 0x01);
            Assert.Same(MediaFormat.Matroska, MediaSignature.Detect(header, header.Length));
        }

        [Fact]
        public void EbmlDocTypePastTheBytesGiven_IsNotTakenForWebM()
        {
            byte[] header = Header("webm");
            Assert.Same(MediaFormat.Matroska, MediaSignature.Detect(header, 20));
        }

        [Fact]
        public void Mp4AndMov_AreOneFamily_ForExtensions()
        {
            Assert.True(MediaFormat.Mp4.Matches(".mp4"));
            Assert.True(MediaFormat.Mp4.Matches(".MOV"));
            Assert.True(MediaFormat.QuickTime.Matches(".mp4"));
            Assert.False(MediaFormat.Mp4.Matches(".webm"));
            Assert.False(MediaFormat.WebM.Matches(".mp4"));
            Assert.True(MediaFormat.Jpeg.Matches(".jpeg"));
            Assert.True(MediaFormat.Jpeg.Matches(".JPG"));
            Assert.False(MediaFormat.Png.Matches(".jpg"));
        }

        [Theory]
        [InlineData(".png", "image/png")]
        [InlineData(".JPG", "image/jpeg")]
        [InlineData(".jpeg", "image/jpeg")]
        [InlineData(".webp", "image/webp")]
        [InlineData(".mp4", "video/mp4")]
        [InlineData(".mov", "video/quicktime")]
        [InlineData(".webm", "video/webm")]
        public void ContentTypes_FollowTheExtension(string extension, string contentType)
        {
            Assert.Equal(contentType, MediaFormat.ContentTypeOfExtension(extension));
        }

        private static byte[] Ftyp(string major, params string[] compatible)
        {
            byte[] body = Ascii("ftyp" + major).Concat(Bytes(0, 0, 2, 0)).Concat(Ascii(string.Concat(compatible))).ToArray();
            return Bytes(0, 0, 0, (byte)(body.Length + 4)).Concat(body).ToArray();
        }

        /// <summary>An EBML header as mkvmerge/ffmpeg write it: versions, ID and size limits, DocType, DocType versions.</summary>
        private static byte[] Ebml(string docType)
        {
            byte[] children = Bytes(0x42, 0x86, 0x81, 1, 0x42, 0xF7, 0x81, 1, 0x42, 0xF2, 0x81, 4, 0x42, 0xF3, 0x81, 8, 0x42, 0x82, (byte)(0x80 | docType.Length))
                .Concat(Ascii(docType)).Concat(Bytes(0x42, 0x87, 0x81, 2, 0x42, 0x85, 0x81, 2)).ToArray();
            return Bytes(0x1A, 0x45, 0xDF, 0xA3, (byte)(0x80 | children.Length)).Concat(children).ToArray();
        }

        private static byte[] Bytes(params byte[] bytes) => bytes;

        private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);
    }
}
