using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Timing;

namespace Seedance.Client.Tests.TestSupport
{
    /// <summary>
    /// A clock whose delays complete at once and move its time forward by what was asked: code that backs off
    /// for minutes runs through in microseconds, and the test reads every delay it asked for.
    /// </summary>
    public sealed class VirtualClock : SeedanceClock
    {
        private long _ticks;

        public ConcurrentQueue<TimeSpan> Delays { get; } = new ConcurrentQueue<TimeSpan>();

        public override TimeSpan Now => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

        public override Task Delay(TimeSpan delay, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Delays.Enqueue(delay);
            if (delay > TimeSpan.Zero)
            {
                Advance(delay);
            }

            return Task.CompletedTask;
        }
    }
}
