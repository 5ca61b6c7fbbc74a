using System.IO;
using System.IO.Compression;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Xunit;

namespace Seedance.Client.Tests.Hostile
{
    /// <summary>The bounded reader's decoding: both "deflate" shapes servers send, and the limit on the inflated size.</summary>
    public sealed class ResponseBodyTests
    {
        private static HttpResponseMessage Encoded(byte[] body, string encoding)
        {
            ByteArrayContent content = new ByteArrayContent(body);
            content.Headers.ContentEncoding.Add(encoding);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        }

        private static byte[] Compress(string text, bool zlib)
        {
            using MemoryStream buffer = new MemoryStream();
            using (Stream compressor = zlib ? new ZLibStream(buffer, CompressionLevel.Optimal, true) : new DeflateStream(buffer, CompressionLevel.Optimal, true))
            {
                byte[] bytes = Encoding.UTF8.GetBytes(text);
                compressor.Write(bytes, 0, bytes.Length);
            }

            return buffer.ToArray();
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task Deflate_IsReadInBothShapes(bool zlib)
        {
            string text = "{\"taskId\":\"task_1\",\"status\":\"waiting\"}";
            string read = await ResponseBody.ReadTextAsync(Encoded(Compress(text, zlib), "deflate"), 1024, false, "recordInfo", CancellationToken.None);
            Assert.Equal(text, read);
        }

        [Fact]
        public async Task InflatingPastTheLimit_IsTooLarge_WhileAnErrorBodyIsCut()
        {
            byte[] bomb = Compress(new string('a', 1_000_000), zlib: true);
            ProblemAssert.Is(SeedanceProblem.ResponseTooLarge, await Assert.ThrowsAsync<SeedanceException>(() =>
                ResponseBody.ReadTextAsync(Encoded(bomb, "deflate"), 10_000, false, "recordInfo", CancellationToken.None)));

            string cut = await ResponseBody.ReadTextAsync(Encoded(bomb, "deflate"), 10_000, true, "recordInfo", CancellationToken.None);
            Assert.Equal(10_000, cut.Length);
        }
    }
}
