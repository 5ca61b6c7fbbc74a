using System.Linq;
using Seedance.Client.Http;
using Xunit;

namespace Seedance.Client.Tests.Hostile
{
    /// <summary>The key comes back in bodies and URLs in every encoding a server or proxy can produce.</summary>
    public sealed class KeyMaskingTests
    {
        private const string Secret = "sk-Live/Key\"0123+abc";

        private static readonly ApiKey Key = new ApiKey(Secret);

        private static string Json(string s) => string.Concat(s.Select(c => $"\\u{(int)c:x4}"));

        private static string Percent(string s, bool upper) => string.Concat(s.Select(c => upper ? $"%{(int)c:X2}" : $"%{(int)c:x2}"));

        [Theory]
        [InlineData("as it is", Secret)]
        [InlineData("upper case", "SK-LIVE/KEY\"0123+ABC")]
        [InlineData("lower case", "sk-live/key\"0123+abc")]
        [InlineData("JSON short escapes", "sk-Live\\/Key\\\"0123+abc")]
        [InlineData("HTML references", "sk&#45;Live&#x2F;Key&#34;0123&#x2b;abc")]
        public void Redact_MasksTheKeyInThatForm(string form, string text)
        {
            Assert.Equal("[***]", Key.Redact("[" + text + "]"));
            Assert.True(Key.IsIn("x " + text + " y"), form);
        }

        [Fact]
        public void Redact_MasksEscapedAndEncodedForms_AndMixtures()
        {
            foreach (string text in new[]
            {
                Json(Secret), Json(Secret).ToUpperInvariant().Replace("\\U", "\\u"), Percent(Secret, true), Percent(Secret, false),
                Percent(Secret, true).Replace("%", "%25"), "sk" + Json("-Live") + "/Key\"" + Percent("0123", true) + "+abc",
            })
            {
                Assert.Equal("a *** b", Key.Redact("a " + text + " b"));
            }
        }

        [Fact]
        public void ShortTestKeys_AreNotMasked_AndOtherTextIsKept()
        {
            ApiKey shortKey = new ApiKey("k");
            Assert.Equal("not known", shortKey.Redact("not known"));
            Assert.False(shortKey.IsIn("k"));
            Assert.Equal("sk-other-key 0123", Key.Redact("sk-other-key 0123"));
        }

        [Theory]
        [InlineData("sk-abc\u0007def", "a control character at position 7")]
        [InlineData("sk-abc\ndef", "a control character")]
        [InlineData("sk-abcdéf", "a non-ASCII character")]
        [InlineData("Bearer sk-abc", "a space")]
        public void Problem_NamesWhatIsWrong_WithoutTheKey(string key, string expected)
        {
            string? problem = ApiKey.Problem(key);
            Assert.Contains(expected, problem);
            Assert.DoesNotContain("abc", problem);
        }

        [Fact]
        public void Problem_IsNullForAPlainKey_AndIgnoresSurroundingWhitespace()
        {
            Assert.Null(ApiKey.Problem("  sk-live_0123456789.ABC~+/=  "));
        }
    }
}
