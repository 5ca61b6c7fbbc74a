using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client.Http;
using Seedance.Client.Models;
using Seedance.Client.Timing;
using Seedance.Client.Workflows;

namespace Seedance.Client.Waiting
{
    /// <summary>
    /// Waits for many tasks with one polling loop: a bounded number of status requests in flight, each task polled
    /// on its own schedule, and each reported the moment it finishes (completion order, not input order). Tasks
    /// may be added while it runs, so a pipeline waits on each task as soon as it was created. With
    /// <see cref="WaitOptions.Resubmission"/>, a failed task is resubmitted beside the polls (each resubmission asked
    /// first: <see cref="WaitEventKind.Confirm"/>), and its next attempt joins the wait.
    /// </summary>
    public sealed class TaskWaiter
    {
        private readonly Func<string, CancellationToken, Task<SeedanceTask>> _poll;
        private readonly SeedanceClient? _client;
        private readonly WaitOptions _options;
        private readonly SeedanceClock _clock;
        private readonly Action<WaitEvent> _events;
        private readonly ConcurrentQueue<SeedanceTask> _incoming = new ConcurrentQueue<SeedanceTask>();
        /// <summary>
        /// Set by <see cref="Wake"/> (a task added, adding complete, a stop); the loop arms a
        /// new one before it looks at its state. A set signal stays set, so no wake-up is lost: a counting semaphore whose
        /// wait was cancelled could take a release meant for the next wait, and the loop then slept with nothing to wake it.
        /// </summary>
        private TaskCompletionSource<bool> _wakeSignal = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TimeSpan _started;
        private volatile bool _addingCompleted;
        private volatile bool _stopRequested;

        private IReadOnlyList<SeedanceTask> _unfinished = Array.Empty<SeedanceTask>();

        /// <summary>Resubmissions being made, with their failed tasks (the wait does not end before them); only the loop touches it.</summary>
        private readonly Dictionary<Task<CreateOutcome>, SeedanceTask> _resubmitting = new Dictionary<Task<CreateOutcome>, SeedanceTask>();

        // Counts for progress; only the loop of RunAsync touches them.
        private int _total;
        private int _finished;
        private int _failed;

        public TaskWaiter(SeedanceClient client, WaitOptions options, Action<WaitEvent>? events)
            : this(client.GetTaskAsync, options, events, client.Options.Clock)
        {
            _client = client;
        }

        /// <param name="events">Everything the wait has to tell, in one shape (<see cref="WaitEvent"/>): on the loop's thread,
        /// but a resubmission's question (<see cref="WaitEventKind.Confirm"/>) on its own.</param>
        public TaskWaiter(Func<string, CancellationToken, Task<SeedanceTask>> poll, WaitOptions options, Action<WaitEvent>? events = null, SeedanceClock? clock = null)
        {
            _poll = poll;
            _options = options;
            _events = events ?? (_ => { });
            _clock = clock ?? SeedanceClock.System;

            // Like Wait-Job -Timeout, the deadline counts from the start of the wait, whenever a task joined it.
            _started = _clock.Now;
        }

        /// <summary>
        /// The tasks still unfinished when <see cref="RunAsync"/> returned (timeout, or -Any satisfied), with the next
        /// attempts of resubmissions made as the deadline passed, and any added after it returned: paid, and not waited for.
        /// </summary>
        public IReadOnlyList<SeedanceTask> Unfinished => _unfinished.Concat(_incoming).ToList();

        /// <summary>Adds a task to the wait (from any thread, before or while <see cref="RunAsync"/> runs).</summary>
        public void Add(SeedanceTask task)
        {
            _incoming.Enqueue(task);
            Wake();
        }

        /// <summary>No more tasks will be added: <see cref="RunAsync"/> returns once those added are done.</summary>
        public void CompleteAdding()
        {
            _addingCompleted = true;
            Wake();
        }

        /// <summary>Ends the wait at once (e.g. -Any was satisfied elsewhere); tasks not finished are handed back.</summary>
        public void Stop()
        {
            _stopRequested = true;
            Wake();
        }

