using System;
using System.Collections.Generic;

namespace Seedance.Client.Models
{
    /// <summary>Everything a create carries. Validated by <see cref="CreateTaskRequestValidator"/> before sending.</summary>
    public sealed class CreateTaskRequest
    {
        public string Model { get; set; } = SeedanceModels.Standard;
        public string Prompt { get; set; } = string.Empty;
        public IReadOnlyList<string> ImageUrls { get; set; } = Array.Empty<string>();
        public IReadOnlyList<string> VideoUrls { get; set; } = Array.Empty<string>();
        public string Ratio { get; set; } = "16:9";
        public int Duration { get; set; } = 5;

        /// <summary>"keyframe" or "reference", or null to let the service decide (see <see cref="EffectiveMode"/>).</summary>
        public string? Mode { get; set; }
        public Uri? CallbackUri { get; set; }

        /// <summary>The caller's key for the task (a CSV row's Name column): named in messages, never sent to the service.</summary>
        public string? Name { get; set; }

        /// <summary>How messages name this request: the prompt excerpt, and the row's Name when there is one.</summary>
        public string Describe(int maxPromptLength = 60) =>
            (string.IsNullOrEmpty(Name) ? string.Empty : $"row '{Name}', ") + $"prompt '{PromptExcerpt(maxPromptLength)}'";

        /// <summary>The prompt cut to <paramref name="maxLength"/> characters (with "..."), for messages.</summary>
        public string PromptExcerpt(int maxLength) =>
            Prompt.Length <= maxLength ? Prompt : Prompt.Substring(0, maxLength - 3) + "...";

        /// <summary>
        /// The mode to send: the user's choice when given; otherwise "reference" when videos or more than two
        /// images make it so (the service would switch anyway, and saying it keeps the request explicit);
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

                return VideoUrls.Count > 0 || ImageUrls.Count > 2 ? "reference" : null;
            }
        }
    }
}
