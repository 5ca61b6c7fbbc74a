using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Models;
using Seedance.Client.Waiting;
using Seedance.Client.Workflows;
using Xunit;

namespace Seedance.Client.Tests
{
    internal static class TaskWaiterExtensions
    {
        /// <summary>Waits for <paramref name="tasks"/> and nothing else; returns the ones unfinished at the end.</summary>
        public static async Task<IReadOnlyList<SeedanceTask>> WaitAsync(this TaskWaiter waiter, IEnumerable<SeedanceTask> tasks, CancellationToken cancellationToken)
        {
            foreach (SeedanceTask task in tasks)
            {
                waiter.Add(task);
            }

            waiter.CompleteAdding();
            await waiter.RunAsync(cancellationToken).ConfigureAwait(false);
            return waiter.Unfinished;
        }
    }

    public class TaskWaiterTests
    {
        /// <summary>A generous guard so a broken waiter fails the test instead of hanging the run; not a timing assertion.</summary>
        private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(20);

        private static WaitOptions Options(int throttle = 8, TimeSpan? timeout = null, bool any = false) => new WaitOptions
        {
            ThrottleLimit = throttle,
            PollInterval = TimeSpan.FromMilliseconds(10),
            Timeout = timeout,
            Any = any,
        };

        /// <summary>Only the events of one kind.</summary>
        private static Action<WaitEvent> On(WaitEventKind kind, Action<WaitEvent> handle) => e =>
        {
            if (e.Kind == kind)
            {
                handle(e);
            }
        };

        /// <summary>A catalogued model whose charge settles after success (extend): the client's rule reads such a task again.</summary>
        private const string SettlingModel = "seedance2-5-extend";

        /// <summary>The options with the client's charge rule (the catalog; no journal).</summary>
        private static WaitOptions Settling(WaitOptions options)
        {
            options.Charges = new Workflows.ChargeSettling(Pricing.PriceTable.Default, Journal.TaskJournal.Disabled);
            return options;
        }

        private static Action<WaitEvent> Settled(List<bool> settled) => e =>
        {
            if (e.ChargeSettled is bool ok)
            {
                settled.Add(ok);
            }
        };

        private static SeedanceTask Result(string id, string status) => new SeedanceTask(id)
        {
            Status = status,
            StatusText = status.ToLowerInvariant(),
        };

        /// <summary>A fake service: each task id finishes with Success on its Nth poll (int.MaxValue: never).</summary>
        private sealed class ScriptedService
        {
            private readonly Dictionary<string, int> _finishOnPoll;
            private readonly ConcurrentDictionary<string, int> _polls = new ConcurrentDictionary<string, int>();
            private int _inFlight;
            private int _maxInFlight;

            public ScriptedService(Dictionary<string, int> finishOnPoll, int pollMilliseconds = 0)
            {
                _finishOnPoll = finishOnPoll;
                PollMilliseconds = pollMilliseconds;
            }

            public int PollMilliseconds { get; }
            public int MaxInFlight => Volatile.Read(ref _maxInFlight);
            public int PollsOf(string id) => _polls.TryGetValue(id, out int n) ? n : 0;
            public int TotalPolls => _polls.Values.Sum();

            public async Task<SeedanceTask> Poll(string id, CancellationToken cancellationToken)
            {
                int now = Interlocked.Increment(ref _inFlight);
                int seen;
                while ((seen = Volatile.Read(ref _maxInFlight)) < now && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen)
                {
                }

                try
                {
                    await Task.Delay(PollMilliseconds, cancellationToken).ConfigureAwait(false);
                    int n = _polls.AddOrUpdate(id, 1, (_, c) => c + 1);
                    return n >= _finishOnPoll[id]
                        ? Result(id, SeedanceTaskStatus.Success)
                        : Result(id, SeedanceTaskStatus.Generating);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            }
        }

        private static async Task<T> Guarded<T>(Task<T> task)
        {
            Task winner = await Task.WhenAny(task, Task.Delay(HangGuard)).ConfigureAwait(false);
            Assert.True(winner == task, "the wait did not end");
            return await task.ConfigureAwait(false);
        }

