using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Workflows;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// Register-SeedanceTask: ties a task found in the account's task history to a journaled create whose outcome is
    /// unknown (its Name and request), so that -Pending, re-runs of the row and Save-SeedanceVideo treat it as that
    /// row's task. The id is read from the service first: a typo, or an id of another account, ties nothing.
    /// User help (synopsis, parameters, examples): docs/en-US/Register-SeedanceTask.md, the one source of that text.
    /// </summary>
    /// <remarks>
    /// Why a cmdlet of its own, with Register: it writes a record (the create's answer) into the journal, which no Get
    /// may do, and "Register" is PowerShell's verb for entering a resource into a store (Register-ScheduledTask,
    /// Register-PSRepository). Piped from <c>Get-SeedanceTask -Status OutcomeUnknown</c>, the uncertain create binds by
    /// its IntentId (and Name); typed, <c>-Name row-7</c> picks the row's one uncertain create.
    /// </remarks>
    [Cmdlet(VerbsLifecycle.Register, "SeedanceTask", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Docs + "Register-SeedanceTask.md")]
    [OutputType(typeof(SeedanceTask))]
    public sealed class RegisterSeedanceTaskCommand : SeedanceApiCmdlet
    {
        /// <summary>The id of the task you found (task_...).</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [Alias("Id")]
        [ValidateNotNullOrEmpty]
        public string TaskId { get; set; } = string.Empty;

        /// <summary>The row whose create has an unknown outcome (its only uncertain create).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(TaskNameCompleter))]
        public string? Name { get; set; }

        /// <summary>The uncertain create itself (what Get-SeedanceTask -Status OutcomeUnknown shows): needed for a create without a Name.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? IntentId { get; set; }

        /// <summary>Record the task even when the service made it with another model or before the create was sent.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private protected override JournalUse JournalUse => JournalUse.Required;

        protected override async Task ProcessRecordAsync(PipelineOutput pipeline, CancellationToken cancellationToken)
        {
            string taskId = TaskId.Trim();
            string? name = string.IsNullOrWhiteSpace(Name) ? null : Name!.Trim();
            string? intentId = string.IsNullOrWhiteSpace(IntentId) ? null : IntentId!.Trim();
            if (name is null && intentId is null)
            {
                pipeline.WriteError(SeedanceErrors.Record(new ArgumentException("Give -Name or -IntentId."), "UncertainCreateNotGiven", taskId,
                    $"Say which uncertain create task {taskId} belongs to: -Name <row>, or pipe it from Get-SeedanceTask -Status OutcomeUnknown (a create without a Name binds by its IntentId)."));
                return;
            }

            if (!Journal.IsEnabled)
            {
                throw new TerminatingErrorException(SeedanceErrors.JournalOff("Register-SeedanceTask ties a task to a create of the task journal."));
            }

            // A refusal of the tie is this input's error; a journal that cannot be written is not caught here.
            JournalTaskSummary? Settle(bool write)
            {
                try
                {
                    return Journal.Settle(intentId, name, taskId, write);
                }
                catch (SeedanceException e) when (e.Problem is not null)
                {
                    pipeline.WriteError(ErrorFrom(e, taskId));
                    return null;
                }
            }

            // What it would tie, checked before anything is asked or written.
            if (Settle(write: false) is not JournalTaskSummary create)
            {
                return;
            }

            string row = create.Name is null ? $"the create of '{create.PromptExcerpt(60)}'" : $"row '{create.Name}'";
            if (!await pipeline.ShouldProcessAsync($"{row} (sent {create.CreatedAt.ToUniversalTime():u}, outcome unknown)", $"Record task {taskId} as its task in the task journal").ConfigureAwait(false))
            {
                return;
            }

            // The service must know the id: a typo or another account's task must not become a row's task.
            SeedanceTask task;
            try
            {
                task = await RequireClient(pipeline).GetTaskAsync(taskId, cancellationToken).ConfigureAwait(false);
            }
            catch (SeedanceException e)
            {
                pipeline.WriteError(SeedanceErrors.ForTask(ErrorFrom(e, taskId), taskId));
                return;
            }

            string? whyNot = SettleAnswer.WhyNot(create, task);
            if (whyNot is not null && !Force.IsPresent)
            {
                pipeline.WriteError(ErrorFrom(new SeedanceException(SeedanceProblem.TaskDoesNotMatchCreate,
                    $"Task {taskId} cannot be the answer of {row}: {whyNot}. Nothing was recorded. Look for a task made with that model at or after the time the create was sent; -Force records it all the same."), taskId));
                return;
            }

            if (whyNot is not null)
            {
                pipeline.WriteWarning($"Task {taskId} is recorded as the task of {row} because of -Force, although {whyNot}.");
            }

            if (Settle(write: true) is not JournalTaskSummary settled)
            {
                return;
            }

            Observed(task, settled, pipeline);
            PaidTasks.Track(task);
            pipeline.WriteVerbose($"Task {taskId} is now the task of {row} in the task journal ({Journal.Path}).");
            pipeline.WriteObject(task);
        }
    }
}
