using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Models;
using Seedance.Client.Pricing;
using Seedance.Client.Validation;

namespace Seedance.Client.Workflows
{
    /// <summary>
    /// The rules of one New-SeedanceTask row that are neither the journal's nor the send's: the optional inputs it
    /// parses, whether a budget can count it, what ShouldProcess (and -WhatIf) says of it, whether a refusal waits for
    /// the end, and the task it emits. The cmdlet binds, asks and writes; these decide.
    /// </summary>
    public static class CreateRows
    {
        /// <summary>The ratio of a row that gives none.</summary>
        public const string DefaultRatio = "16:9";

        /// <summary>The seconds of a row that gives none.</summary>
        public const int DefaultDuration = 5;

        /// <summary>
        /// The request a row asks for, and every problem of it: a value that does not parse is a failure, and a harmless
        /// stand-in lets the other checks still run (nothing is dropped so that a default would be created and paid for).
        /// Rules: a blank model, ratio or duration is the default (the catalog's model, 16:9, 5 s); a model without a
        /// duration (edit) journals 0; a duration that is no whole number is InvalidDuration; a malformed callback is
        /// InvalidCallbackUri; text from outside (prompt, Name) loses its control characters, as the journal reads it, so
        /// a re-run matches; a blank Name is none; a blank batch is <paramref name="defaultBatch"/>; a mode is lower case.
        /// </summary>
        public static CreateTaskRequest Request(CreateRow row, PriceTable catalog, string? defaultBatch, out IReadOnlyList<ValidationFailure> failures)
        {
            ModelSpec spec = catalog.Model(InputParser.OrDefault(row.Model, catalog.DefaultModel));
            ValidationFailure? badDuration = row.UnparsedDuration is object unparsed ? InputParser.DurationFailure(unparsed, spec) : null;
            ValidationFailure? badCallback = InputParser.ParseCallbackUri(row.CallbackUri, out Uri? callback);
            string name = ServiceText.Clean(row.Name).Trim();
            CreateTaskRequest request = new CreateTaskRequest
            {
                Prompt = ServiceText.Clean(row.Prompt),
                Model = spec.Name,
                Ratio = InputParser.OrDefault(row.Ratio, DefaultRatio),
                Duration = !spec.TakesDuration ? 0 : badDuration is null ? row.Duration ?? DefaultDuration : spec.MinDuration ?? DefaultDuration,
                ImageUrls = InputParser.SplitMaterials(row.Image),
                VideoUrls = InputParser.SplitMaterials(row.Video),
                AudioUrls = InputParser.SplitMaterials(row.Audio),
                Mode = string.IsNullOrWhiteSpace(row.Mode) ? null : row.Mode!.Trim().ToLowerInvariant(),
                CallbackUri = callback,
                Name = name.Length == 0 ? null : name,
                Batch = string.IsNullOrWhiteSpace(row.Batch) ? defaultBatch : row.Batch!.Trim(),
                AdditionalInputs = row.AdditionalInputs,
            }.CheckedAs(spec, durationGiven: row.Duration is not null || row.UnparsedDuration is not null, ratioGiven: !string.IsNullOrWhiteSpace(row.Ratio));
            failures = new[] { badDuration, badCallback }.OfType<ValidationFailure>()
                .Concat(AddOptionalInputs(request, row.OutputResolution, row.Seed, row.GenerateAudio)).ToList();
            return request;
        }

