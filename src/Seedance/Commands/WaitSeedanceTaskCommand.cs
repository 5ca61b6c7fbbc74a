using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Waiting;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// Wait-SeedanceTask: waits for each piped task from the moment it arrives, in one polling loop, and emits each as it finishes.
    /// User help (synopsis, parameters, examples): docs/en-US/Wait-SeedanceTask.md, the one source of that text.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "SeedanceTask", DefaultParameterSetName = ByObjectSet, HelpUri = HelpLinks.Docs + "Wait-SeedanceTask.md")]
    [OutputType(typeof(SeedanceTask))]
    public sealed class WaitSeedanceTaskCommand : SeedanceApiCmdlet
    {
        private readonly TaskNotFoundMessages _notFound = new TaskNotFoundMessages();

        private const string ByObjectSet = "InputObject";
        private const string ByIdSet = "TaskId";
        private const string UncertainSet = "UncertainCreate";

        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private readonly WaitProgress _progress = new WaitProgress();
        private readonly List<SeedanceTask> _notWaitedFor = new List<SeedanceTask>();

        // Tasks that had a read fail for a passing reason: warned about once, then only Verbose (touched only by the waiter's loop).
        private readonly HashSet<string> _troubled = new HashSet<string>(StringComparer.Ordinal);
        private TaskWaiter? _waiter;
        private volatile bool _anySatisfied;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ByObjectSet)]
        public SeedanceTask[] InputObject { get; set; } = Array.Empty<SeedanceTask>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
        [Alias("Id")]
        [AllowEmptyString]
        [AllowEmptyCollection]
        [ArgumentCompleter(typeof(TaskIdCompleter))]
        public string[] TaskId { get; set; } = Array.Empty<string>();

        /// <summary>
        /// A journaled create whose outcome is unknown, as Get-SeedanceTask -Pending lists it: there is no id to wait
        /// for, so it is named in a warning (check it, then send it again on purpose) and the rest goes on. Not for direct use.
        /// </summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = UncertainSet, DontShow = true)]
        public SeedanceUncertainCreate[] UncertainCreate { get; set; } = Array.Empty<SeedanceUncertainCreate>();

        /// <summary>
        /// Seconds to wait, counted from the start of the command; like Wait-Job, tasks still running then are
        /// reported and left running. -1 waits for ever.
        /// </summary>
        [Parameter]
        [ValidateRange(-1, int.MaxValue)]
        public int Timeout { get; set; } = -1;

        /// <summary>Seconds between status requests for one task; by default adaptive (2.5 s, growing to 15 s).</summary>
        [Parameter]
        [ValidateRange(0.05, 3600)]
        public double PollInterval { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 10;

        /// <summary>Return after the first task finishes; later input is not waited for.</summary>
        [Parameter]
        public SwitchParameter Any { get; set; }

        private protected override JournalUse JournalUse => JournalUse.Optional;

        protected override Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            if (ParameterSetName == UncertainSet)
            {
                foreach (SeedanceUncertainCreate uncertain in UncertainCreate.Where(create => create is not null))
                {
                    if (!uncertain.IsUncertain)
                    {
                        // In flight in a live process (WaitingForSlot, Sending): that process records its task; nothing to check.
                        pipeline.WriteWarning($"Not waited for: the create of {uncertain.Request.Describe()} is {(uncertain.Status == SeedanceUncertainCreate.WaitingForSlot ? "waiting for a free slot" : "being sent")} " +
                            $"({uncertain.Reason}), so it has no task id yet. Run this again when that process has finished.");
                        continue;
                    }

                    pipeline.WriteWarning($"Not waited for: the create of {uncertain.Request.Describe()}, sent at {uncertain.SentAt.ToUniversalTime():u}, has an unknown outcome " +
                        $"({uncertain.Reason}), so there is no task id to wait for. The task may exist and be billed: look for it in your Seedance account's task history; " +
                        "only if it is not there, send it again on purpose: Get-SeedanceTask -Status OutcomeUnknown" +
                        (uncertain.Name is null ? string.Empty : $" -Name '{uncertain.Name.Replace("'", "''")}'") + " | New-SeedanceTask -Force.");
                }

                return Task.CompletedTask;
            }

            IEnumerable<SeedanceTask> inputs = ParameterSetName == ByIdSet
                ? TaskIdsReportingBlanks(pipeline)
                : InputObject.Where(task => task is not null);
            foreach (SeedanceTask task in inputs)
            {
                if (!_seen.Add(task.TaskId))
                {
                    continue;
                }

                (JoinPaidTasksOf(task) ?? PaidTasks).Track(task);
                if (_anySatisfied)
                {
                    // -Any is satisfied: not waited for, but paid; named at the end so it is not lost.
                    _notWaitedFor.Add(task);
                    continue;
                }

                if (task.IsFinished && !SettlesAfterSuccess(task, pipeline))
                {
                    // Already final (e.g. piped from Get-SeedanceTask): like Wait-Job on a completed job.
                    Emit(pipeline, task);
                    continue;
                }

                WaiterFor(pipeline).Add(task);
            }

            return Task.CompletedTask;
        }

        protected override async Task EndProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            List<SeedanceTask> unfinished = new List<SeedanceTask>();
            if (_waiter is not null)
            {
                pipeline.Invoke(() => _progress.InputComplete = true);
                _waiter.CompleteAdding();
                await Background.WhenIdleAsync(cancellationToken).ConfigureAwait(false);
                unfinished.AddRange(_waiter.Unfinished);
                pipeline.Invoke(() => WriteProgress(_progress.Complete()));
            }

            if (!Any.IsPresent)
            {
                foreach (SeedanceTask task in unfinished)
                {
                    pipeline.WriteError(SeedanceErrors.WaitTimeout(task, TimeSpan.FromSeconds(Timeout)));
                }
            }
            else if (unfinished.Count + _notWaitedFor.Count > 0)
            {
                // Like Wait-Job -Any this returns after the first; unlike a job, every other task is paid for and has
                // no other record, so each is named.
                List<SeedanceTask> left = unfinished.Concat(_notWaitedFor).ToList();
                string ids = string.Join(",", left.Select(task => task.TaskId));
                pipeline.WriteWarning($"-Any returned after the first finished task; {left.Count} other paid task(s) were not waited for: {ids}. " +
                    $"Wait for them with: Wait-SeedanceTask -TaskId {ids}");
            }
        }

        /// <summary>An error ended the command (e.g. a failed task with -ErrorAction Stop): close the bars still open.</summary>
        protected override void OnEndedEarly(bool stopped, ErrorRecord? cause)
        {
            if (!stopped)
            {
                CloseProgress(_progress.Complete());
            }

            base.OnEndedEarly(stopped, cause);
        }

        private void WriteProgress(IEnumerable<ProgressRecord> records)
        {
            foreach (ProgressRecord record in records)
            {
                WriteProgress(record);
            }
        }

        /// <summary>The one waiter of this command, polling in the background from the first task on.</summary>
        private TaskWaiter WaiterFor(AsyncPipeline pipeline)
        {
            if (_waiter is not null)
            {
                return _waiter;
            }

            BackgroundWork output = Background;
            TaskWaiter waiter = new TaskWaiter(RequireClient(pipeline), new WaitOptions
            {
                ThrottleLimit = ThrottleLimit,
                PollInterval = PollInterval > 0 ? TimeSpan.FromSeconds(PollInterval) : (TimeSpan?)null,
                Timeout = Timeout >= 0 ? TimeSpan.FromSeconds(Timeout) : (TimeSpan?)null,
                Any = Any.IsPresent,
                SettleInterval = PollInterval > 0 && PollInterval < 3 ? TimeSpan.FromSeconds(PollInterval) : TimeSpan.FromSeconds(3),
            })
            {
                SettlesAfterSuccess = task => SettlesAfterSuccess(task, output),
                ChargeSettled = (task, settled) =>
                {
                    if (settled)
                    {
                        // The final charge, recorded as such: the daily limit and Get-SeedanceUsage count it from now on.
                        Journal.Status(task, output, chargeFinal: true);
                        output.WriteVerbose($"Task {task.TaskId}: final charge {task.CreditsUsed} credits (creditsUsed settled after success).");
                    }
                    else
                    {
                        output.WriteWarning($"Task {task.TaskId} succeeded, but its charge (creditsUsed {task.CreditsUsed}), which the service updates shortly after success " +
                            "for a reference video on 2.5, extend and edit, did not change while it was read again. The daily limit and Get-SeedanceUsage keep counting " +
                            $"the documented maximum for it; Wait-SeedanceTask -TaskId {task.TaskId} reads it again.");
                    }
                },
                Finished = task =>
                {
                    PaidTasks.Track(task);
                    Emit(output, task);
                },
                PollFailed = (task, error) =>
                {
                    ErrorRecord record = SeedanceErrors.ForTask(ErrorFrom(error, task), task.TaskId);
                    // One line per unknown id, the base-URI advice once, and "did you mean -Name fox?" for a journal Name.
                    record = _notFound.Shorten(record, task.TaskId, TaskNotFoundMessages.IsJournalName(Journal.Snapshot(output), task.TaskId));

                    output.WriteError(record);
                },
                PollTrouble = (task, error) =>
                {
                    string line = $"Task {task.TaskId} could not be read ({error.Message}); still waiting for it, asking again later.";
                    if (_troubled.Add(task.TaskId))
                    {
                        output.WriteWarning(line);
                    }
                    else
                    {
                        output.WriteVerbose(line);
                    }
                },
                StateChanged = (task, before) => output.WriteVerbose(
                    $"Task {task.TaskId}{(string.IsNullOrEmpty(task.Name) ? string.Empty : $" ('{task.Name}')")}: {before ?? "not read yet"} -> {task.StatusText ?? task.Status}."),

                // Every state the service reported (never a task as piped in, which may be stale): only changes are written.
                Seen = task => Journal.Status(task, output),

                Changed = snapshot =>
                {
                    // The latest state of every task, for the report if the pipeline ends before they are saved.
                    foreach (SeedanceTask running in snapshot.Running)
                    {
                        PaidTasks.Track(running);
                    }

                    // Bars are drawn and closed on the pipeline thread, so what WaitProgress counts as closed was written.
                    output.Invoke(() => WriteProgress(_progress.Update(snapshot)));
                },
            };
            _waiter = waiter;
            Background.Start(waiter.RunAsync);
            return waiter;
        }

        /// <summary>
        /// Rule: a succeeded task's creditsUsed is read again until it settles when its charge changes after success and
        /// the final charge is not known yet. A task the journal created says so itself (its create recorded whether the
        /// charge settles later, and Wait records when it did); another task goes by its model's charge rule in the
        /// catalog, unless it finished long enough ago to have settled.
        /// </summary>
        private bool SettlesAfterSuccess(SeedanceTask task, IPipelineOutput output)
        {
            if (task.Status != SeedanceTaskStatus.Success)
            {
                return false;
            }

            JournalTaskSummary? known = Journal.Find(task.TaskId, output);
            if (known is not null && known.IsJournaledCreate)
            {
                return known.ChargeSettlesAfterSuccess && !known.ChargeFinal;
            }

            ModelSpec spec = Configuration.PriceTable.Model(task.Model ?? string.Empty);
            bool modelSettles = spec.IsCatalogued && spec.Charge != ChargeRule.PerSecond;
            return modelSettles && !(task.CompletedAt is DateTimeOffset done && DateTimeOffset.UtcNow - done > TimeSpan.FromMinutes(10));
        }

        /// <summary>The given ids as tasks; a blank id is an EmptyTaskId error rather than silently skipped.</summary>
        private IEnumerable<SeedanceTask> TaskIdsReportingBlanks(AsyncPipeline pipeline)
        {
            Client.Journal.JournalSnapshot? journaled = Journal.Snapshot(pipeline); // one read for every id of this input
            foreach (string id in TaskId)
            {
                if (string.IsNullOrWhiteSpace(id))
                {
                    pipeline.WriteError(SeedanceErrors.EmptyTaskId(id));
                    continue;
                }

                // Known only by id: what the journal knows of it (its Name, for Save's file name; its prompt).
                SeedanceTask task = new SeedanceTask(id.Trim());
                CommandJournal.CarryOver(task, journaled?.FindTask(task.TaskId));
                yield return task;
            }
        }

        private void Emit(IPipelineOutput output, SeedanceTask task)
        {
            if (Any.IsPresent)
            {
                // The first finished task satisfies -Any, wherever it came from: stop polling the others.
                _anySatisfied = true;
                _waiter?.Stop();
            }

            if (task.Status == SeedanceTaskStatus.Fail)
            {
                output.WriteError(SeedanceErrors.TaskFailed(task));
            }
            else
            {
                output.WriteObject(task);
            }
        }
    }
}
