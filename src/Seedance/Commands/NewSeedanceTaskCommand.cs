using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Seedance.Client;
using Seedance.Client.Http;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Uploads;
using Seedance.Client.Validation;
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
        private const int SlotProgressId = 39;
        private const string SlotActivity = "Creating Seedance task";

        private readonly CreateInFlight _inFlight = new CreateInFlight();
        private LocalMaterials? _localMaterials;

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

        /// <summary>Blank means the default model (a CSV cell left empty).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string? Model { get; set; } = SeedanceModels.Standard;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RatioCompleter))]
        [Alias("AspectRatio")]
        public string? Ratio { get; set; } = DefaultRatio;

        /// <summary>
        /// Seconds, 4 to 15: 8, "8" (a CSV cell) or "8s"; blank means the default (5). Text rather than int so that a
        /// value that is not a whole number ('abc', 8.5) reaches our validation (InvalidDuration) instead of failing
        /// in binding, or, from the pipeline, being dropped so that the 5 s default would be created and paid for.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DurationCompleter))]
        public string? Duration { get; set; } = DefaultDuration;

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
        private const string DefaultDuration = "5";

        /// <summary>
        /// Optional inputs the module has no parameter for, sent into "inputs" exactly as given and shown by -WhatIf:
        /// @{ outputResolution = '1080p'; seed = 42 }. Documented names are checked; a name a parameter covers is refused.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("AdditionalInputs")]
        public System.Collections.IDictionary? AdditionalInput { get; set; }

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

            // Text inputs first: a value that does not parse is reported as such, and a harmless stand-in lets the
            // other checks still run, so one call reports every problem of the row.
            ValidationFailure? badDuration = InputParser.ParseDuration(InputParser.OrDefault(Duration, DefaultDuration), out int seconds);
            ValidationFailure? badCallback = InputParser.ParseCallbackUri(CallbackUri, out Uri? callback);
            CreateTaskRequest request = BuildRequest(badDuration is null ? seconds : SeedanceModels.MinDuration, callback);

            // Local files are checked now and counted with the URLs; nothing is uploaded before ShouldProcess.
            MaterialSelection materials = await Materials.SelectAsync(pipeline, SessionState, request.ImageUrls, request.VideoUrls, cancellationToken).ConfigureAwait(false);
            request.ImageUrls = materials.ForValidation(MaterialKind.Image);
            request.VideoUrls = materials.ForValidation(MaterialKind.Video);
            List<ValidationFailure> failures = new List<ValidationFailure>();
            failures.AddRange(new[] { badDuration, badCallback }.Where(failure => failure is not null).Select(failure => failure!));
            failures.AddRange(CreateTaskRequestValidator.Validate(request).Where(failure => !materials.IsAboutACheckedFile(failure)));
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

            foreach (string warning in CreateTaskRequestValidator.Warnings(request))
            {
                pipeline.WriteWarning(warning);
            }

            CreditCost cost = Configuration.PriceTable.CostOf(request);
            string target = $"'{request.PromptExcerpt(60)}' ({request.Model}, {request.Duration}s, {request.Ratio}" +
                (request.ImageUrls.Count + request.VideoUrls.Count > 0 ? $", {request.ImageUrls.Count} image(s), {request.VideoUrls.Count} video(s)" : string.Empty) +
                request.AdditionalInputsSummary + ")";
            string action = string.Format(CultureInfo.InvariantCulture, "Create Seedance task costing {0} credits (${1:0.00})", cost.Credits, cost.PriceUsd);
            action = materials.DescribeAction(action, Materials.AlreadyUploaded, Materials.ThroughScriptBlock);
            if (!await pipeline.ShouldProcessAsync(target, action).ConfigureAwait(false))
            {
                return;
            }

            if (materials.HasLocalFiles)
            {
                UploadOutcome uploaded = await Materials.UploadAsync(materials, pipeline, () => RequireClient(pipeline), cancellationToken).ConfigureAwait(false);
                if (uploaded.Failure is not null)
                {
                    // No task without its materials. A host without uploads, or a refused key, would fail every input alike.
                    ErrorRecord error = ErrorFrom(uploaded.Failure, uploaded.FailedPath);
                    if (uploaded.EndsTheBatch)
                    {
                        throw new TerminatingErrorException(error);
                    }

                    pipeline.WriteError(error);
                    return;
                }

                request.ImageUrls = uploaded.Images;
                request.VideoUrls = uploaded.Videos;
            }

            SeedanceClient client = RequireClient(pipeline);
            DateTimeOffset createdAt = DateTimeOffset.UtcNow;
            string? taskId = await CreateAsync(pipeline, client, request, row, cancellationToken).ConfigureAwait(false);
            if (taskId is null)
            {
                return;
            }

            SeedanceTask task = new SeedanceTask(taskId)
            {
                Status = SeedanceTaskStatus.Waiting,
                StatusText = "waiting",
                Model = request.Model,
                Name = request.Name,
                Prompt = request.Prompt,
                Duration = request.Duration,
                Ratio = request.Ratio,
                CreatedAt = createdAt,
            };
            Ledger.Track(task);
            pipeline.WriteVerbose($"Created task {taskId} for {request.Describe()} ({cost}).");
            pipeline.WriteObject(task);
        }

        /// <summary>Sends the create, waiting for a free slot as long as -SlotTimeout allows. Null when this row failed (reported).</summary>
        private async Task<string?> CreateAsync(AsyncPipeline pipeline, SeedanceClient client, CreateTaskRequest request, object? row, CancellationToken cancellationToken)
        {
            bool slotBarShown = false;
            SlotWait slotWait = new SlotWait
            {
                Timeout = SlotTimeout >= 0 ? TimeSpan.FromSeconds(SlotTimeout) : (TimeSpan?)null,
                Waiting = notice =>
                {
                    _inFlight.WaitingFor(notice.Delay);
                    slotBarShown = true;
                    pipeline.WriteProgress(new ProgressRecord(SlotProgressId, SlotActivity, SlotStatus(notice, request)));
                },
            };

            _inFlight.Sending(request);
            try
            {
                return await client.CreateTaskAsync(request, slotWait, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && _inFlight.SentRequest is not null)
            {
                // Ctrl+C (or the pipeline ending) while the request was on its way, not while waiting for a slot: the
                // service may have taken it. Recorded now, before the cleanup below forgets the request.
                Ledger.AddUncertainCreate(request);
                throw;
            }
            catch (CreateOutcomeUnknownException e)
            {
                // The service may have created (and billed) it: never sent again, and the batch stops so the user
                // can check before anything else is spent.
                Ledger.AddUncertainCreate(request);
                throw new TerminatingErrorException(SeedanceErrors.ForRow(ErrorFrom(e, request), request));
            }
            catch (SeedanceApiException e) when (IsFatalForTheBatch(e))
            {
                // No key, no access or no credits: every further create would fail the same way.
                throw new TerminatingErrorException(RowError(e, row, request));
            }
            catch (SeedanceException e)
            {
                pipeline.WriteError(RowError(e, row, request));
                return null;
            }
            finally
            {
                _inFlight.Done();
                if (slotBarShown)
                {
                    pipeline.WriteProgress(ProgressRecords.Completed(SlotProgressId, SlotActivity));
                }
            }
        }

        private static string SlotStatus(SlotWaitNotice notice, CreateTaskRequest request)
        {
            string running = notice.Limit is null ? "the account is full" : $"{notice.Running ?? notice.Limit} of {notice.Limit} running";
            return $"Waiting for a free slot: {running}; next try in {notice.Delay.TotalSeconds:0} s, waited {notice.WaitedSoFar:hh\\:mm\\:ss} ({request.Describe(40)})";
        }

        /// <summary>A refused create: the row (or, for typed parameters, the request, which can be piped back as it is) is the target.</summary>
        private ErrorRecord RowError(SeedanceException e, object? row, CreateTaskRequest request) =>
            SeedanceErrors.ForRow(ErrorFrom(e, row ?? request), request);

        /// <summary>
        /// The local files of this command, each uploaded once however many inputs use it. The hook sees every upload
        /// (the journal will record the URL with the local path there); for now it is a verbose line.
        /// </summary>
        private LocalMaterials Materials => _localMaterials ??= new LocalMaterials(Configuration.Uploader, upload =>
            Background.WriteVerbose($"Uploaded {upload.LocalPath} ({upload.Bytes:N0} bytes, {upload.Via}) as {upload.Url.OriginalString}."));

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
            return new ErrorRecord(new ArgumentException(message, nameof(Prompt)), "PromptMissing", ErrorCategory.InvalidArgument, input)
            {
                ErrorDetails = new ErrorDetails(message),
            };
        }

        private CreateTaskRequest BuildRequest(int seconds, Uri? callback) => new CreateTaskRequest
        {
            Prompt = Prompt ?? string.Empty,
            Model = InputParser.OrDefault(Model, SeedanceModels.Standard).ToLowerInvariant(),
            Ratio = InputParser.OrDefault(Ratio, DefaultRatio),
            Duration = seconds,
            ImageUrls = InputParser.SplitMaterials(Image),
            VideoUrls = InputParser.SplitMaterials(Video),
            Mode = string.IsNullOrWhiteSpace(Mode) ? null : Mode!.Trim().ToLowerInvariant(),
            CallbackUri = callback,
            Name = string.IsNullOrWhiteSpace(Name) ? null : Name!.Trim(),
            AdditionalInputs = PlainValues.FromDictionary(AdditionalInput),
        };

        // A 404 to a create means no createTask endpoint at this base URI: every further create would get it too.
        private static bool IsFatalForTheBatch(SeedanceApiException e) =>
            e.Kind == SeedanceErrorKind.Unauthorized || e.Kind == SeedanceErrorKind.Forbidden || e.Kind == SeedanceErrorKind.InsufficientCredits ||
            e.Kind == SeedanceErrorKind.NotFound;

        /// <summary>
        /// Whether a create is on its way to the service (its outcome unknown if stopped now) or only waiting for a
        /// free slot (then the service certainly has not taken it). Written by the block, read by Ctrl+C.
        /// </summary>
        private sealed class CreateInFlight
        {
            private readonly object _sync = new object();
            private CreateTaskRequest? _request;
            private DateTime _waitingUntilUtc;

            public CreateTaskRequest? SentRequest
            {
                get
                {
                    lock (_sync)
                    {
                        return _request is not null && DateTime.UtcNow >= _waitingUntilUtc ? _request : null;
                    }
                }
            }

            public void Sending(CreateTaskRequest request)
            {
                lock (_sync)
                {
                    _request = request;
                    _waitingUntilUtc = DateTime.MinValue;
                }
            }

            public void WaitingFor(TimeSpan delay)
            {
                lock (_sync)
                {
                    _waitingUntilUtc = DateTime.UtcNow + delay;
                }
            }

            public void Done()
            {
                lock (_sync)
                {
                    _request = null;
                }
            }
        }
    }
}
