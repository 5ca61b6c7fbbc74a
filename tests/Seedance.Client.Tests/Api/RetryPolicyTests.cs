using System;
using System.Collections.Generic;
using System.Linq;
using Seedance.Client.Http;
using Xunit;

namespace Seedance.Client.Tests
{
    public class RetryPolicyTests
    {
        private const int Samples = 300;

        [Fact]
        public void Attempts_AreBoundedByMaxAttempts()
        {
            RetryPolicy policy = new RetryPolicy { MaxAttempts = 3, BaseDelay = TimeSpan.FromMilliseconds(10), MaxTotalTime = TimeSpan.FromHours(1) };

            Assert.NotNull(policy.DelayBefore(2, TimeSpan.Zero, null));
            Assert.NotNull(policy.DelayBefore(3, TimeSpan.Zero, null));
            Assert.Null(policy.DelayBefore(4, TimeSpan.Zero, null));
            Assert.Null(policy.DelayBefore(10, TimeSpan.Zero, null));

            // A Retry-After does not buy extra attempts.
            Assert.Null(policy.DelayBefore(4, TimeSpan.Zero, TimeSpan.Zero));
        }

        [Fact]
        public void None_NeverRetries()
        {
            Assert.Null(RetryPolicy.None.DelayBefore(2, TimeSpan.Zero, null));
            Assert.Null(RetryPolicy.None.DelayBefore(2, TimeSpan.Zero, TimeSpan.Zero));
        }

        [Fact]
        public void TotalTime_IsBounded()
        {
            RetryPolicy policy = new RetryPolicy
            {
                MaxAttempts = 100,
                BaseDelay = TimeSpan.FromSeconds(1),
                MaxDelay = TimeSpan.FromSeconds(1),
                MaxTotalTime = TimeSpan.FromSeconds(10),
            };

            // The first retry waits 0.5–1 s: fits after 5 s, never after 9.6 s, never once the budget is spent.
            Assert.NotNull(policy.DelayBefore(2, TimeSpan.FromSeconds(5), null));
            Assert.Null(policy.DelayBefore(2, TimeSpan.FromSeconds(9.6), null));
            Assert.Null(policy.DelayBefore(2, TimeSpan.FromSeconds(10), null));
            Assert.Null(policy.DelayBefore(2, TimeSpan.FromMinutes(5), null));
        }

        [Fact]
        public void TotalTime_AppliesToRetryAfterToo()
        {
            RetryPolicy policy = new RetryPolicy { MaxAttempts = 10, MaxTotalTime = TimeSpan.FromSeconds(30) };

            Assert.Equal(TimeSpan.FromSeconds(20), policy.DelayBefore(2, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20)));
            Assert.Null(policy.DelayBefore(2, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(20)));
            Assert.Null(policy.DelayBefore(2, TimeSpan.Zero, TimeSpan.FromMinutes(5)));
        }

        [Theory]
        [InlineData(0)]
        [InlineData(250)]
        [InlineData(7000)]
        public void RetryAfter_IsHonouredExactly(int milliseconds)
        {
            RetryPolicy policy = new RetryPolicy { MaxAttempts = 5, BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(2) };
            TimeSpan retryAfter = TimeSpan.FromMilliseconds(milliseconds);

            for (int attempt = 2; attempt <= 5; attempt++)
            {
                Assert.Equal(retryAfter, policy.DelayBefore(attempt, TimeSpan.Zero, retryAfter));
            }
        }

        [Fact]
        public void Backoff_StaysWithinHalfToAllOfTheCappedExponential()
        {
            RetryPolicy policy = new RetryPolicy
            {
                MaxAttempts = 12,
                BaseDelay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromMilliseconds(3000),
                MaxTotalTime = TimeSpan.FromHours(1),
            };

            for (int attempt = 2; attempt <= 12; attempt++)
            {
                // Retry n (= attempt - 1) waits base × 2^(n-1), capped at MaxDelay, then 50–100 % of that.
                double capped = Math.Min(100 * Math.Pow(2, attempt - 2), 3000);
                foreach (TimeSpan delay in Sample(policy, attempt))
                {
                    Assert.InRange(delay.TotalMilliseconds, capped * 0.5 - 0.001, capped + 0.001);
                }
            }
        }

