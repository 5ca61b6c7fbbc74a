using System;
using System.Collections.Generic;
using System.Linq;
using Seedance.Client.Waiting;
using Xunit;

namespace Seedance.Client.Tests
{
    public class PollScheduleTests
    {
        private static List<double> Sample(WaitOptions schedule, TimeSpan waited) =>
            Enumerable.Range(0, 300).Select(_ => schedule.NextPollDelay(waited).TotalSeconds).ToList();

        [Fact]
        public void FixedInterval_IsUsedAsIs()
        {
            WaitOptions schedule = new WaitOptions { PollInterval = TimeSpan.FromMilliseconds(250) };
            Assert.Equal(TimeSpan.FromMilliseconds(250), schedule.NextPollDelay(TimeSpan.Zero));
            Assert.Equal(TimeSpan.FromMilliseconds(250), schedule.NextPollDelay(TimeSpan.FromHours(1)));
        }

        /// <summary>The adaptive table: base interval by time waited; jitter only shortens it, to 80–100 %.</summary>
        [Theory]
        [InlineData(0, 2.5)]
        [InlineData(19, 2.5)]
        [InlineData(20, 3)]
        [InlineData(59, 3)]
        [InlineData(60, 5)]
        [InlineData(119, 5)]
        [InlineData(120, 10)]
        [InlineData(299, 10)]
        [InlineData(300, 15)]
        [InlineData(3600, 15)]
        public void Adaptive_FollowsTheTable_JitterOnlyShortens(int waitedSeconds, double baseSeconds)
        {
            List<double> delays = Sample(new WaitOptions(), TimeSpan.FromSeconds(waitedSeconds));

            Assert.All(delays, d => Assert.InRange(d, baseSeconds * 0.8 - 1e-9, baseSeconds + 1e-9));
            Assert.True(delays.Distinct().Count() > 10, "delays should be jittered");
        }

        [Fact]
        public void Adaptive_NeverExceedsFifteenSeconds_AndGrowsOnAverage()
        {
            WaitOptions schedule = new WaitOptions();
            double[] means = new[] { 0, 30, 90, 180, 600 }
                .Select(s => Sample(schedule, TimeSpan.FromSeconds(s)).Average())
                .ToArray();

            for (int i = 1; i < means.Length; i++)
            {
                Assert.True(means[i] >= means[i - 1], $"mean delay fell from {means[i - 1]} to {means[i]}");
            }

            Assert.All(Sample(schedule, TimeSpan.FromDays(1)), d => Assert.True(d <= 15));
        }
    }
}
