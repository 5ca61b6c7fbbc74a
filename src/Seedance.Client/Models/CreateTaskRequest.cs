using System;
using System.Collections.Generic;
using System.Linq;

namespace Seedance.Client.Models
{
    /// <summary>Everything a create carries. Validated by <see cref="CreateTaskRequestValidator"/> before sending.</summary>
    public sealed class CreateTaskRequest
    {
        public string Model { get; set; } = Pricing.PriceTable.Default.DefaultModel;
        public string Prompt { get; set; } = string.Empty;
        public IReadOnlyList<string> ImageUrls { get; set; } = Array.Empty<string>();
        public IReadOnlyList<string> VideoUrls { get; set; } = Array.Empty<string>();

        /// <summary>Audio references (never alone: the service refuses audio as the only material).</summary>
        public IReadOnlyList<string> AudioUrls { get; set; } = Array.Empty<string>();

        /// <summary>
        /// The materials that came from local files (their path and content hash), journaled beside the request and never
        /// sent: a row's materials are the same on a re-run when these are, whatever URL the files were uploaded to.
        /// </summary>
        public IReadOnlyList<MaterialFile> LocalFiles { get; set; } = Array.Empty<MaterialFile>();

        /// <summary>
        /// The catalog's facts for <see cref="Model"/>: which limits apply, and whether the model takes a duration and a
        /// ratio at all (edit takes neither). Null (a request read back from the journal): treated as taking both.
        /// Not journaled: it is how the request is checked and written, not what was asked for.
        /// </summary>
        public Pricing.ModelSpec? Spec { get; private set; }

        /// <summary>True when the user gave a duration (a model that takes none refuses it; extend requires one).</summary>
        public bool DurationGiven { get; private set; }

        /// <summary>True when the user gave a ratio (a model that takes none refuses it).</summary>
        public bool RatioGiven { get; private set; }

        /// <summary>Ties the request to its model's catalog facts, and says which of duration and ratio the user gave.</summary>
        public CreateTaskRequest CheckedAs(Pricing.ModelSpec spec, bool durationGiven, bool ratioGiven)
        {
            Spec = spec;
            DurationGiven = durationGiven;
            RatioGiven = ratioGiven;
            return this;
        }

        public string Ratio { get; set; } = "16:9";
        public int Duration { get; set; } = 5;

        /// <summary>"keyframe" or "reference", or null to let the service decide (see <see cref="EffectiveMode"/>).</summary>
        public string? Mode { get; set; }
        public Uri? CallbackUri { get; set; }

        /// <summary>The caller's key for the task (a CSV row's Name column): named in messages, never sent to the service.</summary>
        public string? Name { get; set; }

        /// <summary>
        /// Where <see cref="Name"/> is a key (New-SeedanceTask -Batch; by default the folder it runs in): a Name matches
        /// only the tasks of its batch, so another project's 'fox' is not this one's. Journaled, never sent.
        /// </summary>
        public string? Batch { get; set; }

        /// <summary>How messages name this request: the prompt excerpt, and the row's Name when there is one.</summary>
        public string Describe(int maxPromptLength = 60) =>
            (string.IsNullOrEmpty(Name) ? string.Empty : $"row '{Name}', ") + $"prompt '{PromptExcerpt(maxPromptLength)}'";

        /// <summary>As <see cref="Describe"/>: what a list or a CSV cell shows of a request, rather than its type name.</summary>
        public override string ToString() => Describe();

        /// <summary>
        /// Optional inputs the module has no parameter for (outputResolution, seed...), asked for explicitly with
        /// -AdditionalInput and written into "inputs" as given; plain values (text, numbers, true/false, lists,
        /// dictionaries). Checked by <see cref="Validation.AdditionalInputValidator"/>.
        /// </summary>
        public IReadOnlyDictionary<string, object?> AdditionalInputs { get; set; } = new Dictionary<string, object?>();

        /// <summary>The outputResolution asked for (it changes the price), or null.</summary>
        public string? OutputResolution =>
            AdditionalInputs.TryGetValue("outputResolution", out object? value) ? value as string : null;

        /// <summary>", inputs: outputResolution=1080p, seed=42" (sorted by name), or empty: for -WhatIf and messages.</summary>
        public string AdditionalInputsSummary => AdditionalInputs.Count == 0
            ? string.Empty
            : ", inputs: " + string.Join(", ", SortedAdditionalInputs().Select(input => input.Key + "=" + Json.PlainJson.ToText(input.Value)));

        /// <summary>The additional inputs in the order they are written and shown (by name, ordinal).</summary>
        public IEnumerable<KeyValuePair<string, object?>> SortedAdditionalInputs() =>
            AdditionalInputs.OrderBy(input => input.Key, StringComparer.Ordinal);

        /// <summary>The prompt cut to <paramref name="maxLength"/> characters (with "..."), for messages.</summary>
        public string PromptExcerpt(int maxLength) =>
            Prompt.Length <= maxLength ? Prompt : Prompt.Substring(0, maxLength - 3) + "...";

        /// <summary>
        /// The mode to send: the user's choice when given; otherwise "reference" when videos, audio or the catalog's
        /// number of images (3 for the 2.0 and 2.5 models; 2.0 would ignore images 3+ in keyframe mode) make it so (the service would switch anyway, and saying it keeps the request explicit);
        /// otherwise null (nothing sent, the service's default keyframe behaviour).
        /// </summary>
        public string? EffectiveMode
        {
            get
            {
                if (Mode is not null)
                {
                    return Mode;
                }

                if (Spec is not null && Spec.IsCatalogued && Spec.Modes.Count == 0)
                {
                    return null;
                }

                int referenceFrom = Spec is null || !Spec.IsCatalogued ? 3 : Spec.ReferenceFromImages;
                return VideoUrls.Count > 0 || AudioUrls.Count > 0 || (referenceFrom > 0 && ImageUrls.Count >= referenceFrom) ? "reference" : null;
            }
        }
    }
}