        [Fact]
        public void Backoff_Grows_UntilTheCap()
        {
            RetryPolicy policy = new RetryPolicy
            {
                MaxAttempts = 20,
                BaseDelay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromMilliseconds(1600),
                MaxTotalTime = TimeSpan.FromHours(1),
            };

            // Uncapped, each retry's range [c/2, c] lies wholly at or above the previous one's [c/4, c/2].
            for (int attempt = 2; attempt <= 5; attempt++)
            {
                List<TimeSpan> now = Sample(policy, attempt);
                List<TimeSpan> next = Sample(policy, attempt + 1);
                Assert.True(now.Max() <= next.Min(), $"attempt {attempt}: max {now.Max()} > next min {next.Min()}");
                Assert.True(now.Average(d => d.TotalMilliseconds) < next.Average(d => d.TotalMilliseconds));
            }

            // Past the cap, the delay never exceeds MaxDelay however many retries.
            Assert.All(Sample(policy, 20), d => Assert.InRange(d.TotalMilliseconds, 800 - 0.001, 1600 + 0.001));
        }

        [Fact]
        public void Backoff_IsJittered()
        {
            RetryPolicy policy = new RetryPolicy { MaxAttempts = 5, BaseDelay = TimeSpan.FromSeconds(1), MaxTotalTime = TimeSpan.FromHours(1) };
            Assert.True(Sample(policy, 3).Distinct().Count() > 10, "backoff delays should not all be equal");
        }

        [Fact]
        public void Defaults_AreSane()
        {
            RetryPolicy policy = new RetryPolicy();
            Assert.True(policy.MaxAttempts > 1);
            Assert.True(policy.BaseDelay > TimeSpan.Zero);
            Assert.True(policy.MaxDelay >= policy.BaseDelay);
            Assert.True(policy.MaxTotalTime >= policy.MaxDelay);
        }

        // ---- Retry-After as the service sends it: seconds or an HTTP date ----

        private static TimeSpan? RetryAfterOf(string? header)
        {
            using System.Net.Http.HttpResponseMessage response = new System.Net.Http.HttpResponseMessage((System.Net.HttpStatusCode)429);
            if (header is not null)
            {
                response.Headers.TryAddWithoutValidation("Retry-After", header);
            }

            return HttpFailures.RetryAfterOf(response);
        }

        [Theory]
        [InlineData("0", 0)]
        [InlineData("1", 1)]
        [InlineData("120", 120)]
        public void RetryAfter_Seconds_AreReadExactly(string header, int seconds)
        {
            Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfterOf(header));
        }

        [Fact]
        public void RetryAfter_HttpDate_IsTheTimeUntilThatDate()
        {
            string inTenSeconds = DateTimeOffset.UtcNow.AddSeconds(10).ToString("r", System.Globalization.CultureInfo.InvariantCulture);

            TimeSpan? delay = RetryAfterOf(inTenSeconds);

            // Whole seconds on the wire, and a little time passes: between 8 and 10 s.
            Assert.NotNull(delay);
            Assert.InRange(delay!.Value.TotalSeconds, 8, 10.001);
        }

        [Fact]
        public void RetryAfter_HttpDateInThePast_IsZero_NeverNegative()
        {
            string past = DateTimeOffset.UtcNow.AddMinutes(-3).ToString("r", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(TimeSpan.Zero, RetryAfterOf(past));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("soon")]
        [InlineData("-5")]
        public void RetryAfter_AbsentOrUnreadable_IsNull_SoTheBackoffApplies(string? header)
        {
            Assert.Null(RetryAfterOf(header));
        }

        private static List<TimeSpan> Sample(RetryPolicy policy, int attempt)
        {
            List<TimeSpan> delays = new List<TimeSpan>();
            for (int i = 0; i < Samples; i++)
            {
                TimeSpan? delay = policy.DelayBefore(attempt, TimeSpan.Zero, null);
                Assert.NotNull(delay);
                delays.Add(delay!.Value);
            }

            return delays;
        }
    }
}