        [Fact]
        public async Task Tasks_AreEmittedInCompletionOrder_NotInputOrder()
        {
            ScriptedService service = new ScriptedService(new Dictionary<string, int> { ["slow"] = 8, ["medium"] = 4, ["fast"] = 1 });
            List<string> finished = new List<string>();
            TaskWaiter waiter = new TaskWaiter(service.Poll, Options(), On(WaitEventKind.Finished, e => finished.Add(e.Task!.TaskId)));

            IReadOnlyList<SeedanceTask> left = await Guarded(waiter.WaitAsync(
                new[] { new SeedanceTask("slow"), new SeedanceTask("medium"), new SeedanceTask("fast") }, CancellationToken.None));

            Assert.Empty(left);
            Assert.Equal(new[] { "fast", "medium", "slow" }, finished);
            Assert.Equal(1, service.PollsOf("fast"));
            Assert.Equal(4, service.PollsOf("medium"));
            Assert.Equal(8, service.PollsOf("slow"));
        }

        [Fact]
        public async Task FinishedTasks_AreNotPolledAgain()
        {
            ScriptedService service = new ScriptedService(new Dictionary<string, int> { ["a"] = 2, ["b"] = 6 });
            TaskWaiter waiter = new TaskWaiter(service.Poll, Options());

            await Guarded(waiter.WaitAsync(new[] { new SeedanceTask("a"), new SeedanceTask("b") }, CancellationToken.None));

            Assert.Equal(2, service.PollsOf("a"));
            Assert.Equal(6, service.PollsOf("b"));
        }

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        public async Task NeverMoreThanThrottleLimitPollsInFlight(int throttle)
        {
            Dictionary<string, int> script = Enumerable.Range(1, 10).ToDictionary(i => $"t{i}", i => 1 + (i % 3));
            ScriptedService service = new ScriptedService(script, pollMilliseconds: 15);
            int finished = 0;
            TaskWaiter waiter = new TaskWaiter(service.Poll, Options(throttle), On(WaitEventKind.Finished, _ => Interlocked.Increment(ref finished)));

            IReadOnlyList<SeedanceTask> left = await Guarded(waiter.WaitAsync(script.Keys.Select(id => new SeedanceTask(id)).ToList(), CancellationToken.None));

            Assert.Empty(left);
            Assert.Equal(10, finished);
            Assert.Equal(script.Values.Sum(), service.TotalPolls);
            // Ten tasks are due at once, so the limit is reached, and never passed.
            Assert.Equal(throttle, service.MaxInFlight);
        }

        [Fact]
        public async Task Throttled_DoesNotSpinWhileWaitingForASlot()
        {
            // With one slot and two tasks due, the waiter must sleep until the poll in flight ends, not busy-loop.
            // Every pass of the loop reports a snapshot, so the number of snapshots counts the passes.
            TaskCompletionSource<bool> release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            int polls = 0;
            int snapshots = 0;
            TaskWaiter waiter = new TaskWaiter(
                async (id, ct) =>
                {
                    Interlocked.Increment(ref polls);
                    await release.Task.ConfigureAwait(false);
                    return Result(id, SeedanceTaskStatus.Success);
                },
                Options(throttle: 1),
                On(WaitEventKind.Progress, _ => Interlocked.Increment(ref snapshots)));

            // Started on the pool: a spinning waiter would otherwise never hand this thread back.
            Task<IReadOnlyList<SeedanceTask>> wait = Task.Run(() => waiter.WaitAsync(new[] { new SeedanceTask("a"), new SeedanceTask("b") }, CancellationToken.None));
            await Task.Delay(200);
            int snapshotsWhileBlocked = Volatile.Read(ref snapshots);
            release.SetResult(true);
            await Guarded(wait);

            Assert.Equal(2, polls);
            Assert.True(snapshotsWhileBlocked <= 5, $"{snapshotsWhileBlocked} loop passes while nothing could happen");
        }

        [Fact]
        public async Task Timeout_ReturnsTheUnfinishedTasks_WithTheirLatestState()
        {
            ScriptedService service = new ScriptedService(new Dictionary<string, int> { ["done"] = 1, ["stuck1"] = int.MaxValue, ["stuck2"] = int.MaxValue });
            List<string> finished = new List<string>();
            TaskWaiter waiter = new TaskWaiter(service.Poll, Options(timeout: TimeSpan.FromMilliseconds(150)), On(WaitEventKind.Finished, e => finished.Add(e.Task!.TaskId)));

            IReadOnlyList<SeedanceTask> left = await Guarded(waiter.WaitAsync(
                new[] { new SeedanceTask("stuck1"), new SeedanceTask("done"), new SeedanceTask("stuck2") }, CancellationToken.None));

            Assert.Equal(new[] { "stuck1", "stuck2" }, left.Select(t => t.TaskId).OrderBy(i => i, StringComparer.Ordinal).ToArray());
            Assert.All(left, t => Assert.Equal(SeedanceTaskStatus.Generating, t.Status));
            Assert.Equal(new[] { "done" }, finished);
            Assert.True(service.PollsOf("stuck1") >= 1);
        }

