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
    /// <para type="synopsis">Creates a Seedance video-generation task (this spends credits).</para>
    /// <para type="description">Validates the request, shows its cost (-WhatIf), sends one createTask and emits the task at once.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.New, "SeedanceTask", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(SeedanceTask))]
    public sealed class NewSeedanceTaskCommand : SeedanceApiCmdlet
    {
        private readonly List<string> _createdIds = new List<string>();
        private LocalMaterials? _localMaterials;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowNull]
        public string Prompt { get; set; } = string.Empty;

        /// <summary>Images: http(s) URLs, local paths (resolved against the current location, uploaded), or file objects (Get-Item *.png).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Images", "ImageUrl", "Urls")]
        [MaterialArgumentTransformation]
        public string[] Image { get; set; } = Array.Empty<string>();

        /// <summary>Videos (at most 50 MB each): http(s) URLs, local paths or file objects, like -Image.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Videos", "VideoUrl", "VideoUrls")]
        [MaterialArgumentTransformation]
        public string[] Video { get; set; } = Array.Empty<string>();

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(ModelCompleter))]
        public string Model { get; set; } = SeedanceModels.Standard;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(RatioCompleter))]
        [Alias("AspectRatio")]
        public string Ratio { get; set; } = "16:9";

        /// <summary>
        /// Seconds, 4 to 15: 8, "8" (a CSV cell) or "8s". Text rather than int so that a value that is not a whole
        /// number ('abc', 8.5) reaches our validation (InvalidDuration, the value as target) instead of failing in
        /// binding, or, from the pipeline, being dropped so that the 5 s default would be created and paid for.
        /// </summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(DurationCompleter))]
        public string? Duration { get; set; } = "5";

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

        protected override async Task ProcessRecordAsync(AsyncPipeline pipeline, CancellationToken cancellationToken)
        {
            // Text inputs first: a value that does not parse is reported as such, and a harmless stand-in lets the
            // other checks still run, so one call reports every problem of the row.
            ValidationFailure? badDuration = InputParser.ParseDuration(Duration, out int seconds);
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
                    pipeline.WriteError(SeedanceErrors.Validation(failure));
                }

                foreach (LocalMaterialException failure in materials.Failures)
                {
                    pipeline.WriteError(ErrorFrom(failure, failure.Path));
                }

                return;
            }

            foreach (string warning in CreateTaskRequestValidator.Warnings(request))
            {
                pipeline.WriteWarning(warning);
            }

            CreditCost cost = PriceTable.Default.CostOf(request.Model, request.Duration);
            string target = $"'{request.PromptExcerpt(60)}' ({request.Model}, {request.Duration}s, {request.Ratio}" +
                (request.ImageUrls.Count + request.VideoUrls.Count > 0 ? $", {request.ImageUrls.Count} image(s), {request.VideoUrls.Count} video(s)" : string.Empty) + ")";
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
                        throw new TerminatingErrorException(WithCreatedIds(error));
                    }

                    pipeline.WriteError(error);
                    return;
                }

                request.ImageUrls = uploaded.Images;
                request.VideoUrls = uploaded.Videos;
            }

            SeedanceClient client = RequireClient(pipeline);
            DateTimeOffset createdAt = DateTimeOffset.UtcNow;
            string taskId;
            try
            {
                taskId = await client.CreateTaskAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (SeedanceException e) when (!(e is SeedanceApiException api) || !IsFatalForTheBatch(api))
            {
                if (e is CreateOutcomeUnknownException)
                {
                    throw new TerminatingErrorException(ErrorFrom(e, request));
                }

                pipeline.WriteError(ErrorFrom(e, request));
                return;
            }
            catch (SeedanceApiException e)
            {
                // No key, no access or no credits: every further create would fail the same way.
                throw new TerminatingErrorException(WithCreatedIds(ErrorFrom(e, request)));
            }

            _createdIds.Add(taskId);
            pipeline.WriteVerbose($"Created task {taskId} ({cost}).");
            pipeline.WriteObject(new SeedanceTask(taskId)
            {
                Status = SeedanceTaskStatus.Waiting,
                StatusText = "waiting",
                Model = request.Model,
                Prompt = request.Prompt,
                Duration = request.Duration,
                Ratio = request.Ratio,
                CreatedAt = createdAt,
            });
        }

        /// <summary>
        /// The local files of this command, each uploaded once however many inputs use it. The hook sees every upload
        /// (the journal will record the URL with the local path there); for now it is a verbose line.
        /// </summary>
        private LocalMaterials Materials => _localMaterials ??= new LocalMaterials(Configuration.Uploader, upload =>
            WriteVerboseFromBackground($"Uploaded {upload.LocalPath} ({upload.Bytes:N0} bytes, {upload.Via}) as {upload.Url.OriginalString}."));

        private CreateTaskRequest BuildRequest(int seconds, Uri? callback) => new CreateTaskRequest
        {
            Prompt = Prompt ?? string.Empty,
            Model = (Model ?? SeedanceModels.Standard).Trim().ToLowerInvariant(),
            Ratio = (Ratio ?? "16:9").Trim(),
            Duration = seconds,
            ImageUrls = Clean(Image),
            VideoUrls = Clean(Video),
            Mode = string.IsNullOrWhiteSpace(Mode) ? null : Mode!.Trim().ToLowerInvariant(),
            CallbackUri = callback,
        };

        private static bool IsFatalForTheBatch(SeedanceApiException e) =>
            e.Kind == SeedanceErrorKind.Unauthorized || e.Kind == SeedanceErrorKind.Forbidden || e.Kind == SeedanceErrorKind.InsufficientCredits;

        /// <summary>A terminating error stops the pipeline, so it names the tasks this call already created.</summary>
        private ErrorRecord WithCreatedIds(ErrorRecord record)
        {
            if (_createdIds.Count > 0)
            {
                string message = (record.ErrorDetails?.Message ?? record.Exception.Message) +
                    $" Tasks already created by this command (still running and billed): {string.Join(", ", _createdIds)}.";
                record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = record.ErrorDetails?.RecommendedAction };
            }

            return record;
        }

        /// <summary>Empty entries are dropped: a CSV cell left blank means "no material", not an empty URL.</summary>
        private static string[] Clean(string[]? values) =>
            (values ?? Array.Empty<string>()).Where(value => !string.IsNullOrWhiteSpace(value)).Select(value => value.Trim()).ToArray();
    }
}
