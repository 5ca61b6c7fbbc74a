using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client;
using Seedance.Client.Models;
using Seedance.Client.Waiting;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// Wait-SeedanceTask: waits for all piped tasks in one polling loop and emits each as it finishes.
    /// User help (synopsis, parameters, examples): docs/en-US/Wait-SeedanceTask.md, the one source of that text.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Wait, "SeedanceTask", DefaultParameterSetName = ByObjectSet, HelpUri = HelpLinks.Docs + "Wait-SeedanceTask.md")]
    [OutputType(typeof(SeedanceTask))]
    public sealed class WaitSeedanceTaskCommand : SeedanceApiCmdlet
    {
        private const string ByObjectSet = "InputObject";
        private const string ByIdSet = "TaskId";

        private readonly List<SeedanceTask> _toWaitFor = new List<SeedanceTask>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);
        private readonly WaitProgress _progress = new WaitProgress();
        private IReadOnlyList<SeedanceTask>? _stillRunning;
        private bool _emittedFinished;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = ByObjectSet)]
        public SeedanceTask[] InputObject { get; set; } = Array.Empty<SeedanceTask>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
        [Alias("Id")]
        [AllowEmptyString]
        [AllowEmptyCollection]
        public string[] TaskId { get; set; } = Array.Empty<string>();

        /// <summary>Seconds to wait; like Wait-Job, tasks still running then are reported and left running. -1 waits for ever.</summary>
        [Parameter]
        [ValidateRange(-1, int.MaxValue)]
        public int Timeout { get; set; } = -1;

        /// <summary>Seconds between status requests for one task; by default adaptive (3 s, growing to 15 s).</summary>
        [Parameter]
        [ValidateRange(0.05, 3600)]
        public double PollInterval { get; set; }

        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 10;

        /// <summary>Return after the first task finishes.</summary>
        [Parameter]
        public SwitchParameter Any { get; set; }

        protected override Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            IEnumerable<SeedanceTask> inputs = ParameterSetName == ByIdSet
                ? TaskIdsReportingBlanks(pipeline)
                : InputObject.Where(task => task is not null);
            foreach (SeedanceTask task in inputs)
            {
                if (!_seen.Add(task.TaskId))
                {
                    continue;
                }

                if (task.IsFinished)
                {
                    // Already final (e.g. piped from Get-SeedanceTask): like Wait-Job on a completed job.
                    _emittedFinished = true;
                    Emit(pipeline, task);
                    continue;
                }

                _toWaitFor.Add(task);
            }

            return Task.CompletedTask;
        }

        protected override async Task EndProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            // -Any is satisfied by a task that was already final when it came in (Wait-Job -Any returns at once too).
            if (_toWaitFor.Count == 0 || (Any.IsPresent && _emittedFinished))
            {
                return;
            }

            _stillRunning = _toWaitFor.ToList();
            TaskWaiter waiter = new TaskWaiter(RequireClient(pipeline), new WaitOptions
            {
                ThrottleLimit = ThrottleLimit,
                PollInterval = PollInterval > 0 ? TimeSpan.FromSeconds(PollInterval) : (TimeSpan?)null,
                Timeout = Timeout >= 0 ? TimeSpan.FromSeconds(Timeout) : (TimeSpan?)null,
                Any = Any.IsPresent,
            })
            {
                Finished = task => Emit(pipeline, task),
                PollFailed = (task, error) => pipeline.WriteError(ErrorFrom(error, task)),
                Changed = snapshot =>
                {
                    _stillRunning = snapshot.Running;

                    // Bars are drawn and closed on the pipeline thread, so what WaitProgress counts as closed was written.
                    pipeline.Invoke(() => WriteProgress(_progress.Update(snapshot)));
                },
            };

            try
            {
                IReadOnlyList<SeedanceTask> unfinished = await waiter.WaitAsync(_toWaitFor, cancellationToken).ConfigureAwait(false);
                _stillRunning = Array.Empty<SeedanceTask>();
                if (!Any.IsPresent)
                {
                    foreach (SeedanceTask task in unfinished)
                    {
                        pipeline.WriteError(SeedanceErrors.Create("WaitTimeout", ErrorCategory.OperationTimeout, task,
                            $"Task {task.TaskId} was still {task.StatusText ?? "running"} after {Timeout} s. It keeps running (and is billed); wait for it again later, e.g. from -ErrorVariable."));
                    }
                }
            }
            finally
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    pipeline.Invoke(() => WriteProgress(_progress.Complete()));
                }
            }
        }

        /// <summary>
        /// An error ended the command (e.g. a failed task with -ErrorAction Stop) before the wait closed its bars:
        /// close what is still open.
        /// </summary>
        protected override void OnFailed() => WriteProgress(_progress.Complete());

        private void WriteProgress(IEnumerable<ProgressRecord> records)
        {
            foreach (ProgressRecord record in records)
            {
                WriteProgress(record);
            }
        }

        protected override void OnStopped()
        {
            // Before the wait starts (upstream still creating), the tasks collected so far are the running ones.
            IReadOnlyList<SeedanceTask> running = _stillRunning ?? _toWaitFor;
            if (running.Count > 0)
            {
                Host.UI.WriteWarningLine(
                    $"Stopped waiting. These Seedance tasks are still running and billed: {string.Join(", ", running.Select(t => t.TaskId))}. " +
                    "Wait for them again with Wait-SeedanceTask -TaskId <id>.");
            }
        }

        /// <summary>The given ids as tasks; a blank id is an EmptyTaskId error rather than silently skipped.</summary>
        private IEnumerable<SeedanceTask> TaskIdsReportingBlanks(AsyncPipeline pipeline)
        {
            foreach (string id in TaskId)
            {
                if (string.IsNullOrWhiteSpace(id))
                {
                    pipeline.WriteError(SeedanceErrors.EmptyTaskId(id));
                    continue;
                }

                yield return new SeedanceTask(id.Trim());
            }
        }

        private static void Emit(AsyncPipeline pipeline, SeedanceTask task)
        {
            if (task.Status == SeedanceTaskStatus.Fail)
            {
                pipeline.WriteError(SeedanceErrors.TaskFailed(task));
            }
            else
            {
                pipeline.WriteObject(task);
            }
        }
    }
}
