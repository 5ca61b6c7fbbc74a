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
using Seedance.Client.Validation;
using Seedance.Commands.Infrastructure;

namespace Seedance.Commands
{
    /// <summary>
    /// New-SeedanceTask: validates, prices (ShouldProcess) and creates one task per input.
    /// User help (synopsis, parameters, examples): docs/en-US/New-SeedanceTask.md, the one source of that text.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "SeedanceTask", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, HelpUri = HelpLinks.Docs + "New-SeedanceTask.md")]
    [OutputType(typeof(SeedanceTask))]
    public sealed class NewSeedanceTaskCommand : SeedanceApiCmdlet
    {
        private readonly List<string> _createdIds = new List<string>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [AllowEmptyString]
        [AllowNull]
        public string Prompt { get; set; } = string.Empty;

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Images", "ImageUrl", "Urls")]
        public string[] Image { get; set; } = Array.Empty<string>();

        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Videos", "VideoUrl", "VideoUrls")]
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
            List<ValidationFailure> failures = new List<ValidationFailure>();
            failures.AddRange(new[] { badDuration, badCallback }.Where(failure => failure is not null).Select(failure => failure!));
            failures.AddRange(CreateTaskRequestValidator.Validate(request));
            if (failures.Count > 0)
            {
                // One error per problem, and nothing sent: this input is skipped, the next pipeline input still runs.
                foreach (ValidationFailure failure in failures)
                {
                    pipeline.WriteError(SeedanceErrors.Validation(failure));
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
            if (!await pipeline.ShouldProcessAsync(target, action).ConfigureAwait(false))
            {
                return;
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
