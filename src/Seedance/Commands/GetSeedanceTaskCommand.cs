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
using Seedance.Client.Workflows;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// Get-SeedanceTask: with -TaskId, the current state of tasks by id, looked up concurrently, emitted in input order
    /// (and recorded in the task journal); without it, the journaled tasks, newest first, without any request.
    /// User help (synopsis, parameters, examples): docs/en-US/Get-SeedanceTask.md, the one source of that text.
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "SeedanceTask", DefaultParameterSetName = ListSet, HelpUri = HelpLinks.Docs + "Get-SeedanceTask.md")]
    [OutputType(typeof(SeedanceTask))]
    [OutputType(typeof(SeedanceUncertainCreate), ParameterSetName = new[] { ListSet })]
    public sealed class GetSeedanceTaskCommand : SeedanceApiCmdlet
    {
        private const string ListSet = "List";
        private const string ByIdSet = "TaskId";

        private SemaphoreSlim? _throttle;
        private Task _previousOutput = Task.CompletedTask;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByIdSet)]
        [Alias("Id")]
        [AllowEmptyString]
        [AllowEmptyCollection]
        [ArgumentCompleter(typeof(TaskIdCompleter))]
        public string[] TaskId { get; set; } = Array.Empty<string>();

        [Parameter(ParameterSetName = ByIdSet)]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 8;

        /// <summary>Only tasks in these states, as last recorded (OutcomeUnknown: creates sent without a usable answer).</summary>
        [Parameter(ParameterSetName = ListSet)]
        public JournalTaskState[] Status { get; set; } = Array.Empty<JournalTaskState>();

        /// <summary>Only tasks created at or after this time.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public DateTime? Since { get; set; }

        /// <summary>Only tasks whose row Name matches one of these (wildcards allowed, case-insensitive).</summary>
        [Parameter(ParameterSetName = ListSet)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(TaskNameCompleter))]
        public string[] Name { get; set; } = Array.Empty<string>();

        /// <summary>
        /// Only tasks of these batches (wildcards; * for every batch). By default the batch of the current folder, as
        /// New-SeedanceTask names it: a listing (and -Pending piped to Save-SeedanceVideo) is this project's tasks.
        /// Tasks journaled before batches existed belong to every batch.
        /// </summary>
        [Parameter(ParameterSetName = ListSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[] Batch { get; set; } = Array.Empty<string>();

        /// <summary>Only tasks that still need something: not finished, succeeded but not saved, or outcome unknown.</summary>
        [Parameter(ParameterSetName = ListSet)]
        public SwitchParameter Pending { get; set; }

        // Decided in BeginProcessing, before pipeline input is bound: ids may still come from the pipeline then.
        private protected override JournalUse JournalUse =>
            ParameterSetName == ListSet && !MyInvocation.ExpectingInput ? JournalUse.Required : JournalUse.Optional;

        protected override Task ProcessRecordAsync(PipelineOutput pipeline, CancellationToken cancellationToken)
        {
            if (ParameterSetName == ListSet)
            {
                // Run on its own, the listing is this one record; piped an empty list, nothing is asked and nothing listed.
                List(pipeline);
                return Task.CompletedTask;
            }

            SeedanceClient client = RequireClient(pipeline);
            _throttle ??= new SemaphoreSlim(ThrottleLimit);
            foreach ((string id, JournalTaskSummary? known, bool isJournalName) in TaskIds(pipeline, TaskId))
            {
                // Each lookup runs at once but writes only after the one before it: output in input order.
                Task previous = _previousOutput;
                _previousOutput = Background.Start(async token =>
                {
                    SeedanceTask? task = await ReadTaskAsync(client, id, known, isJournalName, Background, token, _throttle, writeAfter: previous).ConfigureAwait(false);
                    await previous.ConfigureAwait(false);
                    if (task is not null)
                    {
                        Background.WriteObject(task);
                    }
                });
            }

            return Task.CompletedTask;
        }

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (disposing)
            {
                _throttle?.Dispose();
            }
        }

        /// <summary>The journal's tasks, newest first, as last recorded: no request is made (the API cannot list).</summary>
        private void List(PipelineOutput pipeline)
        {
            if (!Journal.IsEnabled)
            {
                throw new TerminatingErrorException(SeedanceErrors.JournalOff("Get-SeedanceTask without -TaskId lists the tasks of the task journal."));
            }

            JournalSnapshot snapshot = ReadJournal(pipeline.WriteWarning, required: true)!;

            WildcardPattern[] names = Name.Select(name => WildcardPattern.Get(name, WildcardOptions.IgnoreCase)).ToArray();
            WildcardPattern[] batches = Batch.Select(batch => WildcardPattern.Get(batch, WildcardOptions.IgnoreCase)).ToArray();
            JournalQuery query = new JournalQuery
            {
                States = Status.Length > 0 ? Status : null,
                Since = Since is DateTime since ? new DateTimeOffset(since) : (DateTimeOffset?)null,
                NameMatches = names.Length > 0 ? name => name is not null && names.Any(pattern => pattern.IsMatch(name)) : null,
                BatchMatches = batches.Length > 0 ? batch => batches.Any(pattern => pattern.IsMatch(batch)) : null,
                Pending = Pending.IsPresent,
            };
            TaskListing listing = TaskListing.Of(snapshot, query, SessionState.Path.CurrentFileSystemLocation.ProviderPath);
            if (listing.Warning is not null)
            {
                pipeline.WriteWarning(listing.Warning);
            }

            foreach (object item in listing.Items)
            {
                pipeline.WriteObject(item);
            }
        }
    }
}