        /// <summary>
        /// Polls until every task added has finished and adding is complete, the timeout passes, or (with Any) one
        /// has finished. Tasks left then are in <see cref="Unfinished"/>: handed back, never cancelled (the API cannot).
        /// </summary>
        public async Task RunAsync(CancellationToken cancellationToken)
        {
            List<Entry> pending = new List<Entry>();
            Dictionary<Task<SeedanceTask>, Entry> inFlight = new Dictionary<Task<SeedanceTask>, Entry>();
            int throttle = Math.Max(1, _options.ThrottleLimit);
            try
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Task woken = ArmWake(); // before the state is read: a wake from now on ends the sleep below
                    TakeIncoming(pending, cancellationToken);
                    if (_stopRequested || (_options.Any && _finished > 0))
                    {
                        break;
                    }

                    if (pending.Count == 0 && _resubmitting.Count == 0 && _addingCompleted && _incoming.IsEmpty)
                    {
                        break;
                    }

                    TimeSpan now = Elapsed;
                    if (_options.Timeout is not null && now >= _options.Timeout.Value)
                    {
                        // A task that succeeded and only waits for its final charge is done: emitted with the charge it has.
                        foreach (Entry settling in pending.Where(e => e.SettleStartedAt is not null).ToList())
                        {
                            FinishSettling(settling, pending, settled: false);
                        }

                        break;
                    }

                    foreach (Entry entry in pending.Where(e => !e.InFlight && e.DueAt <= now).OrderBy(e => e.DueAt).Take(throttle - inFlight.Count).ToList())
                    {
                        entry.InFlight = true;
                        inFlight.Add(_poll(entry.Task.TaskId, cancellationToken), entry);
                    }

                    await WaitForNextEventAsync(pending, inFlight.Keys.Concat<Task>(_resubmitting.Keys), now, inFlight.Count < throttle, woken, cancellationToken).ConfigureAwait(false);
                    bool changed = false;
                    foreach (KeyValuePair<Task<CreateOutcome>, SeedanceTask> done in _resubmitting.Where(t => t.Key.IsCompleted).ToList())
                    {
                        _resubmitting.Remove(done.Key);
                        changed = true;
                        Resubmitted(done.Value, await done.Key.ConfigureAwait(false));
                    }

                    foreach (Task<SeedanceTask> done in inFlight.Keys.Where(t => t.IsCompleted).ToList())
                    {
                        Entry entry = inFlight[done];
                        inFlight.Remove(done);
                        entry.InFlight = false;
                        changed = true;
                        if (done.IsCanceled)
                        {
                            cancellationToken.ThrowIfCancellationRequested();
                        }

                        if (done.IsFaulted)
                        {
                            Exception error = done.Exception!.GetBaseException();
                            if (IsPassing(error))
                            {
                                // The client's retries are spent, but the service is only unwell (5xx, 429, timeouts,
                                // a dropped connection): the task exists and is paid, so it stays in the wait and is
                                // asked about again later, until it finishes or the -Timeout comes.
                                entry.DueAt = Elapsed + OutageRetry;
                                _events(new WaitEvent(WaitEventKind.ReadTrouble, entry.Task) { Error = error });
                                continue;
                            }

                            pending.Remove(entry);
                            _failed++;
                            _events(new WaitEvent(WaitEventKind.ReadFailed, entry.Task) { Error = error });
                            continue;
                        }

                        SeedanceTask latest = done.Result;
                        latest.CarryOverFrom(entry.Task);
                        SeedanceTask before = entry.Task;
                        entry.Task = latest;
                        _events(new WaitEvent(WaitEventKind.Read, latest) { StatusBefore = before.StatusText });

                        if (!latest.IsFinished)
                        {
                            // What the service shows while the task runs is what it reserved at submit.
                            entry.ReservedCredits = latest.CreditsUsed ?? entry.ReservedCredits;
                        }
                        else if (latest.Status == SeedanceTaskStatus.Success && (entry.SettleStartedAt is not null || _options.Charges?.SettlesAfterSuccess(latest) == true))
                        {
                            if (Settle(entry, latest))
                            {
                                continue;
                            }

                            FinishSettling(entry, pending, settled: true);
                            continue;
                        }

                        if (latest.IsFinished)
                        {
                            pending.Remove(entry);
                            Finish(latest, cancellationToken);
                        }
                        else
                        {
                            entry.DueAt = Elapsed + _options.NextPollDelay(Elapsed - entry.AddedAt);
                        }
                    }

                    if (changed)
                    {
                        Report(pending);
                    }
                }
            }
            finally
            {
                // A resubmission is a create: never left half-made when the wait ends (timeout, -Any, Ctrl+C, which it
                // observes itself). Its next attempt is handed back unfinished; a failed task not sent again is final.
                foreach (KeyValuePair<Task<CreateOutcome>, SeedanceTask> resubmission in _resubmitting)
                {
                    try
                    {
                        Resubmitted(resubmission.Value, await resubmission.Key.ConfigureAwait(false));
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }

                _resubmitting.Clear();
                _unfinished = pending.Select(e => e.Task).ToList();
            }
        }