        [Fact]
        public async Task Timeout_EndsTheWait_EvenWhileAPollHangs()
        {
            TaskWaiter waiter = new TaskWaiter(
                (id, ct) => new TaskCompletionSource<SeedanceTask>().Task,
                Options(timeout: TimeSpan.FromMilliseconds(100)));

            IReadOnlyList<SeedanceTask> left = await Guarded(waiter.WaitAsync(new[] { new SeedanceTask("hung") }, CancellationToken.None));

            Assert.Equal("hung", Assert.Single(left).TaskId);
        }

        [Fact]
        public async Task Any_ReturnsAfterTheFirstFinishes()
        {
            ScriptedService service = new ScriptedService(new Dictionary<string, int> { ["slow"] = int.MaxValue, ["fast"] = 2, ["slower"] = int.MaxValue });
            List<string> finished = new List<string>();
            TaskWaiter waiter = new TaskWaiter(service.Poll, Options(any: true), On(WaitEventKind.Finished, e => finished.Add(e.Task!.TaskId)));

            IReadOnlyList<SeedanceTask> left = await Guarded(waiter.WaitAsync(
                new[] { new SeedanceTask("slow"), new SeedanceTask("fast"), new SeedanceTask("slower") }, CancellationToken.None));

            Assert.Equal(new[] { "fast" }, finished);
            Assert.Equal(new[] { "slow", "slower" }, left.Select(t => t.TaskId).OrderBy(i => i, StringComparer.Ordinal).ToArray());
        }

        [Fact]
        public async Task Cancellation_ThrowsPromptly_WhenPollsHonourTheToken()
        {
            using CancellationTokenSource cts = new CancellationTokenSource();
            int polls = 0;
            TaskWaiter waiter = new TaskWaiter(
                async (id, ct) =>
                {
                    if (Interlocked.Increment(ref polls) == 3)
                    {
                        cts.Cancel();
                    }

                    await Task.Delay(5, ct).ConfigureAwait(false);
                    return Result(id, SeedanceTaskStatus.Generating);
                },
                Options());

            Task wait = waiter.WaitAsync(new[] { new SeedanceTask("a"), new SeedanceTask("b") }, cts.Token);
            Task winner = await Task.WhenAny(wait, Task.Delay(HangGuard));

            Assert.Same(wait, winner);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        }

        [Fact]
        public async Task Cancellation_ThrowsPromptly_EvenWhenAPollIgnoresTheToken()
        {
            using CancellationTokenSource cts = new CancellationTokenSource();
            TaskCompletionSource<SeedanceTask> never = new TaskCompletionSource<SeedanceTask>();
            TaskWaiter waiter = new TaskWaiter(
                (id, ct) =>
                {
                    cts.Cancel();
                    return never.Task;
                },
                Options());

            Task wait = waiter.WaitAsync(new[] { new SeedanceTask("a") }, cts.Token);
            Task winner = await Task.WhenAny(wait, Task.Delay(HangGuard));

            Assert.Same(wait, winner);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
        }

        [Fact]
        public async Task Cancellation_BeforeStart_Throws()
        {
            int polls = 0;
            TaskWaiter waiter = new TaskWaiter((id, ct) => { polls++; return Task.FromResult(Result(id, SeedanceTaskStatus.Success)); }, Options());

            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => waiter.WaitAsync(new[] { new SeedanceTask("a") }, new CancellationToken(canceled: true)));
            Assert.Equal(0, polls);
        }

