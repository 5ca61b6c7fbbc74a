using System;
using Seedance.Client.Http;
using Xunit;

namespace Seedance.Client.Tests
{
    public sealed class CreatesInFlightTests
    {
        [Fact]
        public void AStopWhileCreatesAreOnTheirWay_SaysAtOnceHowLongItWaits_Once()
        {
            CreatesInFlight inFlight = new CreatesInFlight();
            Assert.Null(inFlight.StopNotice(TimeSpan.FromSeconds(10))); // nothing on its way: the stop is immediate
            inFlight.Enter();
            inFlight.Enter();
            Assert.Null(inFlight.StopNotice(TimeSpan.Zero)); // no grace: nothing is waited for
            Assert.Equal("Stopping: waiting up to 0.5 s for the answers to 2 creates already sent, so their tasks are not lost.", inFlight.StopNotice(TimeSpan.FromSeconds(0.5)));
            Assert.Null(inFlight.StopNotice(TimeSpan.FromSeconds(0.5)));
        }

        [Fact]
        public void AStopWithOneCreateOnItsWay_NamesOne()
        {
            CreatesInFlight inFlight = new CreatesInFlight();
            inFlight.Enter();
            Assert.Equal("Stopping: waiting up to 10 s for the answer to 1 create already sent, so its task is not lost.", inFlight.StopNotice(TimeSpan.FromSeconds(10)));
        }
    }
}