        /// <summary>A task reached its final state: reported, or, failed and with <see cref="WaitOptions.Resubmission"/>, resubmitted first.</summary>
        private void Finish(SeedanceTask task, CancellationToken cancellationToken)
        {
            _finished++;
            if (task.Status == SeedanceTaskStatus.Fail)
            {
                _failed++;
            }

            if (task.Status == SeedanceTaskStatus.Fail && _options.Resubmission is Resubmission resubmission && _client is not null)
            {
                _resubmitting.Add(resubmission.HandleAsync(task, _client, decision => Ask(task, decision), _options.Timeout, _options.Creating, cancellationToken), task);
                return;
            }

            _events(new WaitEvent(WaitEventKind.Finished, task));
        }

        /// <summary>
        /// Rule: a resubmission is paid, so it is sent only when the consumer of the events answers its question yes
        /// (ShouldProcess); unanswered, it is not sent.
        /// </summary>
        private Task<bool> Ask(SeedanceTask failed, ResubmitDecision decision)
        {
            WaitEvent question = new WaitEvent(WaitEventKind.Confirm, failed) { Question = decision };
            _events(question);
            return question.Answer;
        }

        /// <summary>What came of a failed task's resubmission: its next attempt joins the wait, or the failed task is final.</summary>
        private void Resubmitted(SeedanceTask failed, CreateOutcome outcome)
        {
            _events(new WaitEvent(WaitEventKind.Resubmitted, failed) { Resubmission = outcome });
            if (outcome.Task is SeedanceTask next)
            {
                Add(next);
            }
            else if (!outcome.IsStopped)
            {
                _events(new WaitEvent(WaitEventKind.Finished, failed));
            }
        }

        /// <summary>
        /// One read of a succeeded task whose charge settles after success. True while it must be read again: creditsUsed
        /// is still what was reserved (or what the first read after success showed, when the task was never seen running)
        /// and the settle timeout has not passed. False once it changed. At the timeout the task is finished unsettled.
        /// </summary>
        private bool Settle(Entry entry, SeedanceTask latest)
        {
            TimeSpan now = Elapsed;
            if (entry.SettleStartedAt is null)
            {
                entry.SettleStartedAt = now;
                entry.SuccessCredits = latest.CreditsUsed;
                if (entry.ReservedCredits is decimal reserved && latest.CreditsUsed is decimal first && first != reserved)
                {
                    return false; // already settled when success was first seen
                }
            }
            else if (latest.CreditsUsed != (entry.ReservedCredits ?? entry.SuccessCredits))
            {
                return false;
            }

            if (now - entry.SettleStartedAt.Value >= _options.SettleTimeout)
            {
                entry.SettleTimedOut = true;
                return false;
            }

            entry.DueAt = now + _options.SettleInterval;
            return true;
        }

