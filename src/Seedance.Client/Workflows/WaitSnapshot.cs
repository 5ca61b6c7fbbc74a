using System;
using System.Collections.Generic;
using Seedance.Client.Models;

namespace Seedance.Client.Waiting
{
    /// <summary>Where a batch wait stands: for progress bars.</summary>
    public sealed class WaitSnapshot
    {
        public WaitSnapshot(IReadOnlyList<SeedanceTask> running, int total, int finished, int failed, TimeSpan elapsed)
        {
            Running = running;
            Total = total;
            Finished = finished;
            Failed = failed;
            Elapsed = elapsed;
        }

        public IReadOnlyList<SeedanceTask> Running { get; }
        public int Total { get; }

        /// <summary>Tasks that reached a final state (including failed ones).</summary>
        public int Finished { get; }

        /// <summary>Tasks that failed, or could not be read.</summary>
        public int Failed { get; }
        public TimeSpan Elapsed { get; }
    }
}
