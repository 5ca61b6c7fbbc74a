using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Seedance.Client.Models;

namespace Seedance.Client.Waiting
{
    /// <summary>
    /// Waits for many tasks with one polling loop: a bounded number of status requests in flight, each task polled
    /// on its own schedule, and each reported the moment it finishes (completion order, not input order).
    /// </summary>
    public sealed class TaskWaiter
    {
        private readonly Func<string, CancellationToken, Task<SeedanceTask>> _poll;
        private readonly WaitOptions _options;
        private readonly PollSchedule _schedule;

        public TaskWaiter(SeedanceClient client, WaitOptions options)
            : this(client.GetTaskAsync, options)
        {
        }

        public TaskWaiter(Func<string, CancellationToken, Task<SeedanceTask>> poll, WaitOptions options)
        {
            _poll = poll;
            _options = options;
            _schedule = new PollSchedule(options.PollInterval);
        }

        /// <summary>Called on a finished task (Success or Fail).</summary>
        public Action<SeedanceTask>? Finished { get; set; }

        /// <summary>Called when a task could not be read (e.g. 404); the task is dropped from the wait.</summary>
        public Action<SeedanceTask, Exception>? PollFailed { get; set; }

        /// <summary>Called after every status change, with all tasks still being waited for.</summary>
        public Action<WaitSnapshot>? Changed { get; set; }

        /// <summary>Waits until every task has finished, the timeout passes, or (with Any) one has finished.</summary>
        /// <returns>The tasks still unfinished when the wait ended (empty when all finished).</returns>
        public async Task<IReadOnlyList<SeedanceTask>> WaitAsync(IEnumerable<SeedanceTask> tasks, CancellationToken cancellationToken)
        {
            Stopwatch clock = Stopwatch.StartNew();
            List<Entry> pending = new List<Entry>();
            foreach (SeedanceTask task in tasks)
            {
                // A task known only by id is read at once; a task we just created is first read one interval later.
                TimeSpan firstPoll = task.Status == SeedanceTaskStatus.Unknown && task.StatusText is null ? TimeSpan.Zero : _schedule.NextDelay(TimeSpan.Zero);
                pending.Add(new Entry(task, firstPoll));
            }

            Dictionary<Task<SeedanceTask>, Entry> inFlight = new Dictionary<Task<SeedanceTask>, Entry>();
            int total = pending.Count, finished = 0, failed = 0;
            Report(pending, total, finished, failed, clock.Elapsed);
            int throttle = Math.Max(1, _options.ThrottleLimit);
            while (pending.Count > 0 && !(_options.Any && finished > 0))
            {
                cancellationToken.ThrowIfCancellationRequested();
                TimeSpan now = clock.Elapsed;
                if (_options.Timeout is not null && now >= _options.Timeout.Value)
                {
                    break;
                }

                foreach (Entry entry in pending.Where(e => !e.InFlight && e.DueAt <= now).OrderBy(e => e.DueAt).Take(throttle - inFlight.Count).ToList())
                {
                    entry.InFlight = true;
                    inFlight.Add(_poll(entry.Task.TaskId, cancellationToken), entry);
                }

                await WaitForNextEventAsync(pending, inFlight.Keys, now, inFlight.Count < throttle, cancellationToken).ConfigureAwait(false);
                foreach (Task<SeedanceTask> done in inFlight.Keys.Where(t => t.IsCompleted).ToList())
                {
                    Entry entry = inFlight[done];
                    inFlight.Remove(done);
                    entry.InFlight = false;
                    if (done.IsCanceled)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    if (done.IsFaulted)
                    {
                        pending.Remove(entry);
                        failed++;
                        PollFailed?.Invoke(entry.Task, done.Exception!.GetBaseException());
                        continue;
                    }

                    SeedanceTask latest = done.Result;
                    latest.CarryOverFrom(entry.Task);
                    entry.Task = latest;
                    if (latest.IsFinished)
                    {
                        pending.Remove(entry);
                        finished++;
                        if (latest.Status == SeedanceTaskStatus.Fail)
                        {
                            failed++;
                        }

                        Finished?.Invoke(latest);
                    }
                    else
                    {
                        entry.DueAt = clock.Elapsed + _schedule.NextDelay(clock.Elapsed);
                    }
                }

                Report(pending, total, finished, failed, clock.Elapsed);
            }

            return pending.Select(e => e.Task).ToList();
        }

        /// <summary>Sleeps until a request completes, the next poll is due, or the deadline, whichever is first.</summary>
        private async Task WaitForNextEventAsync(List<Entry> pending, IEnumerable<Task<SeedanceTask>> inFlight, TimeSpan now, bool slotFree, CancellationToken cancellationToken)
        {
            TimeSpan wake = TimeSpan.FromHours(1);
            foreach (Entry entry in pending)
            {
                // With every slot taken, a due poll cannot start until a request completes: waking for it would spin.
                if (slotFree && !entry.InFlight && entry.DueAt - now < wake)
                {
                    wake = entry.DueAt - now;
                }
            }

            if (_options.Timeout is not null && _options.Timeout.Value - now < wake)
            {
                wake = _options.Timeout.Value - now;
            }

            if (wake < TimeSpan.Zero)
            {
                wake = TimeSpan.Zero;
            }

            using CancellationTokenSource sleep = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task delay = Task.Delay(wake, sleep.Token);
            await Task.WhenAny(inFlight.Cast<Task>().Append(delay)).ConfigureAwait(false);
            sleep.Cancel();
        }

        private void Report(List<Entry> pending, int total, int finished, int failed, TimeSpan elapsed) =>
            Changed?.Invoke(new WaitSnapshot(pending.Select(e => e.Task).ToList(), total, finished, failed, elapsed));

        private sealed class Entry
        {
            public Entry(SeedanceTask task, TimeSpan dueAt)
            {
                Task = task;
                DueAt = dueAt;
            }

            public SeedanceTask Task { get; set; }
            public TimeSpan DueAt { get; set; }
            public bool InFlight { get; set; }
        }
    }
}