        /// <summary>
        /// Rule: -OutputResolution, -Seed and -GenerateAudio go into the request's inputs under the service's names, where
        /// the validator checks them against the model as it does the same names given with -AdditionalInput. They are
        /// text, so that a bad CSV cell is never dropped: a seed that is no whole number, or a GenerateAudio that is not
        /// true or false, goes in as written and the validator refuses it (InvalidSeed, InvalidGenerateAudio). A name
        /// given both ways is refused (AdditionalInputCollides).
        /// </summary>
        public static IReadOnlyList<ValidationFailure> AddOptionalInputs(CreateTaskRequest request, string? outputResolution, string? seed, string? generateAudio)
        {
            Dictionary<string, object?> inputs = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (KeyValuePair<string, object?> input in request.AdditionalInputs)
            {
                inputs[input.Key] = input.Value;
            }

            List<ValidationFailure> failures = new List<ValidationFailure>();
            void Add(string parameter, string name, string? given, object? value)
            {
                if (string.IsNullOrWhiteSpace(given))
                {
                    return;
                }

                if (inputs.Keys.Any(key => string.Equals(key, name, StringComparison.OrdinalIgnoreCase)))
                {
                    failures.Add(new ValidationFailure("AdditionalInputCollides", "AdditionalInput", name,
                        $"'{name}' is given both by -{parameter} and by -AdditionalInput; give it once, with -{parameter}."));
                    return;
                }

                inputs[name] = value;
            }

            Add("OutputResolution", "outputResolution", outputResolution, outputResolution?.Trim().ToLowerInvariant());
            Add("Seed", "seed", seed, long.TryParse(seed?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number) ? number : (object?)seed);
            string? audio = generateAudio?.Trim().TrimStart('$').ToLowerInvariant();
            Add("GenerateAudio", "generate_audio", generateAudio,
                audio == "true" || audio == "yes" || audio == "1" ? true : audio == "false" || audio == "no" || audio == "0" ? false : (object?)generateAudio);
            request.AdditionalInputs = inputs;
            return failures;
        }

        /// <summary>Rule: a budget never guesses. A model without a price cannot be counted by -MaxCredits or the daily limit, so it is refused.</summary>
        public static ValidationFailure? BudgetNeedsPrice(CreateTaskRequest request, CreditCost cost, bool budgetGiven) =>
            cost.PriceKnown || !budgetGiven ? null : new ValidationFailure("BudgetNeedsPrice", "Model", request.Model,
                $"Model '{request.Model}' has no price in the catalog, so -MaxCredits or the daily credit limit cannot count it. " +
                "Give it a rate in a price table of your own (Set-SeedanceConfiguration -PriceTable), or run it without a budget.");

        /// <summary>
        /// Rule: a row refused for what the journal knows of it (PossibleDuplicate, FailedBefore) is listed once at the end
        /// and never ends the run, so the rows after it are still created (issue 16); any other refusal is the row's error now.
        /// </summary>
        public static bool WaitsForTheEnd(Exception refusal) => refusal is PossibleDuplicateException || refusal is SeedanceException { Problem: SeedanceProblem.FailedBefore };

        /// <summary>
        /// Rule: a row whose Name has a task is given that task, and when the row's request differs from what that task was
        /// made from (prompt, model, duration, ratio, or materials: a local file by its content), it is said (nothing is created).
        /// </summary>
        public static string? ChangedSince(JournalTaskSummary existing, CreateTaskRequest request) =>
            existing.Request is CreateTaskRequest made &&
            !(made.Prompt == request.Prompt && made.Model == request.Model && made.Duration == request.Duration && made.Ratio == request.Ratio &&
                JournalRequests.SameMaterials(made, request))
                ? $"Row '{request.Name}' differs from the request its task {existing.TaskId} was made from (prompt, model, duration, ratio or materials); " +
                  "the journal's task is used and nothing is created. Give the row a new Name to create the changed one."
                : null;

        /// <summary>The task a create made, as the command emits it (waiting; the row's Name, batch and request).</summary>
        public static SeedanceTask Created(string taskId, CreateTaskRequest request, DateTimeOffset createdAt) => new SeedanceTask(taskId)
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
    }

    /// <summary>One New-SeedanceTask row as bound (a CSV row's cells, or the parameters), before any rule: see <see cref="CreateRows.Request"/>.</summary>
    public sealed class CreateRow
    {
        public string? Prompt { get; set; }
        public IReadOnlyList<string?> Image { get; set; } = Array.Empty<string?>();
        public IReadOnlyList<string?> Video { get; set; } = Array.Empty<string?>();
        public IReadOnlyList<string?> Audio { get; set; } = Array.Empty<string?>();
        public string? Model { get; set; }
        public string? Ratio { get; set; }
        public int? Duration { get; set; }

        /// <summary>A duration given that is no whole number of seconds, exactly as given (refused, never dropped); null when none.</summary>
        public object? UnparsedDuration { get; set; }
        public string? Mode { get; set; }
        public string? CallbackUri { get; set; }
        public string? Name { get; set; }
        public string? Batch { get; set; }
        public IReadOnlyDictionary<string, object?> AdditionalInputs { get; set; } = new Dictionary<string, object?>();
        public string? OutputResolution { get; set; }
        public string? Seed { get; set; }
        public string? GenerateAudio { get; set; }
    }
}
