using System;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text;
using Seedance.Client.Uploads;
using Xunit;

namespace Seedance.Client.Tests
{
    public sealed class LocalMaterialInspectorTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "seedance-inspect-" + Guid.NewGuid().ToString("N"));

        public LocalMaterialInspectorTests()
        {
            Directory.CreateDirectory(_folder);
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        private string Write(string name, string format, int filler = 1000)
        {
            string path = Path.Combine(_folder, name);
            File.WriteAllBytes(path, MediaSignatureTests.Header(format).Concat(new byte[filler]).ToArray());
            return path;
        }

        /// <summary>A file of <paramref name="length"/> bytes that starts like an MP4; sparse, so 50 MB costs no disk.</summary>
        private string Sparse(string name, long length)
        {
            string path = Write(name, "mp4", filler: 0);
            using FileStream file = new FileStream(path, FileMode.Open, FileAccess.Write);
            file.SetLength(length);
            return path;
        }

        [Fact]
        public void AFileThatPassesItsChecks_CarriesTheSha256OfItsWholeContent()
        {
            string path = Write("cat.png", "png", filler: 100_000);
            using System.Security.Cryptography.SHA256 sha = System.Security.Cryptography.SHA256.Create();
            string expected = string.Concat(sha.ComputeHash(File.ReadAllBytes(path)).Select(b => b.ToString("x2")));

            Assert.Equal(expected, LocalMaterialInspector.Inspect(path, MaterialKind.Image).Sha256);
        }

        [Theory]
        [InlineData("cat.png", "png", MaterialKind.Image, "image/png")]
        [InlineData("cat.PNG", "png", MaterialKind.Image, "image/png")]
        [InlineData("dog.jpg", "jpeg", MaterialKind.Image, "image/jpeg")]
        [InlineData("dog.jpeg", "jpeg-exif", MaterialKind.Image, "image/jpeg")]
        [InlineData("bird.webp", "webp", MaterialKind.Image, "image/webp")]
        [InlineData("clip.mp4", "mp4", MaterialKind.Video, "video/mp4")]
        [InlineData("clip.mov", "mov", MaterialKind.Video, "video/quicktime")]
        [InlineData("iphone.mov", "mp4", MaterialKind.Video, "video/quicktime")]
        [InlineData("export.mp4", "mov", MaterialKind.Video, "video/mp4")]
        [InlineData("clip.webm", "webm", MaterialKind.Video, "video/webm")]
        [InlineData("song.mp3", "mp3-id3", MaterialKind.Audio, "audio/mpeg")]
        [InlineData("beat.mp3", "mp3-frame", MaterialKind.Audio, "audio/mpeg")]
        [InlineData("voice.wav", "wav", MaterialKind.Audio, "audio/wav")]
        [InlineData("song.m4a", "m4a", MaterialKind.Audio, "audio/mp4")]
        [InlineData("song.aac", "aac", MaterialKind.Audio, "audio/aac")]
        [InlineData("song.ogg", "ogg", MaterialKind.Audio, "audio/ogg")]
        [InlineData("song.flac", "flac", MaterialKind.Audio, "audio/flac")]
        public void AGoodFile_PassesWithItsLengthAndContentType(string name, string format, MaterialKind kind, string contentType)
        {
            string path = Write(name, format);
            LocalMaterial material = LocalMaterialInspector.Inspect(path, kind);
            Assert.Equal(path, material.FullPath);
            Assert.Equal(name, material.FileName);
            Assert.Equal(new FileInfo(path).Length, material.Length);
            Assert.Equal(kind, material.Kind);
            Assert.Equal(contentType, material.ContentType);
        }

        [Fact]
        public void AMissingFile_IsMaterialFileNotFound()
        {
            string path = Path.Combine(_folder, "missing.png");
            LocalMaterialException e = Refused(SeedanceProblem.MaterialFileNotFound, () => LocalMaterialInspector.Inspect(path, MaterialKind.Image));
            Assert.Equal("MaterialFileNotFound", e.ErrorId);
            Assert.Equal(path, e.Path);
            Assert.Equal("Image", e.ParamName);
            Assert.Contains(path, e.Message);
        }

        [Fact]
        public void AFolder_IsMaterialNotAFile()
        {
            string path = Path.Combine(_folder, "looks-like.png");
            Directory.CreateDirectory(path);
            LocalMaterialException e = Refused(SeedanceProblem.MaterialNotAFile, () => LocalMaterialInspector.Inspect(path, MaterialKind.Image));
            Assert.Equal("MaterialNotAFile", e.ErrorId);
        }

        [Theory]
        [InlineData("anim.gif", "gif", MaterialKind.Image, "is a .gif file")]
        [InlineData("notes", "png", MaterialKind.Image, "has no extension")]
        [InlineData("movie.mkv", "mkv", MaterialKind.Video, "is a .mkv file")]
        [InlineData("still.png", "png", MaterialKind.Video, "is an image, but was given as a video")]
        [InlineData("clip.mp4", "mp4", MaterialKind.Image, "is a video, but was given as an image")]
        [InlineData("song.mp3", "mp3-id3", MaterialKind.Image, "is an audio clip, but was given as an image; -Image takes .png, .jpg, .jpeg, .webp. Pass it with -Audio.")]
        [InlineData("clip.mp4", "mp4", MaterialKind.Audio, "is a video, but was given as an audio clip; -Audio takes .mp3, .wav, .m4a, .aac, .ogg, .flac. Pass it with -Video.")]
        [InlineData("song.wma", "mp3-id3", MaterialKind.Audio, "is a .wma file; the service takes audio clips as .mp3, .wav, .m4a, .aac, .ogg, .flac")]
        public void AnExtensionTheParameterDoesNotTake_IsUnsupportedMaterialType(string name, string format, MaterialKind kind, string message)
        {
            string path = Write(name, format);
            LocalMaterialException e = Refused(SeedanceProblem.UnsupportedMaterialType, () => LocalMaterialInspector.Inspect(path, kind));
            Assert.Equal("UnsupportedMaterialType", e.ErrorId);
            Assert.Contains(message, e.Message);
        }

        [Theory]
        [InlineData("photo.png", "jpeg", "holds JPEG data. Rename it to photo.jpg.")]
        [InlineData("cat.jpg", "png", "holds PNG data. Rename it to cat.png.")]
        [InlineData("cat.webp", "gif", "holds GIF data. The service does not take GIF")]
        [InlineData("phone.mp4", "heic", "holds HEIC/HEIF data")]
        [InlineData("picture.mov", "avif", "holds AVIF data")]
        [InlineData("song.mp4", "m4a", "holds MPEG-4 audio (M4A) data. Rename it to song.m4a and give it with -Audio.")]
        [InlineData("song.mp3", "wav", "holds WAV data. Rename it to song.wav.")]
        [InlineData("song.wav", "png", "holds PNG data. Rename it to song.png and give it with -Image.")]
        [InlineData("movie.webm", "mkv", "holds Matroska (MKV) data")]
        [InlineData("clip.mp4", "webm", "holds WebM data. Rename it to clip.webm.")]
        public void ContentThatIsNotWhatTheNameSays_IsMaterialContentMismatch(string name, string format, string message)
        {
            string path = Write(name, format);
            MaterialKind kind = MediaFormat.KindOfExtension(Path.GetExtension(name))!.Value;
            LocalMaterialException e = Refused(SeedanceProblem.MaterialContentMismatch, () => LocalMaterialInspector.Inspect(path, kind));
            Assert.Equal("MaterialContentMismatch", e.ErrorId);
            Assert.Contains(message, e.Message); // names the format the content was recognised as
        }

        [Fact]
        public void TextNamedPng_IsMaterialContentMismatch_WithNothingDetected()
        {
            string path = Path.Combine(_folder, "notes.png");
            File.WriteAllText(path, "not a picture at all", Encoding.UTF8);
            LocalMaterialException e = Refused(SeedanceProblem.MaterialContentMismatch, () => LocalMaterialInspector.Inspect(path, MaterialKind.Image));
            Assert.Contains("its content is not PNG data", e.Message);
            Assert.Contains("match no image, video or audio format", e.Message);
        }

        [Fact]
        public void AnEmptyFile_IsMaterialContentMismatch_SayingItIsEmpty()
        {
            string path = Path.Combine(_folder, "empty.mp4");
            File.WriteAllBytes(path, Array.Empty<byte>());
            LocalMaterialException e = Refused(SeedanceProblem.MaterialContentMismatch, () => LocalMaterialInspector.Inspect(path, MaterialKind.Video));
            Assert.Contains("is empty (0 bytes)", e.Message);
        }

        [Fact]
        public void AVideoOfExactly50MB_Passes()
        {
            string path = Sparse("limit.mp4", LocalMaterialInspector.MaxVideoBytes);
            Assert.Equal(50_000_000, LocalMaterialInspector.Inspect(path, MaterialKind.Video).Length);
        }

        [Fact]
        public void AVideoOneByteOver50MB_IsVideoFileTooLarge()
        {
            string path = Sparse("over.mp4", LocalMaterialInspector.MaxVideoBytes + 1);
            LocalMaterialException e = Refused(SeedanceProblem.VideoFileTooLarge, () => LocalMaterialInspector.Inspect(path, MaterialKind.Video));
            Assert.Equal("VideoFileTooLarge", e.ErrorId);
            Assert.Equal(MaterialKind.Video, e.Kind);
            Assert.Contains("50,000,001 bytes", e.Message);
            Assert.Contains("at most 50 MB (50,000,000 bytes)", e.Message);
        }

        [Fact]
        public void ALargeImage_HasNoSizeLimit()
        {
            string path = Write("poster.png", "png", filler: 0);
            using (FileStream file = new FileStream(path, FileMode.Open, FileAccess.Write))
            {
                file.SetLength(LocalMaterialInspector.MaxVideoBytes * 2);
            }

            Assert.Equal(MaterialKind.Image, LocalMaterialInspector.Inspect(path, MaterialKind.Image).Kind);
        }

        [Fact]
        public void AFileThatCannotBeRead_IsMaterialFileUnreadable()
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                // Windows: a file opened without sharing cannot be opened again.
                string locked = Write("locked.png", "png");
                using FileStream holder = new FileStream(locked, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
                Refused(SeedanceProblem.MaterialFileUnreadable, () => LocalMaterialInspector.Inspect(locked, MaterialKind.Image));
                return;
            }

            // Root ignores mode bits; a write-only kernel attribute refuses reading even to root. Link to it as a .png.
            string path = Path.Combine(_folder, "unreadable.png");
            File.WriteAllBytes(path, MediaSignatureTests.Header("png"));
            File.SetUnixFileMode(path, UnixFileMode.None);
            if (CanRead(path))
            {
                File.Delete(path);
                const string writeOnly = "/sys/bus/pci/rescan";
                if (!File.Exists(writeOnly))
                {
                    return; // nothing unreadable to be had on this machine
                }

                File.CreateSymbolicLink(path, writeOnly);
                Assert.False(CanRead(path));
            }

            LocalMaterialException e = Refused(SeedanceProblem.MaterialFileUnreadable, () => LocalMaterialInspector.Inspect(path, MaterialKind.Image));
            Assert.Equal("MaterialFileUnreadable", e.ErrorId);
            Assert.IsType<UnauthorizedAccessException>(e.InnerException);
        }

        [Theory]
        [InlineData(812, "812 bytes")]
        [InlineData(9_999, "9,999 bytes")]
        [InlineData(50_000, "50.0 KB")]
        [InlineData(1_234_567, "1.2 MB")]
        [InlineData(50_000_000, "50.0 MB")]
        [InlineData(3_000_000_000, "3.0 GB")]
        public void Sizes_AreShownInDecimalUnits(long bytes, string text)
        {
            Assert.Equal(text, LocalMaterial.FormatSize(bytes));
        }

        private static bool CanRead(string path)
        {
            try
            {
                File.OpenRead(path).Dispose();
                return true;
            }
            catch (UnauthorizedAccessException)
            {
                return false;
            }
        }

        /// <summary>The inspection's refusal, checked to be of <paramref name="problem"/>.</summary>
        private static LocalMaterialException Refused(SeedanceProblem problem, Func<LocalMaterial> inspect)
        {
            LocalMaterialException e = Assert.Throws<LocalMaterialException>(inspect);
            Assert.Equal(problem, e.Problem);
            return e;
        }
    }
}