        private void FinishSettling(Entry entry, List<Entry> pending, bool settled)
        {
            pending.Remove(entry);
            _finished++;
            _events(new WaitEvent(WaitEventKind.Finished, entry.Task) { ChargeSettled = settled && !entry.SettleTimedOut });
        }

        /// <summary>How long to leave a task whose reads failed for a passing reason before asking again.</summary>
        private static readonly TimeSpan OutageRetry = TimeSpan.FromSeconds(15);

        private TimeSpan Elapsed => _clock.Now - _started;

        /// <summary>A failure that says nothing about the task itself: asking again later may well work.</summary>
        private static bool IsPassing(Exception error) =>
            (error is SeedanceApiException api && api.IsTransient) || error is SeedanceException { Problem: SeedanceProblem.ConnectionFailed or SeedanceProblem.ConnectionNotMade or SeedanceProblem.TlsFailure or SeedanceProblem.RequestTimedOut };

        /// <summary>Moves newly added tasks into the wait.</summary>
        private void TakeIncoming(List<Entry> pending, CancellationToken cancellationToken)
        {
            int joined = 0;
            while (_incoming.TryDequeue(out SeedanceTask? task))
            {
                joined++;
                if (task.Status == SeedanceTaskStatus.Fail && _options.Resubmission is not null)
                {
                    Finish(task, cancellationToken); // handed in failed (e.g. from Get-SeedanceTask): resubmitted at once, without a read
                    continue;
                }

                // A task known only by id is read at once; a task we just created is first read one interval later.
                TimeSpan now = Elapsed;
                TimeSpan firstPoll = task.Status == SeedanceTaskStatus.Unknown && task.StatusText is null ? TimeSpan.Zero : _options.NextPollDelay(TimeSpan.Zero);
                pending.Add(new Entry(task, now, now + firstPoll));
            }

            if (joined > 0)
            {
                _total += joined;
                Report(pending);
            }
        }

        /// <summary>Sleeps until a request completes, a task is added, the next poll is due, or the deadline, whichever is first.</summary>
        private async Task WaitForNextEventAsync(List<Entry> pending, IEnumerable<Task> inFlight, TimeSpan now, bool slotFree, Task woken, CancellationToken cancellationToken)
        {
            if (inFlight.Any(request => request.IsCompleted))
            {
                // An answer is already here: no sleep (an injected clock would otherwise move on by the whole sleep).
                return;
            }

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
            Task delay = _clock.Delay(wake, sleep.Token);
            await Task.WhenAny(inFlight.Append(delay).Append(woken)).ConfigureAwait(false);
            sleep.Cancel();
            cancellationToken.ThrowIfCancellationRequested();
        }

        private void Wake() => Volatile.Read(ref _wakeSignal).TrySetResult(true);

        /// <summary>The signal the next sleep waits for: the current one, or a new one once the current was set.</summary>
        private Task ArmWake()
        {
            TaskCompletionSource<bool> current = Volatile.Read(ref _wakeSignal);
            if (current.Task.IsCompleted)
            {
                TaskCompletionSource<bool> next = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                Interlocked.CompareExchange(ref _wakeSignal, next, current);
            }

            return Volatile.Read(ref _wakeSignal).Task;
        }

        private void Report(List<Entry> pending) =>
            _events(new WaitEvent(WaitEventKind.Progress, null) { Progress = new WaitSnapshot(pending.Select(e => e.Task).ToList(), _total, _finished, _failed, Elapsed) });

        private sealed class Entry
        {
            public Entry(SeedanceTask task, TimeSpan addedAt, TimeSpan dueAt)
            {
                Task = task;
                AddedAt = addedAt;
                DueAt = dueAt;
            }

            public SeedanceTask Task { get; set; }

            /// <summary>When the task joined the wait: its polls slow down with its own age, not the batch's.</summary>
            public TimeSpan AddedAt { get; }
            public TimeSpan DueAt { get; set; }
            public bool InFlight { get; set; }

            /// <summary>creditsUsed while the task ran: what the service reserved at submit.</summary>
            public decimal? ReservedCredits { get; set; }

