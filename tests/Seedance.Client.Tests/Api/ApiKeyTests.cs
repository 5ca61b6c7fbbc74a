using Seedance.Client.Http;
using Xunit;

namespace Seedance.Client.Tests
{
    public class ApiKeyTests
    {
        [Fact]
        public void RealLengthKey_IsMaskedEverywhereItAppears()
        {
            ApiKey key = new ApiKey("sk-live-0123456789");
            Assert.Equal("a *** b ***", key.Redact("a sk-live-0123456789 b sk-live-0123456789"));
            Assert.True(key.IsIn("x sk-live-0123456789 y"));
            Assert.Equal("***", key.ToString());
        }

        [Fact]
        public void TinyKey_IsNotMasked_SoOrdinaryTextStaysReadable()
        {
            // A one-letter test key is no secret; masking it would turn "not known" into "not ***nown".
            ApiKey key = new ApiKey("k");
            Assert.Equal("Name or service not known", key.Redact("Name or service not known"));
            Assert.False(key.IsIn("Name or service not known"));
        }

        [Fact]
        public void KeyOfEightCharacters_IsMasked()
        {
            ApiKey key = new ApiKey("abcdefgh");
            Assert.Equal("key=***", key.Redact("key=abcdefgh"));
        }
    }
}
