using System.Collections.Generic;

namespace Seedance.Client.Models
{
    /// <summary>One output file of a finished task, with every field the service sent for it.</summary>
    public sealed class SeedanceVideo
    {
        public SeedanceVideo(string url, int? width, int? height, string? mediaType)
        {
            Url = url;
            Width = width;
            Height = height;
            MediaType = mediaType;
        }

        public string Url { get; }
        public int? Width { get; }
        public int? Height { get; }
        public string? MediaType { get; }

        /// <summary>The seed the service generated this video with (give it back with -AdditionalInput @{ seed = N } to vary less).</summary>
        public long? Seed { get; set; }

        /// <summary>
        /// The URL of a PNG of the video's last frame, as the service sent it: the natural first image of a follow-up
        /// task (<c>New-SeedanceTask -Image $task.LastFrameImage</c>). Like the video URL, it expires after about 14 days.
        /// </summary>
        public string? LastFrameImage { get; set; }

        /// <summary>Fields of this item that this version does not know, as plain values by name; null when there were none.</summary>
        public IReadOnlyDictionary<string, object?>? AdditionalFields { get; set; }

        public override string ToString() => Url;
    }
}
