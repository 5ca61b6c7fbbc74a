using System.Text.Json;
using Xunit;

namespace Seedance.Client.Tests.Hostile
{
    public sealed class ServiceTextTests
    {
        [Theory]
        [InlineData("\u001b[2Jcleared", "cleared")]
        [InlineData("\u001b[1;31mred\u001b[0m", "red")]
        [InlineData("\u001b]0;pwned\u0007title", "title")]
        [InlineData("\u001b]8;;http://evil\u001b\\link\u001b]8;;\u001b\\", "link")]
        [InlineData("\u009b31mC1 CSI", "C1 CSI")]
        [InlineData("\u009d0;t\u009cC1 OSC", "C1 OSC")]
        [InlineData("\u001bPq#0;2;0;0;0\u001b\\sixel gone", "sixel gone")]
        [InlineData("\u001b(Bcharset", "charset")]
        [InlineData("\u001bcreset", "reset")]
        [InlineData("bell\u0007 back\b\b space\r", "bell back space")]
        [InlineData("rtl \u202eevil\u202c and \u2066isolate\u2069", "rtl evil and isolate")]
        [InlineData("unterminated \u001b]0;title forever", "unterminated ")]
        [InlineData("line one\nline\ttwo", "line one\nline\ttwo")]
        [InlineData("plain — ünïcode 任务 ok", "plain — ünïcode 任务 ok")]
        public void Clean_RemovesTerminalControls_KeepsText(string text, string expected)
        {
            Assert.Equal(expected, ServiceText.Clean(text));
        }

        [Fact]
        public void CleanJson_CleansEveryStringAndName_KeepsNumbersStructureAndTheId()
        {
            string json = "{\"taskId\":\"task_\\u001b[1m\",\"status\":\"fail\\u001b[8m\",\"n\":1e300,\"big\":123456789012345678901234567890," +
                "\"list\":[\"a\\u0007\",{\"x\\u001b[1m\":\"\\u009b2Jb\"}],\"ok\":true,\"none\":null}";

            using JsonDocument clean = JsonDocument.Parse(ServiceText.CleanJson(json));

            JsonElement root = clean.RootElement;
            Assert.Equal("task_\u001b[1m", root.GetProperty("taskId").GetString());
            Assert.Equal("fail", root.GetProperty("status").GetString());
            Assert.Equal("1e300", root.GetProperty("n").GetRawText());
            Assert.Equal("123456789012345678901234567890", root.GetProperty("big").GetRawText());
            Assert.Equal("a", root.GetProperty("list")[0].GetString());
            Assert.Equal("b", root.GetProperty("list")[1].GetProperty("x").GetString());
            Assert.True(root.GetProperty("ok").GetBoolean());
        }

        [Fact]
        public void CleanJson_AnEscapeBeforeAQuote_DoesNotBreakTheJson()
        {
            // On the raw text, "ESC" followed by '"' ',' '"' would look like an nF sequence and eat the structure.
            string json = "{\"a\":\"x\\u001b\",\"b\":\"y\"}";
            using JsonDocument clean = JsonDocument.Parse(ServiceText.CleanJson(json));
            Assert.Equal("x", clean.RootElement.GetProperty("a").GetString());
            Assert.Equal("y", clean.RootElement.GetProperty("b").GetString());
        }

        [Theory]
        [InlineData("{\"status\":\"waiting\"}")]
        [InlineData("not json \\u001b at all")]
        public void CleanJson_LeavesCleanOrNonJsonTextAlone(string text)
        {
            Assert.Same(text, ServiceText.CleanJson(text));
        }
    }
}
