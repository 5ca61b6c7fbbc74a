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
        private bool _whatIf;
        private readonly ReusedRows _reused = new ReusedRows();

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
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string? Model { get; set; }

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RatioCompleter))]
        [Alias("AspectRatio")]
        public string? Ratio { get; set; }

        /// <summary>
        /// Seconds, in the model's range (the catalog's): 8, "8" (a CSV cell) or "8s"; blank means the default (5). A
        /// value that is no whole number ('abc', 8.5) binds as not given and is kept (see
        /// <see cref="DurationTransformationAttribute"/>) to be refused as InvalidDuration with the row's other problems,
        /// never dropped so that the 5 s default would be created and paid for.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DurationCompleter))]
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
        [ArgumentCompleter(typeof(ModeCompleter))]
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

        private const string DefaultRatio = "16:9";
        private const int DefaultDuration = 5;

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
        [ArgumentCompleter(typeof(ResolutionCompleter))]
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

        private readonly List<JournalTaskSummary> _sentAgainUnnamed = new List<JournalTaskSummary>();
        private readonly NamesInOtherBatches _namesInOtherBatches = new NamesInOtherBatches();

        /// <summary>
        /// Rows refused for what the journal knows of them (PossibleDuplicate: a create with an unknown outcome or still in
        /// flight; FailedBefore: an unchanged row that failed for an input or moderation reason). Each is a non-terminating
        /// error written once at the end, so the rows after it are still created: under ErrorAction Stop, by the last
        /// command of the pipeline, once the batch's tasks were waited for and saved (issue 16).
        /// </summary>
        private readonly List<ErrorRecord> _refusedRows = new List<ErrorRecord>();

        protected override void BeginProcessing()
        {
            // Opens the journal first (a terminating error, before any upstream row is processed, when it cannot be written).
            base.BeginProcessing();
            if (Configuration.Journal.DailyCreditLimitProblem is string problem)
            {
                ThrowTerminatingError(SeedanceErrors.BadSetting("InvalidDailyCreditLimit", problem, global::Seedance.Commands.Configuration.SeedanceConfiguration.DailyCreditLimitVariable));
            }

            _defaultBatch = SessionState.Path.CurrentFileSystemLocation?.ProviderPath;
            decimal? maxCredits = MyInvocation.BoundParameters.ContainsKey(nameof(MaxCredits)) ? MaxCredits : (decimal?)null;
            _whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? whatIf)
                ? LanguagePrimitives.IsTrue(whatIf)
                : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));
            try
            {
                _workflow = CreateWorkflow.Open(Journal.Journal, Configuration.Journal.DailyCreditLimit, Configuration.Journal.DailyCreditLimitSource, maxCredits, Force.IsPresent);

                // Read once here: unreadable lines (a crash mid-write) are said before the first create, and each row's
                // checks then read only what was appended since.
                if (Journal.IsEnabled)
                {
                    Journal.Read(WriteWarning);
                }
            }
            catch (JournalException e)
            {
                ThrowTerminatingError(SeedanceErrors.Journal(e));
            }
        }

        /// <summary>
        /// Once per command: rows without a Name that matched recent creates of the same request were sent again (issue
        /// 16: a CSV without a Name column run twice paid twice without a word).
        /// </summary>
        protected override Task EndProcessingAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            if (_sentAgainUnnamed.Count > 0)
            {
                DateTimeOffset oldest = _sentAgainUnnamed.Min(task => task.CreatedAt);
                int count = _sentAgainUnnamed.Count;
                string ids = string.Join(", ", _sentAgainUnnamed.Select(task => task.TaskId ?? "(outcome unknown)").Distinct().Take(5)) + (count > 5 ? ", ..." : string.Empty);
                pipeline.WriteWarning(
                    $"{count} {(count == 1 ? "row matches a task" : "rows match tasks")} created {CreateWorkflow.Age(DateTimeOffset.UtcNow, oldest)} ago ({ids}) " +
                    $"with the same request and no Name; {(count == 1 ? "it was" : "they were")} sent again, and paid again. Give each row a Name " +
                    "(a Name column in the CSV): a re-run then uses the row's task instead of creating another.");
            }

            return Task.CompletedTask;
        }

        private protected override void EndProcessed()
        {
            // Rows refused for what the journal knows of them, listed once at the end and never the end of the run.
            foreach (ErrorRecord refused in _refusedRows)
            {
                if (ErrorsStopTheRun())
                {
                    PaidTasks.Defer(refused);
                }
                else
                {
                    WriteError(refused);
                }
            }

            // Names never surprise: a row that made nothing because its Name already has a task is said without -Verbose,
            // and so is a row created anew although its Name has a task in another batch (the same CSV in another folder).
            if (_reused.Announcement() is string reused)
            {
                WriteWarning(reused);
            }

            if (_namesInOtherBatches.Announcement(_whatIf) is string elsewhere)
            {
                WriteWarning(elsewhere);
            }

            // -WhatIf adds up: one closing line with what the whole command would create and cost.
            if (_whatIf && _workflow is not null)
            {
                string line = string.Format(CultureInfo.InvariantCulture, "What if: {0} task{1} would be created, {2:0.##} credits (${3:0.00}) in all.",
                    _workflow.PreviewedTasks, _workflow.PreviewedTasks == 1 ? string.Empty : "s", _workflow.PreviewedCredits, _workflow.PreviewedUsd);
                WriteInformation(new HostInformationMessage { Message = line }, new[] { "PSHOST" });
            }
        }

        private void NoteNameInOtherBatch(CreateTaskRequest request, CreateCheck check)
        {
            if (check.NameInOtherBatch is JournalTaskSummary other && request.Name is not null)
            {
                _namesInOtherBatches.Add(request.Name, request.Batch, other);
            }
        }

        protected override async Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            // An error about a piped row names that row (the object itself, to re-pipe or export); typed parameters
            // keep the offending value as the target.
            // The PSObject itself, not its base: a CSV row's base object is an empty PSCustomObject.
            object? row = InputObject;
            ErrorRecord? noPrompt = PromptMissing(InputObject);
            if (noPrompt is not null)
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

            // Text inputs first: a value that does not parse is reported as such, and a harmless stand-in lets the
            // other checks still run, so one call reports every problem of the row.
            PriceTable catalog = Configuration.PriceTable;
            ModelSpec spec = catalog.Model(InputParser.OrDefault(Model, catalog.DefaultModel));
            // A value that is no number was kept as given: parsed again, for the message with the model's range.
            ValidationFailure? badDuration = _unparsedDuration is object unparsed ? InputParser.DurationFailure(unparsed, spec) : null;
            int seconds = Duration ?? DefaultDuration;
            ValidationFailure? badCallback = InputParser.ParseCallbackUri(CallbackUri, out Uri? callback);
            CreateTaskRequest request = BuildRequest(spec, badDuration is null ? seconds : spec.MinDuration ?? DefaultDuration, callback);

            // Local files are checked now and counted with the URLs; nothing is uploaded before ShouldProcess.
            MaterialSelection materials = await Materials.SelectAsync(pipeline, SessionState, request, cancellationToken).ConfigureAwait(false);
            List<ValidationFailure> failures = new List<ValidationFailure>();
            failures.AddRange(new[] { badDuration, badCallback }.Where(failure => failure is not null).Select(failure => failure!));
            failures.AddRange(OptionalInputs(request));
            failures.AddRange(CreateTaskRequestValidator.Validate(request, catalog, Configuration.RequestShape).Where(failure => !materials.IsAboutACheckedFile(failure)));
            if (failures.Count > 0 || materials.Failures.Count > 0)
            {
                // One error per problem, and nothing sent: this input is skipped, the next pipeline input still runs.
                foreach (ValidationFailure failure in failures)
                {
                    pipeline.WriteError(SeedanceErrors.Validation(failure, row, request));
                }

                foreach (LocalMaterialException failure in materials.Failures)
                {
                    pipeline.WriteError(SeedanceErrors.ForRow(ErrorFrom(failure, failure.Path), request));
                }

                return;
            }

            foreach (string warning in CreateTaskRequestValidator.Warnings(request, catalog, Configuration.BaseUri))
            {
                pipeline.WriteWarning(warning);
            }

            CreditCost cost = catalog.CostOf(request);
            if (!cost.PriceKnown && (MyInvocation.BoundParameters.ContainsKey(nameof(MaxCredits)) || Configuration.DailyCreditLimit is not null))
            {
                // A budget never guesses: without a rate, what the task would take from it is unknown.
                pipeline.WriteError(SeedanceErrors.Validation(new ValidationFailure("BudgetNeedsPrice", "Model", request.Model,
                    $"Model '{request.Model}' has no price in the catalog, so -MaxCredits or the daily credit limit cannot count it. " +
                    "Give it a rate in a price table of your own (Set-SeedanceConfiguration -PriceTable), or run it without a budget."), row, request));
                return;
            }

            CreateCheck check = Guarded(() => _workflow!.Check(request, cost.Credits));
            if (check.Refusal is not null)
            {
                WriteRefusal(pipeline, ErrorFrom(check.Refusal, row ?? request));
                return;
            }

            if (check.Existing is not null)
            {
                await UseJournaledTaskAsync(pipeline, check.Existing, request, confirm: true).ConfigureAwait(false);
                return;
            }

            string target = $"'{request.PromptExcerpt(60)}' ({request.Model}, " +
                (spec.TakesDuration ? $"{request.Duration}s" : "the source's length") + (spec.TakesRatio ? $", {request.Ratio}" : string.Empty) +
                (request.ImageUrls.Count + request.VideoUrls.Count + request.AudioUrls.Count > 0
                    ? $", {request.ImageUrls.Count} image(s), {request.VideoUrls.Count} video(s)" + (request.AudioUrls.Count > 0 ? $", {request.AudioUrls.Count} audio" : string.Empty)
                    : string.Empty) +
                request.AdditionalInputsSummary + $", request shape {Configuration.RequestShape})";
            string action = (!cost.PriceKnown
                ? $"Create Seedance task, price unknown ('{request.Model}' is not in the catalog)"
                : cost.FinalMayChange
                    ? string.Format(CultureInfo.InvariantCulture, "Create Seedance task costing up to {0} credits (${1:0.00}; {2})", cost.Credits, cost.PriceUsd, cost.Charge)
                    : string.Format(CultureInfo.InvariantCulture, "Create Seedance task costing {0} credits (${1:0.00})", cost.Credits, cost.PriceUsd)) + check.Note;
            action = materials.DescribeAction(action, Materials.Files, Materials.ThroughScriptBlock);
            if (!await pipeline.ShouldProcessAsync(target, action).ConfigureAwait(false))
            {
                if (_whatIf)
                {
                    // Counted as the real run would count it: the next row's budget note and check add up.
                    _workflow!.Previewed(cost.Credits, cost.PriceUsd);
                    NoteNameInOtherBatch(request, check);
                }

                return;
            }

            NoteNameInOtherBatch(request, check);

            if (check.SameUnnamed is not null)
            {
                // Nothing ties a row without a Name to its earlier task: it is paid again, and the command says so once.
                lock (_sentAgainUnnamed)
                {
                    _sentAgainUnnamed.Add(check.SameUnnamed);
                }

                pipeline.WriteVerbose($"{request.Describe()} has no Name and matches task {check.SameUnnamed.TaskId ?? "(outcome unknown)"} created at {check.SameUnnamed.CreatedAt.ToUniversalTime():u}; sending it again.");
            }

            if (materials.HasLocalFiles)
            {
                if (await Materials.UploadAsync(materials, request, pipeline, () => RequireClient(pipeline), cancellationToken).ConfigureAwait(false) is (SeedanceException, string) failed)
                {
                    // No task without its materials. A host without uploads, or a refused key, would fail every input alike.
                    ErrorRecord error = ErrorFrom(failed.Failure, failed.Path);
                    if (CreateWorkflow.IsFatalForTheBatch(failed.Failure))
                    {
                        throw new TerminatingErrorException(error);
                    }

                    pipeline.WriteError(error);
                    return;
                }
            }

            SeedanceClient client = RequireClient(pipeline);

            // The checks again, atomically under the journal's lock, with the intent (the request) written and flushed
            // before anything is sent: a journal that cannot be written stops here, before any money is spent.
            DateTimeOffset createdAt = DateTimeOffset.UtcNow;
            CreateOutcome outcome;
            using (SlotWaitProgress progress = new SlotWaitProgress(pipeline, request))
            {
                TimeSpan? slotTimeout = SlotTimeout >= 0 ? TimeSpan.FromSeconds(SlotTimeout) : (TimeSpan?)null;
                outcome = await GuardedAsync(() => _workflow!.CreateAsync(client, request, cost.Credits, slotTimeout, progress, cancellationToken)).ConfigureAwait(false);
            }

            Journal.SayNotices(pipeline.WriteWarning); // a journal deleted or replaced under this command, noticed by the create

            if (outcome.Existing is not null)
            {
                // Another process made this row's task between the check and the lock: use it (already confirmed).
                await UseJournaledTaskAsync(pipeline, outcome.Existing, request, confirm: false).ConfigureAwait(false);
                return;
            }

            if (outcome.MayExist)
            {
                // Named in the ledger now: the warning of the stop or the error must name it.
                PaidTasks.AddUncertainCreate(request);
            }

            if (outcome.IsStopped)
            {
                throw new OperationCanceledException(cancellationToken);
            }

            if (outcome.TaskId is not string taskId)
            {
                WriteFailure(pipeline, outcome, row, request);
                return;
            }

            SeedanceTask task = new SeedanceTask(taskId)
            {
                Status = SeedanceTaskStatus.Waiting,
                StatusText = "waiting",
                Model = request.Model,
                Name = request.Name,
                Batch = request.Batch,
                Prompt = request.Prompt,
                Duration = request.Duration,
                Ratio = request.Ratio,
                CreatedAt = createdAt,
            };
            PaidTasks.Track(task);
            pipeline.WriteVerbose($"Created task {taskId} for {request.Describe()} ({cost}).");
            pipeline.WriteObject(task);
        }

        /// <summary>
        /// The row's Name has a task in the journal that did not fail: that task is the row's (its latest known state),
        /// and nothing is created. Under -WhatIf it is only said.
        /// </summary>
        private async Task UseJournaledTaskAsync(AsyncPipeline pipeline, JournalTaskSummary existing, CreateTaskRequest request, bool confirm)
        {
            SeedanceTask task = existing.ToSeedanceTask() ?? throw new InvalidOperationException("A journaled task without an id was offered for reuse.");
            string state = task.StatusText ?? task.Status;
            if (confirm && !await pipeline.ShouldProcessAsync($"row '{request.Name}'", $"Use task {task.TaskId} ({state}) that the task journal has for it; nothing is created").ConfigureAwait(false))
            {
                return;
            }

            if (CreateWorkflow.RowChangedSince(existing, request))
            {
                pipeline.WriteWarning($"Row '{request.Name}' differs from the request its task {task.TaskId} was made from (prompt, model, duration, ratio or materials); " +
                    "the journal's task is used and nothing is created. Give the row a new Name to create the changed one.");
            }

            _reused.Add(request.Name!, existing);
            PaidTasks.Track(task);
            pipeline.WriteVerbose($"Row '{request.Name}' already has task {task.TaskId} ({state}) in the task journal ({Journal.Path}): emitting it; nothing created.");
            pipeline.WriteObject(task);
        }

        /// <summary>
        /// A create without a task: refused before sending (the row's error), or failed. A lost answer ends the batch so
        /// the user can check before anything else is spent; so does what every further create would meet.
        /// </summary>
        private void WriteFailure(AsyncPipeline pipeline, CreateOutcome outcome, object? row, CreateTaskRequest request)
        {
            if (outcome.Failure is null)
            {
                WriteRefusal(pipeline, ErrorFrom(outcome.Error!, row ?? request));
                return;
            }

            // A refused create: the row (or, for typed parameters, the request, which can be piped back as it is) is the target.
            ErrorRecord error = SeedanceErrors.ForRow(ErrorFrom(outcome.Error!, outcome.Failure == CreateFailure.OutcomeUnknown ? request : row ?? request), request);
            if (outcome.Failure == CreateFailure.OutcomeUnknown || outcome.Failure == CreateFailure.FatalForTheBatch)
            {
                throw new TerminatingErrorException(error);
            }

            pipeline.WriteError(error);
        }

        /// <summary>A refused row's error: now, or kept for the end when the journal refused it (see <see cref="_refusedRows"/>).</summary>
        private void WriteRefusal(AsyncPipeline pipeline, ErrorRecord error)
        {
            if (error.Exception is PossibleDuplicateException || error.Exception is FailedBeforeException)
            {
                pipeline.WriteVerbose($"{error.ErrorDetails?.Message ?? error.Exception.Message} (listed again at the end; the other rows go on)");
                lock (_refusedRows)
                {
                    _refusedRows.Add(error);
                }

                return;
            }

            pipeline.WriteError(error);
        }

        /// <summary>The journal cannot be read or written: terminating, since no create may be sent without its record.</summary>
        private static async Task<T> GuardedAsync<T>(Func<Task<T>> step)
        {
            try
            {
                return await step().ConfigureAwait(false);
            }
            catch (JournalException e)
            {
                throw new TerminatingErrorException(SeedanceErrors.Journal(e));
            }
        }

        private static T Guarded<T>(Func<T> step)
        {
            try
            {
                return step();
            }
            catch (JournalException e)
            {
                throw new TerminatingErrorException(SeedanceErrors.Journal(e));
            }
        }

        /// <summary>
        /// The local files of this command, each checked, hashed and uploaded once however many inputs use it. The
        /// journal keeps the uploaded URL in the create's request, as it is sent, and each file's path and hash beside it.
        /// </summary>
        private LocalMaterials Materials => _localMaterials ??= new LocalMaterials(Configuration.Uploader);

        /// <summary>
        /// A piped object without a Prompt property (a CSV read with the wrong delimiter, a misspelt column, a
        /// hashtable, which never binds by property name) still binds: PowerShell turns the whole object into text
        /// for -Prompt, and that text would be sent and paid for. Refused, naming the row's properties.
        /// </summary>
        private static ErrorRecord? PromptMissing(PSObject? input)
        {
            if (input is null || input.BaseObject is string || input.Properties["Prompt"] is not null)
            {
                return null;
            }

            string[] names = input.Properties.Where(p => p.IsGettable).Select(p => p.Name).Take(12).ToArray();
            string hint = input.BaseObject is System.Collections.IDictionary
                ? " A hashtable does not bind by property name: make it an object, [pscustomobject]@{ Prompt = '...' }."
                : names.Any(name => name.IndexOf(';') >= 0 || name.IndexOf('\t') >= 0)
                    ? " The column names hold ';': the file uses another delimiter than ',', so read it with Import-Csv -Delimiter ';'."
                    : " Name the column with the prompt 'Prompt'.";
            string message = $"The input has no Prompt property, so there is no prompt to send (its properties: {string.Join(", ", names)}).{hint}";
            return SeedanceErrors.Record(new ArgumentException(message, nameof(Prompt)), "PromptMissing", ErrorCategory.InvalidArgument, input, message);
        }

        /// <summary>
        /// -OutputResolution, -Seed and -GenerateAudio, parsed into the request's inputs under the service's names (where
        /// the validator checks them against the model, as it does the same names given with -AdditionalInput).
        /// </summary>
        private IEnumerable<ValidationFailure> OptionalInputs(CreateTaskRequest request)
        {
            Dictionary<string, object?> inputs = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, object?> input in request.AdditionalInputs)
            {
                inputs[input.Key] = input.Value;
            }

            List<ValidationFailure> failures = new List<ValidationFailure>();
            void Add(string parameter, string name, object value)
            {
                if (inputs.Keys.Any(key => string.Equals(key, name, StringComparison.OrdinalIgnoreCase)))
                {
                    failures.Add(new ValidationFailure("AdditionalInputCollides", "AdditionalInput", name,
                        $"'{name}' is given both by -{parameter} and by -AdditionalInput; give it once, with -{parameter}."));
                    return;
                }

                inputs[name] = value;
            }

            if (!string.IsNullOrWhiteSpace(OutputResolution))
            {
                Add(nameof(OutputResolution), "outputResolution", OutputResolution!.Trim().ToLowerInvariant());
            }

            if (!string.IsNullOrWhiteSpace(Seed))
            {
                if (long.TryParse(Seed!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long seed))
                {
                    Add(nameof(Seed), "seed", seed);
                }
                else
                {
                    failures.Add(new ValidationFailure("InvalidSeed", "Seed", Seed,
                        $"Seed '{Seed}' is not a whole number. Give 0 to 4294967295, or -1 for random, e.g. -Seed 42."));
                }
            }

            if (!string.IsNullOrWhiteSpace(GenerateAudio))
            {
                string text = GenerateAudio!.Trim().TrimStart('$').ToLowerInvariant();
                bool? on = text == "true" || text == "yes" || text == "1" ? true : text == "false" || text == "no" || text == "0" ? false : (bool?)null;
                if (on is bool value)
                {
                    Add(nameof(GenerateAudio), "generate_audio", value);
                }
                else
                {
                    failures.Add(new ValidationFailure("InvalidGenerateAudio", "GenerateAudio", GenerateAudio,
                        $"GenerateAudio '{GenerateAudio}' is not true or false. Give $true or $false (in a CSV: true or false)."));
                }
            }

            request.AdditionalInputs = inputs;
            return failures;
        }

        private CreateTaskRequest BuildRequest(ModelSpec spec, int seconds, Uri? callback) => new CreateTaskRequest
        {
            // The row's text (a CSV cell, the journal's Name key) without control characters, as all text from outside: the
            // journal reads its records the same way, so a re-run matches them.
            Prompt = ServiceText.Clean(Prompt),
            Model = spec.Name,
            Ratio = InputParser.OrDefault(Ratio, DefaultRatio),
            // A model without a duration (edit) journals 0: its output has the source's length.
            Duration = spec.TakesDuration ? seconds : 0,
            ImageUrls = InputParser.SplitMaterials(Image),
            VideoUrls = InputParser.SplitMaterials(Video),
            Mode = string.IsNullOrWhiteSpace(Mode) ? null : Mode!.Trim().ToLowerInvariant(),
            CallbackUri = callback,
            Name = string.IsNullOrWhiteSpace(ServiceText.Clean(Name)) ? null : ServiceText.Clean(Name).Trim(),
            Batch = string.IsNullOrWhiteSpace(Batch) ? _defaultBatch : Batch!.Trim(),
            AdditionalInputs = PlainValues.FromDictionary(AdditionalInput),
            AudioUrls = InputParser.SplitMaterials(Audio),
        }.CheckedAs(spec, durationGiven: Duration is not null || _unparsedDuration is not null, ratioGiven: !string.IsNullOrWhiteSpace(Ratio));
    }
}
