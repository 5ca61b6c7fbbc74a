using System.Collections.Generic;

namespace Seedance.Client.Models
{
    /// <summary>The model names the service accepts, and the other fixed vocabularies of a create.</summary>
    public static class SeedanceModels
    {
        public const string Standard = "seedance-20";
        public const string Fast = "seedance2-fast";

        public static readonly IReadOnlyList<string> All = new[] { Standard, Fast };
        public static readonly IReadOnlyList<string> Ratios = new[] { "16:9", "9:16", "1:1", "4:3", "3:4", "21:9" };
        public static readonly IReadOnlyList<string> Modes = new[] { "keyframe", "reference" };

        public const int MinDuration = 4;
        public const int MaxDuration = 15;
        public const int MaxPromptLength = 4000;
        public const int MaxImages = 9;
        public const int MaxKeyframeImages = 2;
        public const int MaxVideos = 3;
    }
}