            /// <summary>When success was first seen, for a task whose charge settles after it; null otherwise.</summary>
            public TimeSpan? SettleStartedAt { get; set; }
            public decimal? SuccessCredits { get; set; }
            public bool SettleTimedOut { get; set; }
        }
    }

    /// <summary>What a <see cref="TaskWaiter"/> tells, in the order it happened (see <see cref="WaitEvent"/>).</summary>
    public enum WaitEventKind
    {
        /// <summary>
        /// A state the service reported (each successful read), with the status it had before: never a task as it was
        /// handed in, so a recorder of it never writes a stale state.
        /// </summary>
        Read,

        /// <summary>The task reached its final state (Success or Fail); <see cref="WaitEvent.ChargeSettled"/> says whether its charge settled.</summary>
        Finished,

        /// <summary>The task could not be read for a reason that passes (5xx, 429, no answer, after the client's own retries): it stays in the wait.</summary>
        ReadTrouble,

        /// <summary>The task could not be read (e.g. 404): it is dropped from the wait.</summary>
        ReadFailed,

        /// <summary>
        /// A failed task's resubmission was decided (<see cref="WaitEvent.Resubmission"/>): its next attempt joins the
        /// wait, or the task is reported <see cref="Finished"/> next (unless the resubmission was stopped).
        /// </summary>
        Resubmitted,

        /// <summary>Where the wait stands (<see cref="WaitEvent.Progress"/>), after every change: for progress bars.</summary>
        Progress,

        /// <summary>
        /// A failed task's resubmission passed its checks and is to be sent (<see cref="WaitEvent.Question"/>: what and at
        /// what price): answered with <see cref="WaitEvent.Answered"/> (ShouldProcess); not answered, it is not sent.
        /// </summary>
        Confirm,
    }

    /// <summary>One thing a wait tells: what happened (<see cref="Kind"/>) and to which task.</summary>
    public sealed class WaitEvent
    {
        internal WaitEvent(WaitEventKind kind, SeedanceTask? task)
        {
            Kind = kind;
            Task = task;
        }

        public WaitEventKind Kind { get; }

        /// <summary>The task it is about; null only for <see cref="WaitEventKind.Progress"/>.</summary>
        public SeedanceTask? Task { get; }

        /// <summary>Read: the status the task had before this read (null when unknown).</summary>
        public string? StatusBefore { get; internal set; }

        /// <summary>Read: the read shows the task in another state than before.</summary>
        public bool StatusChanged => !string.Equals(StatusBefore, Task?.StatusText, StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Finished, for a succeeded task whose charge settles after success (<see cref="WaitOptions.Charges"/>): true when
        /// creditsUsed changed while it was read again (the task carries the final charge), false when it did not in
        /// time. Null for any other task.
        /// </summary>
        public bool? ChargeSettled { get; internal set; }

        /// <summary>ReadTrouble and ReadFailed: why.</summary>
        public Exception? Error { get; internal set; }

        public WaitSnapshot? Progress { get; internal set; }

        /// <summary>Resubmitted: what came of it (the next attempt as its <see cref="CreateOutcome.Task"/>, or why the failed task is final).</summary>
        public CreateOutcome? Resubmission { get; internal set; }

        /// <summary>Confirm: the resubmission to be sent.</summary>
        public ResubmitDecision? Question { get; internal set; }

        /// <summary>Confirm: the answer; no until <see cref="Answered"/>.</summary>
        internal Task<bool> Answer { get; private set; } = System.Threading.Tasks.Task.FromResult(false);

        /// <summary>Answers a <see cref="WaitEventKind.Confirm"/> (with ShouldProcess's answer, which may come later).</summary>
        public void Answered(Task<bool> answer) => Answer = answer;
    }

    /// <summary>
    /// Where a batch wait stands: for progress bars. <paramref name="Finished"/>: tasks that reached a final state
    /// (failed ones too); <paramref name="Failed"/>: tasks that failed, or could not be read.
    /// </summary>
    public sealed record WaitSnapshot(IReadOnlyList<SeedanceTask> Running, int Total, int Finished, int Failed, TimeSpan Elapsed);
}
