using System;
using Seedance.Client.Http;
using Xunit;

namespace Seedance.Client.Tests
{
    public class BaseUriPolicyTests
    {
        [Theory]
        [InlineData("https://seedance2-pro.com/api/v1")]
        [InlineData("https://api.kinovi.ai/v1/")]
        [InlineData("http://localhost:5099/api/v1")]
        [InlineData("http://127.0.0.1:5099/api/v1")]
        [InlineData("http://127.0.0.2/api")]
        [InlineData("http://[::1]:8080/api/v1")]
        public void Accepted(string uri)
        {
            Assert.Null(BaseUriPolicy.Check(new Uri(uri)));
            Assert.Equal(new Uri(uri), BaseUriPolicy.EnsureValid(new Uri(uri)));
        }

        [Theory]
        [InlineData("http://seedance2-pro.com/api/v1", "clear text")]
        [InlineData("http://192.168.1.10:5099/api/v1", "clear text")]
        [InlineData("http://localhost.evil.example/api", "clear text")]
        [InlineData("ftp://seedance2-pro.com/api/v1", "https")]
        [InlineData("file:///etc/passwd", "https")]
        public void Refused(string uri, string reason)
        {
            string? problem = BaseUriPolicy.Check(new Uri(uri));
            Assert.NotNull(problem);
            Assert.Contains(reason, problem);
            ArgumentException e = Assert.Throws<ArgumentException>(() => BaseUriPolicy.EnsureValid(new Uri(uri)));
            Assert.Equal("baseUri", e.ParamName);
        }

        [Fact]
        public void RelativeOrMissing_IsRefused()
        {
            Assert.Contains("not an absolute URI", BaseUriPolicy.Check(new Uri("/api/v1", UriKind.Relative)));
            Assert.Contains("not an absolute URI", BaseUriPolicy.Check(null));
        }

        [Fact]
        public void ClientOptions_RefuseAnInsecureBaseUri()
        {
            Assert.Throws<ArgumentException>(() => new SeedanceClientOptions(new Uri("http://example.com/api/v1"), new ApiKey("k")));
        }

        [Fact]
        public void ClientOptions_DefaultBaseUri_IsTheDocumentedOne()
        {
            Assert.Equal("https://seedance2-pro.com/api/v1", SeedanceClientOptions.DefaultBaseUri.OriginalString.TrimEnd('/'));
            Assert.Null(BaseUriPolicy.Check(SeedanceClientOptions.DefaultBaseUri));
        }
    }
}
