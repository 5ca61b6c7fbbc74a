namespace Seedance.Client.Models
{
    /// <summary>One output file of a finished task.</summary>
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

        public override string ToString() => Url;
    }
}
