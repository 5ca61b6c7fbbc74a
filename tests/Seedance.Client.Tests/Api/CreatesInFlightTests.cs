using System;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Xunit;

namespace Seedance.Client.Tests
{
    public sealed class CreatesInFlightTests
    {
        [Fact]
        public async Task AStopWhileCreatesAreOnTheirWay_SaysAtOnceHowLongItWaits_Once()
        {
            CreatesInFlight inFlight = new CreatesInFlight();
            Assert.Null(inFlight.StopNotice(TimeSpan.FromSeconds(10))); // nothing on its way: the stop is immediate
            TaskCompletionSource<string> answer = new TaskCompletionSource<string>();
            Task<string> first = inFlight.SendAsync(CancellationToken.None, TimeSpan.FromSeconds(1), _ => answer.Task);
            Task<string> second = inFlight.SendAsync(CancellationToken.None, TimeSpan.FromSeconds(1), _ => answer.Task);
            Assert.Null(inFlight.StopNotice(TimeSpan.Zero)); // no grace: nothing is waited for
            Assert.Equal("Stopping: waiting up to 0.5 s for the answers to 2 creates already sent, so their tasks are not lost.", inFlight.StopNotice(TimeSpan.FromSeconds(0.5)));
            Assert.Null(inFlight.StopNotice(TimeSpan.FromSeconds(0.5)));

            answer.SetResult("task_1");
            Assert.Equal(new[] { "task_1", "task_1" }, await Task.WhenAll(first, second));
            Assert.Equal(0, inFlight.Count); // answered: no longer on their way
        }

        [Fact]
        public void AStopWithOneCreateOnItsWay_NamesOne()
        {
            CreatesInFlight inFlight = new CreatesInFlight();
            _ = inFlight.SendAsync(CancellationToken.None, TimeSpan.FromSeconds(1), _ => new TaskCompletionSource<string>().Task);
            Assert.Equal("Stopping: waiting up to 10 s for the answer to 1 create already sent, so its task is not lost.", inFlight.StopNotice(TimeSpan.FromSeconds(10)));
        }
    }
}
