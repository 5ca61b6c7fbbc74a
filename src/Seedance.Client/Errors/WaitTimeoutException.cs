using System;
using System.Globalization;
using Seedance.Client.Models;

namespace Seedance.Client
{
    /// <summary>
    /// A task was still running when a wait's deadline passed. The task is not cancelled (the API cannot cancel) and
    /// is still billed: it travels with the exception so the script can wait for it again later.
    /// </summary>
    public sealed class WaitTimeoutException : SeedanceException
    {
        public WaitTimeoutException(SeedanceTask task, TimeSpan timeout)
            : base("WaitTimeout", string.Format(CultureInfo.InvariantCulture,
                "Task {0} was still {1} after {2:0.###} s. It keeps running (and is billed); wait for it again later, e.g. from -ErrorVariable.",
                task.TaskId, task.StatusText ?? "running", timeout.TotalSeconds), task, null)
        {
            Task = task;
            Timeout = timeout;
        }

        public SeedanceTask Task { get; }

        /// <summary>How long the wait lasted.</summary>
        public TimeSpan Timeout { get; }
    }
}
