using System;
using System.Net;
using Xunit;

namespace Seedance.Client.Tests
{
    public class ApiErrorTests
    {
        [Theory]
        [InlineData(400, "InvalidRequest", false)]
        [InlineData(422, "InvalidRequest", false)]
        [InlineData(401, "Unauthorized", false)]
        [InlineData(402, "InsufficientCredits", false)]
        [InlineData(403, "Forbidden", false)]
        [InlineData(404, "TaskNotFound", false)]
        [InlineData(410, "TaskNotFound", false)]
        [InlineData(429, "RateLimited", true)]
        [InlineData(500, "ServerError", true)]
        [InlineData(502, "ServerError", true)]
        [InlineData(503, "ServerError", true)]
        [InlineData(504, "ServerError", true)]
        [InlineData(418, "UnexpectedResponse", false)]
        [InlineData(302, "UnexpectedResponse", false)]
        public void ErrorIdAndTransience_FollowTheStatus(int status, string errorId, bool transient)
        {
            SeedanceApiException e = SeedanceApiException.FromResponse((HttpStatusCode)status, @"{""message"":""m""}", "recordInfo", null);
            Assert.Equal(errorId, e.ErrorId);
            Assert.Equal(transient, e.IsTransient);
            Assert.Equal((HttpStatusCode)status, e.StatusCode);
        }

        [Theory]
        [InlineData(400, "Bad Request", "invalid taskId")]
        [InlineData(401, "Unauthorized", "Invalid API key")]
        [InlineData(403, "Forbidden", "API access not enabled")]
        [InlineData(404, "Not Found", "task not found")]
        [InlineData(500, "Internal Server Error", "internal error, safe to retry")]
        [InlineData(502, "Bad Gateway", "upstream failed")]
        [InlineData(503, "Service Unavailable", "maintenance")]
        public void JsonBody_MessageIsTheApiMessage(int status, string reason, string message)
        {
            SeedanceApiException e = SeedanceApiException.FromResponse((HttpStatusCode)status, $@"{{""message"":""{message}"",""other"":1}}", "recordInfo", null);

            Assert.Equal(message, e.ApiMessage);
            Assert.Equal("recordInfo", e.Operation);
            Assert.Contains("recordInfo", e.Message);
            Assert.Contains(status.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message);
            Assert.Contains(reason, e.Message);
            Assert.Contains(message, e.Message);
            Assert.Null(e.RequiredCredits);
            Assert.Null(e.AvailableCredits);
            Assert.Null(e.Limit);
            Assert.Null(e.Current);
        }

        [Fact]
        public void MsgField_IsUsedWhenThereIsNoMessage()
        {
            SeedanceApiException e = SeedanceApiException.FromResponse(HttpStatusCode.BadRequest, @"{""msg"":""unknown model""}", "createTask", null);
            Assert.Equal("unknown model", e.ApiMessage);
        }

        [Fact]
        public void BadRequest_WithErrorsArray_KeepsTheMessage()
        {
            SeedanceApiException e = SeedanceApiException.FromResponse(HttpStatusCode.BadRequest,
                @"{""message"":""Invalid parameters"",""errors"":[{""path"":""inputs.duration"",""message"":""must be 4-15""}]}", "createTask", null);

            Assert.Equal("Invalid parameters", e.ApiMessage);
            Assert.Equal("InvalidRequest", e.ErrorId);
        }

        [Theory]
        [InlineData(@"{""message"":""Insufficient credits"",""required"":320,""available"":100.5}", "320", "100.5")]
        [InlineData(@"{""message"":""Insufficient credits"",""required"":""600"",""available"":""0""}", "600", "0")]
        public void PaymentRequired_ReadsRequiredAndAvailable(string body, string required, string available)
        {
            SeedanceApiException e = SeedanceApiException.FromResponse(HttpStatusCode.PaymentRequired, body, "createTask", null);

            Assert.Equal("InsufficientCredits", e.ErrorId);
            Assert.False(e.IsTransient);
            Assert.Equal("Insufficient credits", e.ApiMessage);
            Assert.Equal(decimal.Parse(required, System.Globalization.CultureInfo.InvariantCulture), e.RequiredCredits);
            Assert.Equal(decimal.Parse(available, System.Globalization.CultureInfo.InvariantCulture), e.AvailableCredits);
            Assert.Contains("Payment Required", e.Message);
        }

        [Fact]
        public void TooManyRequests_ReadsLimitAndCurrent()
        {
            SeedanceApiException e = SeedanceApiException.FromResponse((HttpStatusCode)429,
                @"{""message"":""Concurrency limit reached"",""limit"":3,""current"":3}", "createTask", null);

            Assert.Equal("RateLimited", e.ErrorId);
            Assert.True(e.IsTransient);
            Assert.Equal(3, e.Limit);
            Assert.Equal(3, e.Current);
            Assert.Equal("Concurrency limit reached", e.ApiMessage);
            Assert.Null(e.RequiredCredits);
        }

        [Theory]
        [InlineData(400)]
        [InlineData(401)]
        [InlineData(402)]
        [InlineData(403)]
        [InlineData(404)]
        [InlineData(429)]
        [InlineData(500)]
        [InlineData(502)]
        [InlineData(503)]
        public void NonJsonBody_IsTheMessage(int status)
        {
            const string html = "<html><body><h1>Gateway error</h1></body></html>";
            SeedanceApiException e = SeedanceApiException.FromResponse((HttpStatusCode)status, "  " + html + "\n", "recordInfo", null);

            Assert.Equal(html, e.ApiMessage);
            Assert.Contains(html, e.Message);
            Assert.Equal(SeedanceApiException.FromResponse((HttpStatusCode)status, "{}", "recordInfo", null).ErrorId, e.ErrorId); // by the status alone
            Assert.Null(e.Limit);
            Assert.Null(e.AvailableCredits);
        }

        [Theory]
        [InlineData(null, "Service Unavailable")]
        [InlineData("", "Service Unavailable")]
        [InlineData("   ", "Service Unavailable")]
        public void EmptyBody_UsesTheReasonPhrase(string? body, string reason)
        {
            SeedanceApiException e = SeedanceApiException.FromResponse(HttpStatusCode.ServiceUnavailable, body, "recordInfo", null);
            Assert.Equal(reason, e.ApiMessage);
            Assert.True(e.IsTransient);
        }

        [Theory]
        [InlineData(@"[1,2,3]")]
        [InlineData(@"""just a string""")]
        [InlineData(@"{""error"":""no message field""}")]
        public void JsonWithoutMessage_FallsBackToTheBodyText(string body)
        {
            SeedanceApiException e = SeedanceApiException.FromResponse(HttpStatusCode.BadRequest, body, "createTask", null);
            Assert.Equal(body, e.ApiMessage);
        }

        [Fact]
        public void VeryLongBody_IsShortened()
        {
            string body = new string('x', 5000);
            SeedanceApiException e = SeedanceApiException.FromResponse(HttpStatusCode.BadGateway, body, "download", null);
            Assert.True(e.ApiMessage.Length <= 501, $"ApiMessage has {e.ApiMessage.Length} characters");
            Assert.StartsWith(new string('x', 500), e.ApiMessage, StringComparison.Ordinal);
        }

        [Fact]
        public void RetryAfter_IsNullUntilSet()
        {
            SeedanceApiException e = SeedanceApiException.FromResponse((HttpStatusCode)429, "{}", "createTask", null);
            Assert.Null(e.RetryAfter);
        }
    }
}