        [Fact]
        public async Task APassingOutage_KeepsTheTaskInTheWait_UntilItCanBeReadAgain()
        {
            // The client's own retries are spent twice (a long 503 outage): the task is paid, so it is not dropped.
            SeedanceApiException unavailable = SeedanceApiException.FromResponse(HttpStatusCode.ServiceUnavailable, @"{""message"":""down""}", "recordInfo", null);
            TestSupport.VirtualClock clock = new TestSupport.VirtualClock();
            int polls = 0;
            List<Exception> trouble = new List<Exception>();
            List<string> finished = new List<string>();
            List<string> failed = new List<string>();
            TaskWaiter waiter = new TaskWaiter(
                async (id, ct) =>
                {
                    await Task.Yield();
                    return Interlocked.Increment(ref polls) <= 2 ? throw unavailable : Result(id, SeedanceTaskStatus.Success);
                },
                Options(),
                e =>
                {
                    switch (e.Kind)
                    {
                        case WaitEventKind.ReadTrouble: trouble.Add(e.Error!); break;
                        case WaitEventKind.ReadFailed: failed.Add(e.Task!.TaskId); break;
                        case WaitEventKind.Finished: finished.Add(e.Task!.TaskId); break;
                    }
                },
                clock);

            IReadOnlyList<SeedanceTask> left = await Guarded(waiter.WaitAsync(new[] { new SeedanceTask("flaky") }, CancellationToken.None));

            Assert.Empty(left);
            Assert.Empty(failed);
            Assert.Equal(new[] { "flaky" }, finished);
            Assert.Equal(2, trouble.Count);
            Assert.True(clock.Now >= TimeSpan.FromSeconds(30), $"asked again after {clock.Now.TotalSeconds} s");
        }

        [Fact]
        public async Task AFailedRead_IsTold_AndTheTaskIsDropped()
        {
            SeedanceApiException notFound = SeedanceApiException.FromResponse(HttpStatusCode.NotFound, @"{""message"":""task not found""}", "recordInfo", null);
            ScriptedService service = new ScriptedService(new Dictionary<string, int> { ["good"] = 3 });
            List<(string Id, Exception Error)> failures = new List<(string, Exception)>();
            List<string> finished = new List<string>();
            List<WaitSnapshot> snapshots = new List<WaitSnapshot>();
            int badPolls = 0;
            TaskWaiter waiter = new TaskWaiter(
                async (id, ct) =>
                {
                    if (id == "bad")
                    {
                        Interlocked.Increment(ref badPolls);
                        await Task.Yield();
                        throw notFound;
                    }

                    return await service.Poll(id, ct).ConfigureAwait(false);
                },
                Options(),
                e =>
                {
                    switch (e.Kind)
                    {
                        case WaitEventKind.ReadFailed: failures.Add((e.Task!.TaskId, e.Error!)); break;
                        case WaitEventKind.Finished: finished.Add(e.Task!.TaskId); break;
                        case WaitEventKind.Progress: snapshots.Add(e.Progress!); break;
                    }
                });

            SeedanceTask bad = new SeedanceTask("bad") { Prompt = "the bad one" };
            IReadOnlyList<SeedanceTask> left = await Guarded(waiter.WaitAsync(new[] { bad, new SeedanceTask("good") }, CancellationToken.None));

            (string id, Exception error) = Assert.Single(failures);
            Assert.Equal("bad", id);
            Assert.Same(notFound, error);
            Assert.Equal(1, badPolls);
            Assert.Equal(new[] { "good" }, finished);
            Assert.Empty(left);
            WaitSnapshot last = snapshots.Last();
            Assert.Equal(2, last.Total);
            Assert.Equal(1, last.Finished);
            Assert.Equal(1, last.Failed);
            Assert.Empty(last.Running);
        }

        [Fact]
        public async Task FailedTasks_CountAsFinishedAndFailed()
        {
            List<WaitSnapshot> snapshots = new List<WaitSnapshot>();
            List<SeedanceTask> finished = new List<SeedanceTask>();
            TaskWaiter waiter = new TaskWaiter(
                (id, ct) => Task.FromResult(Result(id, id == "f" ? SeedanceTaskStatus.Fail : SeedanceTaskStatus.Success)),
                Options(),
                e =>
                {
                    if (e.Kind == WaitEventKind.Progress)
                    {
                        snapshots.Add(e.Progress!);
                    }
                    else if (e.Kind == WaitEventKind.Finished)
                    {
                        finished.Add(e.Task!);
                    }
                });

            await Guarded(waiter.WaitAsync(new[] { new SeedanceTask("f"), new SeedanceTask("s") }, CancellationToken.None));

            Assert.Equal(2, finished.Count);
            Assert.Equal(SeedanceTaskStatus.Fail, finished.Single(t => t.TaskId == "f").Status);
            Assert.Equal(2, snapshots.Last().Finished);
            Assert.Equal(1, snapshots.Last().Failed);
            Assert.Equal(2, snapshots.First().Total);
        }

