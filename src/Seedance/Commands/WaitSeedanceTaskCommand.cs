using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Waiting;
using Seedance.Client.Workflows;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// Wait-SeedanceTask: waits for each piped task from the moment it arrives, in one polling loop (the client's
    /// TaskWaiter), emits each as it finishes; with -RetryFailed the waiter resubmits a failed one through the client's Resubmission.
    /// User help (synopsis, parameters, examples): docs/en-US/Wait-SeedanceTask.md, the one source of that text.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "SeedanceTask", DefaultParameterSetName = ByObjectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium,
        HelpUri = HelpLinks.Docs + "Wait-SeedanceTask.md")]
    [OutputType(typeof(SeedanceTask))]
    public sealed class WaitSeedanceTaskCommand : SeedanceApiCmdlet
    {
        private const string ByObjectSet = "InputObject";
        private const string ByIdSet = "TaskId";
        private const string UncertainSet = "UncertainCreate";

        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private readonly WaitProgress _progress = new WaitProgress();
        private readonly List<SeedanceTask> _notWaitedFor = new List<SeedanceTask>();

        // Tasks that had a read fail for a passing reason: warned about once, then only Verbose (touched only by the waiter's loop).
        private readonly HashSet<string> _troubled = new HashSet<string>(StringComparer.Ordinal);
        private TaskWaiter? _waiter;
        private Resubmission? _resubmission;
        private ChargeSettling? _charges;
        private SlotWaitProgress? _slotWait;
        private volatile bool _anySatisfied;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ByObjectSet)]
        public SeedanceTask[] InputObject { get; set; } = Array.Empty<SeedanceTask>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
        [Alias("Id")]
        [AllowEmptyString]
        [AllowEmptyCollection]
        [ArgumentCompleter(typeof(TaskIdCompleter))]
        public string[] TaskId { get; set; } = Array.Empty<string>();

        /// <summary>A journaled create with no task id (from Get-SeedanceTask -Pending): named in a warning, not waited for. Not for direct use.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = UncertainSet, DontShow = true)]
        public SeedanceUncertainCreate[] UncertainCreate { get; set; } = Array.Empty<SeedanceUncertainCreate>();

        /// <summary>Seconds to wait, from the start of the command (like Wait-Job); tasks still running then are reported and left running. -1: for ever.</summary>
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

        /// <summary>Return after the first task finishes (failed or not: nothing is resubmitted); later input is not waited for.</summary>
        [Parameter]
        public SwitchParameter Any { get; set; }

        /// <summary>
        /// Resubmissions per row of a task that failed for a transient reason (its original request, Name and Batch, from
        /// the journal). 0, the default, resubmits nothing: every resubmission is a new task, paid for.
        /// </summary>
        [Parameter]
        [ValidateRange(0, Resubmission.MaxRetries)]
        public int RetryFailed { get; set; }

        /// <summary>With -RetryFailed, also resubmit a task whose video did not pass the service's review (it may pass again, or fail and be paid again).</summary>
        [Parameter]
        public SwitchParameter RetryOutputModeration { get; set; }

        /// <summary>The most credits this command's resubmissions may spend, all together; one that would go over is refused (BudgetExceeded).</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public decimal MaxCredits { get; set; }

        private protected override JournalUse JournalUse => JournalUse.Optional;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            if (RetryFailed > 0 && !Any.IsPresent)
            {
                StopIfTheDailyLimitIsUnusable(); // resubmissions are paid creates: the same rule as New-SeedanceTask's
            }

            decimal? maxCredits = MyInvocation.BoundParameters.ContainsKey(nameof(MaxCredits)) ? MaxCredits : (decimal?)null;
            _charges = new ChargeSettling(Configuration.PriceTable, Journal);
            CreateWorkflow creates = CreateWorkflow.Open(Journal, Configuration.DailyCreditLimit, Configuration.DailyCreditLimitSource, maxCredits, force: false, Key, WhatIf);
            _resubmission = new Resubmission(creates, Configuration.PriceTable, Configuration.RequestShape, Any.IsPresent ? 0 : RetryFailed, RetryOutputModeration.IsPresent);
        }

        protected override Task ProcessRecordAsync(PipelineOutput pipeline, CancellationToken cancellationToken)
        {
            foreach (SeedanceUncertainCreate uncertain in UncertainCreate.Where(create => create is not null))
            {
                pipeline.WriteWarning(JournalHints.NotWaitedFor(uncertain));
            }

            // Known only by id: a task completed from what the journal knows of it (its Name, for Save's file name; its prompt).
            IEnumerable<SeedanceTask> inputs = ParameterSetName == ByIdSet
                ? TaskIds(pipeline, TaskId).Select(given =>
                {
                    SeedanceTask task = new SeedanceTask(given.Id);
                    given.Known?.CarryOverTo(task);
                    return task;
                })
                : InputObject.Where(task => task is not null);
            foreach (SeedanceTask task in inputs.Where(task => _seen.Add(task.TaskId)))
            {
                (JoinPaidTasksOf(task) ?? PaidTasks).Track(task);
                if (_anySatisfied)
                {
                    _notWaitedFor.Add(task); // -Any is satisfied: not waited for, but paid; named at the end so it is not lost.
                }
                else if (task.IsFinished && !_charges!.SettlesAfterSuccess(task) && !(task.Status == SeedanceTaskStatus.Fail && _resubmission!.RetryFailed > 0))
                {
                    Emit(pipeline, task); // already final (e.g. from Get-SeedanceTask): like Wait-Job on a completed job
                }
                else
                {
                    WaiterFor(pipeline).Add(task);
                }
            }

            return Task.CompletedTask;
        }

        protected override async Task EndProcessingAsync(PipelineOutput pipeline, CancellationToken cancellationToken)
        {
            List<SeedanceTask> unfinished = new List<SeedanceTask>();
            if (_waiter is not null)
            {
                pipeline.Invoke(() => _progress.InputComplete = true);
                _waiter.CompleteAdding();
                await Background.WhenIdleAsync(cancellationToken).ConfigureAwait(false);
                unfinished.AddRange(_waiter.Unfinished);
            }

            if (!Any.IsPresent)
            {
                unfinished.ForEach(task => pipeline.WriteError(SeedanceErrors.FromException(new WaitTimeoutException(task, TimeSpan.FromSeconds(Timeout)), task)));
            }
            else if (unfinished.Count + _notWaitedFor.Count > 0)
            {
                // Like Wait-Job -Any this returns after the first; unlike a job, every other task is paid for and has no other record.
                string ids = string.Join(",", unfinished.Concat(_notWaitedFor).Select(task => task.TaskId));
                pipeline.WriteWarning($"-Any returned after the first finished task; {unfinished.Count + _notWaitedFor.Count} other paid task(s) were not waited for: {ids}. " +
                    $"Wait for them with: Wait-SeedanceTask -TaskId {ids}");
            }
        }

        /// <summary>The one waiter of this command, polling in the background from the first task on.</summary>
        private TaskWaiter WaiterFor(PipelineOutput pipeline)
        {
            if (_waiter is not null)
            {
                return _waiter;
            }

            _waiter = new TaskWaiter(RequireClient(pipeline), new WaitOptions
            {
                ThrottleLimit = ThrottleLimit,
                PollInterval = PollInterval > 0 ? TimeSpan.FromSeconds(PollInterval) : (TimeSpan?)null,
                Timeout = Timeout >= 0 ? TimeSpan.FromSeconds(Timeout) : (TimeSpan?)null,
                Any = Any.IsPresent,
                SettleInterval = PollInterval > 0 && PollInterval < 3 ? TimeSpan.FromSeconds(PollInterval) : TimeSpan.FromSeconds(3),
                Charges = _charges,
                Resubmission = _resubmission!.RetryFailed > 0 ? _resubmission : null,
                Creating = _slotWait = new SlotWaitProgress(Background),
            }, Tell);
            Background.Start(_waiter.RunAsync);
            return _waiter;
        }

        /// <summary>What the waiter tells (on its loop's thread), as output, journal records and progress.</summary>
        private void Tell(WaitEvent e)
        {
            PipelineOutput output = Background;
            SeedanceTask task = e.Task!; // null only for Progress
            switch (e.Kind)
            {
                // Every state the service reported (never a task as piped in, which may be stale): only changes are written.
                case WaitEventKind.Read:
                    Observed(task, null, output);
                    if (task.IsFinished)
                    {
                        PaidTasks.Track(task); // in its final state at once, before a resubmission of it is made
                    }

                    if (e.StatusChanged)
                    {
                        output.WriteVerbose($"Task {task.TaskId}{(string.IsNullOrEmpty(task.Name) ? string.Empty : $" ('{task.Name}')")}: {e.StatusBefore ?? "not read yet"} -> {task.StatusText ?? task.Status}.");
                    }

                    break;

                // The final charge is recorded as such: the daily limit and Get-SeedanceUsage count it from now on.
                case WaitEventKind.Finished:
                    if (e.ChargeSettled == true)
                    {
                        Observed(task, null, output, chargeFinal: true);
                        output.WriteVerbose($"Task {task.TaskId}: final charge {task.CreditsUsed} credits (creditsUsed settled after success).");
                    }
                    else if (e.ChargeSettled == false)
                    {
                        output.WriteWarning(ChargeSettling.NotSettledWarning(task));
                    }

                    PaidTasks.Track(task);
                    Emit(output, task);
                    break;
                case WaitEventKind.Confirm:
                    e.Answered(output.ShouldProcessAsync(e.Question!.Target, e.Question.Action));
                    break;
                case WaitEventKind.Resubmitted:
                    _slotWait!.Dispose(); // its slot-wait bar, if it waited (one resubmission at a time)
                    CreateOutcome result = e.Resubmission!;
                    if (result.MayExist)
                    {
                        PaidTasks.AddUncertainCreate(result.Request!); // named by the ledger's warning and the error
                    }

                    output.WriteVerbose($"Task {task.TaskId}{(task.Name is null ? string.Empty : $" (row '{task.Name}')")} failed ({task.FailureClass}); {result.Note}.");
                    if (result.Task is SeedanceTask next)
                    {
                        PaidTasks.Track(next);
                    }
                    else if (result.Error is not null && !result.IsStopped)
                    {
                        output.WriteError(ErrorFrom(result.Error, task));
                    }

                    break;
                case WaitEventKind.ReadTrouble:
                    string line = $"Task {task.TaskId} could not be read ({e.Error!.Message}); still waiting for it, asking again later.";
                    (_troubled.Add(task.TaskId) ? (Action<string>)output.WriteWarning : output.WriteVerbose)(line);
                    break;
                case WaitEventKind.Progress:
                    e.Progress!.Running.ToList().ForEach(PaidTasks.Track); // the latest states, for the report if the pipeline ends early

                    output.Invoke(() => _progress.Update(Bars, e.Progress));
                    break;
                case WaitEventKind.ReadFailed:
                    // One line per unknown id, the base-URI advice once, and "did you mean -Name fox?" for a journal Name.
                    output.WriteError(TaskReadError(e.Error!, task.TaskId, TaskNotFoundMessages.IsJournalName(ReadJournal(output.WriteWarning), task.TaskId), task));
                    break;
            }
        }

        private void Emit(PipelineOutput output, SeedanceTask task)
        {
            if (Any.IsPresent)
            {
                // The first finished task satisfies -Any, wherever it came from: stop polling the others.
                _anySatisfied = true;
                _waiter?.Stop();
            }

            if (task.Status == SeedanceTaskStatus.Fail)
            {
                output.WriteError(SeedanceErrors.FromException(new TaskFailedException(task), task));
            }
            else
            {
                output.WriteObject(task);
            }
        }
    }
}
