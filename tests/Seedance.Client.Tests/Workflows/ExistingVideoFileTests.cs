using System;
using Seedance.Client.Http;
using Seedance.Client.Workflows;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>The rule that tells a file found at a video's name apart: the whole video, an incomplete copy, or another file.</summary>
    public class ExistingVideoFileTests
    {
        private static readonly byte[] Start = Bytes(1);
        private static readonly DateTimeOffset Modified = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);

        private static byte[] Bytes(int seed)
        {
            byte[] bytes = new byte[ExistingVideoFile.StartLength];
            new Random(seed).NextBytes(bytes);
            return bytes;
        }

        private static ServedObject Served(long? length, DateTimeOffset? lastModified = null) => new ServedObject(length, Start, "\"etag-1\"", lastModified);

        private static ExistingFileVerdict Judge(long length, DateTime written, byte[] start, ServedObject served) =>
            ExistingVideoFile.Judge(length, written, start, served, out _);

        [Fact]
        public void TheServicesLengthAndStartAndLastModified_MakeTheWholeVideo()
        {
            Assert.Equal(ExistingFileVerdict.WholeVideo, Judge(5_000_000, Modified.UtcDateTime, Start, Served(5_000_000, Modified)));
            Assert.Equal(ExistingFileVerdict.WholeVideo, Judge(5_000_000, Modified.UtcDateTime.AddSeconds(1.5), Start, Served(5_000_000, Modified)));
        }

        [Fact]
        public void WithoutALastModified_LengthAndStartDecide()
        {
            Assert.Equal(ExistingFileVerdict.WholeVideo, Judge(5_000_000, DateTime.UtcNow, Start, Served(5_000_000)));
        }

        [Fact]
        public void ATimeThatIsNotTheVideosLastModified_IsAnotherFile()
        {
            Assert.Equal(ExistingFileVerdict.AnotherFile, ExistingVideoFile.Judge(5_000_000, Modified.UtcDateTime.AddMinutes(5), Start, Served(5_000_000, Modified), out string? why));
            Assert.Contains("Last-Modified", why);
        }

        [Fact]
        public void AShorterFileWithTheVideosStart_IsIncomplete()
        {
            Assert.Equal(ExistingFileVerdict.Incomplete, Judge(2_500_000, DateTime.UtcNow, Start, Served(5_000_000, Modified)));
            Assert.Equal(ExistingFileVerdict.Incomplete, Judge(0, DateTime.UtcNow, Array.Empty<byte>(), Served(5_000_000)));
        }

        [Fact]
        public void AnotherStart_IsAnotherFile_WhateverItsLength()
        {
            byte[] text = Bytes(2);
            Assert.Equal(ExistingFileVerdict.AnotherFile, Judge(2_500_000, DateTime.UtcNow, text, Served(5_000_000)));
            Assert.Equal(ExistingFileVerdict.AnotherFile, Judge(5_000_000, Modified.UtcDateTime, text, Served(5_000_000, Modified)));
        }

        [Fact]
        public void ALongerFile_IsAnotherFile()
        {
            Assert.Equal(ExistingFileVerdict.AnotherFile, ExistingVideoFile.Judge(5_000_001, Modified.UtcDateTime, Start, Served(5_000_000, Modified), out string? why));
            Assert.Contains("5,000,001", why);
        }

        [Fact]
        public void ALengthTheServiceDoesNotGive_ProvesNothing()
        {
            Assert.Equal(ExistingFileVerdict.AnotherFile, Judge(5_000_000, Modified.UtcDateTime, Start, Served(null, Modified)));
        }

        [Fact]
        public void AServiceStartShorterThanWhatMustBeCompared_ProvesNothing()
        {
            ServedObject cut = new ServedObject(5_000_000, new byte[] { 0, 0 }, null, null);
            Assert.Equal(ExistingFileVerdict.AnotherFile, Judge(5_000_000, DateTime.UtcNow, Start, cut));
        }
    }
}