        [Fact]
        public async Task WhatOnlyTheCreatorKnew_IsCarriedOver()
        {
            DateTimeOffset createdAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
            SeedanceTask created = new SeedanceTask("task_c")
            {
                Status = SeedanceTaskStatus.Waiting,
                StatusText = "waiting",
                Prompt = "A paper boat in the rain",
                Duration = 8,
                Ratio = "9:16",
                Model = "seedance2-fast",
                CreatedAt = createdAt,
            };
            int polls = 0;
            SeedanceTask? done = null;
            TaskWaiter waiter = new TaskWaiter(
                (id, ct) => Task.FromResult(Interlocked.Increment(ref polls) < 3
                    ? Result(id, SeedanceTaskStatus.Generating)
                    : new SeedanceTask(id) { Status = SeedanceTaskStatus.Success, StatusText = "success", Model = "seedance2-fast", CreditsUsed = 224m }),
                Options(),
                On(WaitEventKind.Finished, e => done = e.Task));

            await Guarded(waiter.WaitAsync(new[] { created }, CancellationToken.None));

            Assert.NotNull(done);
            Assert.NotSame(created, done);
            Assert.Equal(SeedanceTaskStatus.Success, done!.Status);
            Assert.Equal("A paper boat in the rain", done.Prompt);
            Assert.Equal(8, done.Duration);
            Assert.Equal("9:16", done.Ratio);
            Assert.Equal("seedance2-fast", done.Model);
            Assert.Equal(createdAt, done.CreatedAt);
            Assert.Equal(224m, done.CreditsUsed);
        }

        [Fact]
        public async Task ServiceValues_WinOverCarriedValues()
        {
            SeedanceTask created = new SeedanceTask("t") { Model = "seedance-20", CreatedAt = DateTimeOffset.MinValue };
            DateTimeOffset serviceTime = new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);
            SeedanceTask? done = null;
            TaskWaiter waiter = new TaskWaiter(
                (id, ct) => Task.FromResult(new SeedanceTask(id) { Status = SeedanceTaskStatus.Success, Model = "seedance2-fast", CreatedAt = serviceTime }),
                Options(),
                On(WaitEventKind.Finished, e => done = e.Task));

            await Guarded(waiter.WaitAsync(new[] { created }, CancellationToken.None));

            Assert.Equal("seedance2-fast", done!.Model);
            Assert.Equal(serviceTime, done.CreatedAt);
        }

        [Fact]
        public async Task UnknownStatus_KeepsPolling()
        {
            int polls = 0;
            TaskWaiter waiter = new TaskWaiter(
                (id, ct) => Task.FromResult(Interlocked.Increment(ref polls) < 4
                    ? new SeedanceTask(id) { Status = SeedanceTaskStatus.Unknown, StatusText = "queued_for_review" }
                    : Result(id, SeedanceTaskStatus.Success)),
                Options());

            IReadOnlyList<SeedanceTask> left = await Guarded(waiter.WaitAsync(new[] { new SeedanceTask("t") }, CancellationToken.None));

            Assert.Empty(left);
            Assert.Equal(4, polls);
        }

        [Fact]
        public async Task NoTasks_ReturnsAtOnceWithoutPolling()
        {
            int polls = 0;
            TaskWaiter waiter = new TaskWaiter((id, ct) => { polls++; return Task.FromResult(Result(id, SeedanceTaskStatus.Success)); }, Options());

            IReadOnlyList<SeedanceTask> left = await Guarded(waiter.WaitAsync(Array.Empty<SeedanceTask>(), CancellationToken.None));

            Assert.Empty(left);
            Assert.Equal(0, polls);
        }
    
        /// <summary>
        /// A task whose creditsUsed is <paramref name="reserved"/> while it runs and on success, and becomes
        /// <paramref name="final"/> <paramref name="settleAfter"/> after success (by the injected clock).
        /// </summary>
        private static Func<string, CancellationToken, Task<SeedanceTask>> SettlingService(
            TestSupport.VirtualClock clock, decimal reserved, decimal? final, TimeSpan settleAfter, List<decimal?> seen, int runningPolls = 1, string model = SettlingModel)
        {
            int polls = 0;
            TimeSpan? succeededAt = null;
            return (id, cancellationToken) =>
            {
                polls++;
                SeedanceTask task = Result(id, polls <= runningPolls ? SeedanceTaskStatus.Generating : SeedanceTaskStatus.Success);
                task.Model = model;
                if (task.Status == SeedanceTaskStatus.Success)
                {
                    succeededAt ??= clock.Now;
                }

                task.CreditsUsed = final is decimal settled && succeededAt is TimeSpan at && clock.Now - at >= settleAfter ? settled : reserved;
                seen.Add(task.CreditsUsed);
                return Task.FromResult(task);
            };
        }

