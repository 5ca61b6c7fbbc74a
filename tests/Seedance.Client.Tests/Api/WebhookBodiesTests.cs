using System.Text;
using Seedance.Client.Json;
using Xunit;

namespace Seedance.Client.Tests
{
    /// <summary>The rules ConvertFrom-SeedanceWebhook reads callback bodies by (Pester runs them through the cmdlet).</summary>
    public class WebhookBodiesTests
    {
        private const string Flat = "{\"taskId\":\"task_hook\",\"status\":\"success\"}";

        [Fact]
        public void LinesThatEachAreJson_AreABodyEach()
        {
            WebhookBodies bodies = new WebhookBodies(null);
            bodies.AddLine(Flat);
            bodies.AddLine("{\"taskId\":\"task_two\",\"status\":\"fail\"}");

            Assert.Equal(new[] { Flat, "{\"taskId\":\"task_two\",\"status\":\"fail\"}" }, bodies.CollectedBodies());
        }

        [Fact]
        public void LinesOfOneJsonText_AreOneBody()
        {
            WebhookBodies bodies = new WebhookBodies(null);
            bodies.AddLine("{");
            bodies.AddLine("\"taskId\": \"task_hook\", \"status\": \"success\"");
            bodies.AddLine("}");

            string body = Assert.Single(bodies.CollectedBodies());
            Assert.Equal("task_hook", bodies.Read(body).TaskId);
        }

        [Fact]
        public void NoLines_AreNoBody()
        {
            Assert.Empty(new WebhookBodies(null).CollectedBodies());
        }

        [Fact]
        public void LinesPastTheCap_AreRefusedWithTheirSize_NotJoined()
        {
            WebhookBodies bodies = new WebhookBodies(null);
            string line = new string('a', 1024 * 1024);
            for (int i = 0; i < 5; i++)
            {
                bodies.AddLine(line);
            }

            SeedanceException e = ProblemAssert.Throws(SeedanceProblem.InvalidWebhookBody, () => bodies.CollectedBodies());
            Assert.Contains("larger than the 4 MiB", e.Message);
            Assert.EndsWith("+ characters", Assert.IsType<string>(e.Target));
        }

        [Fact]
        public void BytesPastTheCap_AreRefusedUnread()
        {
            SeedanceException e = ProblemAssert.Throws(SeedanceProblem.InvalidWebhookBody, () => new WebhookBodies(null).Read(new byte[WebhookBodies.MaxSize + 1]));
            Assert.Contains("It was not read", e.Message);
            Assert.EndsWith(" bytes", Assert.IsType<string>(e.Target));
        }

        [Fact]
        public void Utf8Bytes_AreReadAsText()
        {
            Assert.Equal("task_hook", new WebhookBodies(null).Read(Encoding.UTF8.GetBytes(Flat)).TaskId);
        }

        [Theory]
        [InlineData("", "is empty")]
        [InlineData("   ", "is empty")]
        [InlineData("taskId=task_1&status=success", "is not JSON")]
        [InlineData("{\"code\":200,\"message\":\"success\",\"data\":{\"status\":\"success\"}}", "is not a Seedance task")]
        [InlineData("[1,2]", "is not a Seedance task")]
        public void ABodyThatIsNoTask_IsInvalidWebhookBody_SayingWhy(string body, string says)
        {
            SeedanceException e = ProblemAssert.Throws(SeedanceProblem.InvalidWebhookBody, () => new WebhookBodies(null).Read(body));
            Assert.Contains(says, e.Message);
            Assert.Null(e.Target);
        }

        [Theory]
        [InlineData("task\\u0007bell")]
        [InlineData("task\\u202eevil")]
        [InlineData(" ")]
        public void ATaskIdThatIsNoId_IsInvalidWebhookBody_AsInACreateAnswer(string escapedId)
        {
            string body = "{\"taskId\":\"" + escapedId + "\",\"status\":\"success\"}";

            SeedanceException e = ProblemAssert.Throws(SeedanceProblem.InvalidWebhookBody, () => new WebhookBodies(null).Read(body));
            Assert.Contains("has a taskId that is no id", e.Message);
        }

        [Fact]
        public void ABodyNested200Deep_IsSaidToBeTooDeep()
        {
            string body = "{\"taskId\":\"t1\",\"x\":" + new string('[', 200) + new string(']', 200) + "}";

            SeedanceException e = ProblemAssert.Throws(SeedanceProblem.InvalidWebhookBody, () => new WebhookBodies(null).Read(body));
            Assert.Contains("nested more than 64 levels deep", e.Message);
        }

        [Fact]
        public void AVideoUrlCarryingTheKey_IsInvalidWebhookBody()
        {
            Http.ApiKey key = new Http.ApiKey("sk-webhook-secret-1234567890");
            string body = "{\"taskId\":\"t1\",\"status\":\"success\",\"output\":[{\"url\":\"https://cdn.example/v.mp4?k=sk-webhook-secret-1234567890\"}]}";

            SeedanceException e = ProblemAssert.Throws(SeedanceProblem.InvalidWebhookBody, () => new WebhookBodies(key).Read(body));
            Assert.DoesNotContain("sk-webhook-secret-1234567890", e.Message);
        }
    }
}
