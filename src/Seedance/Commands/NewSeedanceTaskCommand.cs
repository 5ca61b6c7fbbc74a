using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Uploads;
using Seedance.Client.Validation;
using Seedance.Client.Workflows;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// New-SeedanceTask: validates, prices (ShouldProcess), waits for a free slot on 429 and creates one task per input.
    /// User help (synopsis, parameters, examples): docs/en-US/New-SeedanceTask.md, the one source of that text.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "SeedanceTask", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Docs + "New-SeedanceTask.md")]
    [OutputType(typeof(SeedanceTask))]
    public sealed class NewSeedanceTaskCommand : SeedanceApiCmdlet
    {
        private LocalMaterials? _localMaterials;
        private CreateWorkflow? _workflow;
        private UnboundProperties? _unbound;

        /// <summary>The batch of a row without -Batch: the folder the command started in (read on the pipeline thread).</summary>
        private string? _defaultBatch;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowNull]
        public string Prompt { get; set; } = string.Empty;

        /// <summary>
        /// Images: http(s) URLs, local paths (resolved against the current location, uploaded), or file objects
        /// (Get-Item *.png). One value may hold several, as CSV cells do: separated by ';', or by ',' or whitespace
        /// before the next http(s):// URL.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Images", "ImageUrl", "ImageUrls", "Urls")]
        [MaterialArgumentTransformation]
        public string[] Image { get; set; } = Array.Empty<string>();

        /// <summary>Videos (at most 50 MB each): http(s) URLs, local paths or file objects, like -Image.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Videos", "VideoUrl", "VideoUrls")]
        [MaterialArgumentTransformation]
        public string[] Video { get; set; } = Array.Empty<string>();

        /// <summary>
        /// A model of the catalog (Get-SeedanceCreditCost lists them), or any other name: sent as given with a warning,
        /// limits unchecked. Blank means the catalog's default model (a CSV cell left empty).
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CatalogCompleter))]
        public string? Model { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CatalogCompleter))]
        [Alias("AspectRatio")]
        public string? Ratio { get; set; }

        /// <summary>
        /// Seconds, in the model's range (the catalog's): 8, "8" (a CSV cell) or "8s"; blank means the default (5). A
        /// value that is no whole number ('abc', 8.5) binds as not given and is kept (see
        /// <see cref="DurationTransformationAttribute"/>) to be refused as InvalidDuration with the row's other problems,
        /// never dropped so that the 5 s default would be created and paid for.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CatalogCompleter))]
        [DurationTransformation]
        public int? Duration
        {
            get => _duration;
            set
            {
                _duration = value;
                _unparsedDuration = DurationTransformationAttribute.TakeUnparsed() is { Count: > 0 } unparsed ? unparsed[0] : null;
            }
        }

        private int? _duration;

        /// <summary>A -Duration value given that is no whole number of seconds, exactly as given; null when none.</summary>
        private object? _unparsedDuration;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CatalogCompleter))]
        public string? Mode { get; set; }

        /// <summary>
        /// An absolute http(s) URL the service POSTs the finished task to. Text for the same reason as Duration: a
        /// malformed URL from a CSV row would otherwise be dropped in binding and the task created without it.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("CallBackUrl")]
        public string? CallbackUri { get; set; }

        /// <summary>Your key for the row (a CSV Name column): kept on the task and named in messages; never sent.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowNull]
        public string? Name { get; set; }

        /// <summary>
        /// Where a Name is a key: a row matches only the tasks of its batch. By default the folder the command runs in
        /// (a project's folder is what a user sees, and a fresh folder's CSV then never matches another project's
        /// tasks); a label for a runbook that starts in a new folder each run.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowNull]
        public string? Batch { get; set; }

        /// <summary>Seconds to wait for a free slot when the account is full (429); -1 (the default) waits as long as it takes.</summary>
        [Parameter]
        [ValidateRange(-1, int.MaxValue)]
        public int SlotTimeout { get; set; } = -1;

        /// <summary>
        /// The pipeline object itself (a CSV row, a request handed back on an error), so that errors about a row can
        /// carry that row as their TargetObject. Not for direct use.
        /// </summary>
        [Parameter(ValueFromPipeline = true, DontShow = true)]
        public PSObject? InputObject { get; set; }

        /// <summary>
        /// Audio references (kinovi-shaped hosts: audioUrls): http(s) URLs, local files (.mp3, .wav, .m4a, .aac, .ogg,
        /// .flac; checked and uploaded like images and videos) or file objects, never alone (an image or video must come
        /// with them); @N counts them after the images and videos. A host of the Seed shape has no audio input.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("AudioUrl", "AudioUrls")]
        [MaterialArgumentTransformation]
        public string[] Audio { get; set; } = Array.Empty<string>();

        /// <summary>480p, 720p, 1080p, 4k: those of the model (the catalog's); it changes the price. Blank: the model's default.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(CatalogCompleter))]
        [Alias("Resolution")]
        public string? OutputResolution { get; set; }

        /// <summary>0 to 4294967295, or -1 for random (sent as "seed"). Text, so that a bad CSV cell is refused (InvalidSeed) rather than dropped.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string? Seed { get; set; }

        /// <summary>true or false (sent as "generate_audio"). Text, because PowerShell turns the CSV text 'false' into $true.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("generate_audio")]
        public string? GenerateAudio { get; set; }

        /// <summary>
        /// Optional inputs the module has no parameter for, sent into "inputs" exactly as given and shown by -WhatIf:
        /// @{ outputResolution = '1080p'; seed = 42 }. Documented names are checked; a name a parameter covers is refused.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("AdditionalInputs")]
        [AdditionalInputTransformation]
        public System.Collections.IDictionary? AdditionalInput { get; set; }

        /// <summary>
        /// The most credits this command may spend, all its creates together (from the price table): a create that
        /// would go over is refused (BudgetExceeded) and nothing is sent. Rows the journal already has cost nothing.
        /// </summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public decimal MaxCredits { get; set; }

        /// <summary>
        /// Send a row even when the task journal has a create of its Name whose outcome is unknown (PossibleDuplicate):
        /// only after checking that the service did not make that task; or whose last task failed for an input or
        /// moderation reason with the same request (FailedBefore). A row whose task exists is still not sent again.
        /// </summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        private protected override JournalUse JournalUse => JournalUse.Required;

        /// <summary>
        /// Rows refused for what the journal knows of them (<see cref="CreateRows.WaitsForTheEnd"/>), each a non-terminating
        /// error written once at the end so the rows after it are still created: under ErrorAction Stop, by the last
        /// command of the pipeline, once the batch's tasks were waited for and saved (issue 16).
        /// </summary>
        private readonly List<ErrorRecord> _refusedRows = new List<ErrorRecord>();
        private bool _errorsStopTheRun;

        protected override void BeginProcessing()
        {
            // Opens the journal first (a terminating error, before any upstream row is processed, when it cannot be written).
            base.BeginProcessing();
            StopIfTheDailyLimitIsUnusable();

            _defaultBatch = SessionState.Path.CurrentFileSystemLocation?.ProviderPath;
            // ErrorAction Stop (or Inquire, which a runbook cannot answer), given to the command or in $ErrorActionPreference.
            object? errorAction = MyInvocation.BoundParameters.TryGetValue("ErrorAction", out object? given) ? given : GetVariableValue("ErrorActionPreference");
            _errorsStopTheRun = LanguagePrimitives.TryConvertTo(errorAction, out ActionPreference action) && (action == ActionPreference.Stop || action == ActionPreference.Inquire);
            decimal? maxCredits = MyInvocation.BoundParameters.ContainsKey(nameof(MaxCredits)) ? MaxCredits : (decimal?)null;
            _workflow = CreateWorkflow.Open(Journal, Configuration.DailyCreditLimit, Configuration.DailyCreditLimitSource, maxCredits, Force.IsPresent, Key, WhatIf);
            if (_workflow.EndedBy is SeedanceException unusable)
            {
                ThrowTerminatingError(SeedanceErrors.FromException(unusable, null)); // a journal the creates cannot use
            }

            try
            {
                // Read once here: unreadable lines (a crash mid-write) are said before the first create, and each row's
                // checks then read only what was appended since.
                ReadJournal(WriteWarning, required: true);
            }
            catch (JournalException e)
            {
                ThrowTerminatingError(SeedanceErrors.FromException(e, null));
            }
        }

        protected override Task EndProcessingAsync(PipelineOutput pipeline, CancellationToken cancellationToken)
        {
            _refusedRows.ForEach(refused => (_errorsStopTheRun ? (Action<ErrorRecord>)PaidTasks.Defer : pipeline.WriteError)(refused));

            // Names never surprise: rows reused by Name, created anew beside a task in another batch, or sent again without a Name.
            foreach (string note in _workflow!.Notes.Announcements(_workflow.WhatIf, DateTimeOffset.UtcNow))
            {
                pipeline.WriteWarning(note);
            }

            if (_workflow.WhatIf)
            {
                pipeline.Invoke(() => WriteInformation(new HostInformationMessage { Message = _workflow.PreviewSummary }, new[] { "PSHOST" }));
            }

            return Task.CompletedTask;
        }

        protected override async Task ProcessRecordAsync(PipelineOutput pipeline, CancellationToken cancellationToken)
        {
            // An error about a piped row names that row: the PSObject itself (a CSV row's base object is an empty
            // PSCustomObject), to re-pipe or export; typed parameters keep the offending value as the target.
            object? row = InputObject;
            if (UnboundProperties.PromptMissing(InputObject) is ErrorRecord noPrompt)
            {
                pipeline.WriteError(noPrompt);
                return;
            }

            // A column no parameter takes is dropped by PowerShell without a word, and the task paid for without it.
            _unbound ??= UnboundProperties.For(MyInvocation.MyCommand);
            if (_unbound.Warning(InputObject) is string unboundColumns)
            {
                pipeline.WriteWarning(unboundColumns);
            }

            // Every problem of the row in one plan: a value that does not parse is reported, and a harmless stand-in lets
            // the other checks still run. Local files are checked now; nothing is uploaded before ShouldProcess.
            PriceTable catalog = Configuration.PriceTable;
            CreateTaskRequest request = CreateRows.Request(new CreateRow
            {
                Prompt = Prompt, Image = Image, Video = Video, Audio = Audio, Model = Model, Ratio = Ratio, Duration = Duration, UnparsedDuration = _unparsedDuration,
                Mode = Mode, CallbackUri = CallbackUri, Name = Name, Batch = Batch, AdditionalInputs = PlainValues.FromDictionary(AdditionalInput),
                OutputResolution = OutputResolution, Seed = Seed, GenerateAudio = GenerateAudio,
            }, catalog, _defaultBatch, out IReadOnlyList<ValidationFailure> bindingFailures);
            MaterialSelection materials = await Materials.SelectAsync(pipeline, SessionState, request).ConfigureAwait(false);
            CreateCheck check = _workflow!.Plan(request, catalog, Configuration.RequestShape, Configuration.ApiBaseUri, bindingFailures, materials);
            check.Warnings.ToList().ForEach(pipeline.WriteWarning);
            if (check.HasProblems)
            {
                // One error per problem, and nothing sent: this input is skipped, the next pipeline input still runs.
                check.Failures.ToList().ForEach(failure => pipeline.WriteError(SeedanceErrors.Validation(failure, row, request)));
                check.UnusableFiles.ToList().ForEach(failure => pipeline.WriteError(SeedanceErrors.ForRow(ErrorFrom(failure, failure.Path), request)));
                return;
            }

            CreditCost cost = check.Cost!;
            if (check.Settled is CreateOutcome settled)
            {
                await WriteAsync(pipeline, settled, row, request, confirmReuse: true).ConfigureAwait(false);
                return;
            }

            bool confirmed = await pipeline.ShouldProcessAsync(check.Target, materials.DescribeAction(check.Action, Materials.Files, Materials.ThroughScriptBlock)).ConfigureAwait(false);
            if (!_workflow.Confirmed(check, confirmed))
            {
                return;
            }

            if (check.SameUnnamed is not null)
            {
                pipeline.WriteVerbose($"{request.Describe()} has no Name and matches task {check.SameUnnamed.TaskId ?? "(outcome unknown)"} created at {check.SameUnnamed.CreatedAt.ToUniversalTime():u}; sending it again.");
            }

            // No task without its materials; a host without uploads, or a refused key, would fail every input alike.
            if (materials.HasLocalFiles &&
                await Materials.UploadAsync(materials, request, pipeline, () => RequireClient(pipeline), cancellationToken).ConfigureAwait(false) is (SeedanceException, string) failed)
            {
                ErrorRecord error = ErrorFrom(failed.Failure, failed.Path);
                if (CreateWorkflow.IsFatalForTheBatch(failed.Failure))
                {
                    throw new TerminatingErrorException(error);
                }

                pipeline.WriteError(error);
                return;
            }

            // The checks again, atomically under the journal's lock, with the intent written and flushed before anything
            // is sent: a journal that cannot be written stops here, before any money is spent.
            SeedanceClient client = RequireClient(pipeline);
            CreateOutcome outcome;
            using (SlotWaitProgress progress = new SlotWaitProgress(pipeline))
            {
                TimeSpan? slotTimeout = SlotTimeout >= 0 ? TimeSpan.FromSeconds(SlotTimeout) : (TimeSpan?)null;
                outcome = await _workflow.CreateAsync(client, request, cost.Credits, slotTimeout, progress, cancellationToken).ConfigureAwait(false);
            }

            SayJournalNotices(pipeline.WriteWarning); // a journal deleted or replaced under this command, noticed by the create
            if (outcome.MayExist)
            {
                PaidTasks.AddUncertainCreate(request); // named in the account now: the warning of the stop or the error must name it
            }

            if (outcome.IsStopped)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            if (outcome.Task is not null)
            {
                pipeline.WriteVerbose($"Created task {outcome.TaskId} for {request.Describe()} ({cost}).");
            }

            await WriteAsync(pipeline, outcome, row, request, confirmReuse: false).ConfigureAwait(false);
        }

        /// <summary>
        /// What came of a row: the task created, emitted; a failed create, the row's error, or the end of the batch
        /// (<see cref="CreateOutcome.EndsTheBatch"/>); a refusal, its error now or at the end (<see cref="CreateRows.WaitsForTheEnd"/>);
        /// or the task the journal has for the row's Name (found by the check, or by the lock after ShouldProcess), emitted
        /// and nothing created: asked first when <paramref name="confirmReuse"/>, so that -WhatIf only says it.
        /// </summary>
        private async Task WriteAsync(PipelineOutput pipeline, CreateOutcome outcome, object? row, CreateTaskRequest request, bool confirmReuse)
        {
            if (outcome.Task is SeedanceTask created)
            {
                PaidTasks.Track(created);
                pipeline.WriteObject(created);
            }
            else if (outcome.Error is SeedanceException error)
            {
                // A refused create: the row (or, for typed parameters, the request, which can be piped back as it is) is the target.
                ErrorRecord record = ErrorFrom(error, outcome.Failure == CreateFailure.OutcomeUnknown ? request : row ?? request);
                record = outcome.Failure is null ? record : SeedanceErrors.ForRow(record, request);
                if (outcome.EndsTheBatch)
                {
                    throw new TerminatingErrorException(record);
                }

                if (outcome.Failure is not null || !CreateRows.WaitsForTheEnd(error))
                {
                    pipeline.WriteError(record);
                    return;
                }

                pipeline.WriteVerbose($"{record.ErrorDetails?.Message ?? error.Message} (listed again at the end; the other rows go on)");
                lock (_refusedRows)
                {
                    _refusedRows.Add(record);
                }
            }
            else if (outcome.Existing is JournalTaskSummary existing)
            {
                SeedanceTask task = existing.ToSeedanceTask() ?? throw new InvalidOperationException("A journaled task without an id was offered for reuse.");
                string state = task.StatusText ?? task.Status;
                if (confirmReuse && !await pipeline.ShouldProcessAsync($"row '{request.Name}'", $"Use task {task.TaskId} ({state}) that the task journal has for it; nothing is created").ConfigureAwait(false))
                {
                    return;
                }

                if (CreateRows.ChangedSince(existing, request) is string changed)
                {
                    pipeline.WriteWarning(changed);
                }

                _workflow!.Notes.Reused(request.Name!, existing);
                PaidTasks.Track(task);
                pipeline.WriteVerbose($"Row '{request.Name}' already has task {task.TaskId} ({state}) in the task journal ({Journal.Path}): emitting it; nothing created.");
                pipeline.WriteObject(task);
            }
        }

        /// <summary>
        /// The local files of this command, each checked, hashed and uploaded once however many inputs use it. The
        /// journal keeps the uploaded URL in the create's request, as it is sent, and each file's path and hash beside it.
        /// </summary>
        private LocalMaterials Materials => _localMaterials ??= new LocalMaterials(Configuration.Uploader);

    }
}