        [Fact]
        public async Task ASettlingCharge_IsReadAgainAfterSuccessUntilItChanges_ThenFinishedWithTheFinalCharge()
        {
            TestSupport.VirtualClock clock = new TestSupport.VirtualClock();
            List<decimal?> seen = new List<decimal?>();
            List<(decimal? Credits, bool Settled)> settled = new List<(decimal?, bool)>();
            List<SeedanceTask> finished = new List<SeedanceTask>();
            TaskWaiter waiter = new TaskWaiter(SettlingService(clock, reserved: 175m, final: 525m, settleAfter: TimeSpan.FromSeconds(7), seen), Settling(Options()), e =>
            {
                if (e.Kind == WaitEventKind.Finished)
                {
                    settled.Add((e.Task!.CreditsUsed, e.ChargeSettled!.Value));
                    finished.Add(e.Task!);
                }
            }, clock);

            IReadOnlyList<SeedanceTask> left = await Guarded(waiter.WaitAsync(new[] { Result("task_ref", SeedanceTaskStatus.Waiting) }, CancellationToken.None));

            Assert.Empty(left);
            SeedanceTask done = Assert.Single(finished);
            Assert.Equal(525m, done.CreditsUsed);
            Assert.Equal(new[] { (525m as decimal?, true) }, settled);
            // Read while running (175), at success (175), again every 3 s until it changed at 7 s after success.
            Assert.Equal(new decimal?[] { 175m, 175m, 175m, 175m, 525m }, seen);
            Assert.Contains(TimeSpan.FromSeconds(3), clock.Delays);
        }

        [Fact]
        public async Task ASettlingCharge_ThatNeverChanges_IsFinishedAtTheSettleTimeout_AsNotSettled()
        {
            TestSupport.VirtualClock clock = new TestSupport.VirtualClock();
            List<decimal?> seen = new List<decimal?>();
            List<bool> settled = new List<bool>();
            List<SeedanceTask> finished = new List<SeedanceTask>();
            WaitOptions options = Options();
            options.SettleTimeout = TimeSpan.FromSeconds(30);
            TaskWaiter waiter = new TaskWaiter(SettlingService(clock, reserved: 175m, final: null, settleAfter: TimeSpan.Zero, seen), Settling(options), e =>
            {
                Settled(settled)(e);
                if (e.Kind == WaitEventKind.Finished)
                {
                    finished.Add(e.Task!);
                }
            }, clock);

            await Guarded(waiter.WaitAsync(new[] { Result("task_ref", SeedanceTaskStatus.Waiting) }, CancellationToken.None));

            Assert.Equal(175m, Assert.Single(finished).CreditsUsed);
            Assert.Equal(new[] { false }, settled);
            // Bounded: 1 running read, the success read, then one every 3 s for 30 s.
            Assert.Equal(12, seen.Count);
            Assert.True(clock.Now < TimeSpan.FromSeconds(40), $"the settle wait ran to {clock.Now}");
        }

        [Fact]
        public async Task ASettledChargeSeenAtTheFirstSuccessRead_IsFinishedAtOnce_AndAChargeThatDoesNotSettle_IsNeverReadAgain()
        {
            TestSupport.VirtualClock clock = new TestSupport.VirtualClock();
            List<decimal?> seen = new List<decimal?>();
            List<bool> settled = new List<bool>();
            TaskWaiter waiter = new TaskWaiter(SettlingService(clock, reserved: 175m, final: 525m, settleAfter: TimeSpan.Zero, seen), Settling(Options()), Settled(settled), clock);
            await Guarded(waiter.WaitAsync(new[] { Result("task_ref", SeedanceTaskStatus.Waiting) }, CancellationToken.None));
            Assert.Equal(new decimal?[] { 175m, 525m }, seen);
            Assert.Equal(new[] { true }, settled);

            seen.Clear();
            settled.Clear();
            TaskWaiter plain = new TaskWaiter(SettlingService(clock, reserved: 200m, final: 600m, settleAfter: TimeSpan.FromSeconds(5), seen, model: "seedance2-fast"), Settling(Options()), Settled(settled), clock);
            await Guarded(plain.WaitAsync(new[] { Result("task_plain", SeedanceTaskStatus.Waiting) }, CancellationToken.None));
            Assert.Equal(new decimal?[] { 200m, 200m }, seen);
            Assert.Empty(settled);
        }
}
}
