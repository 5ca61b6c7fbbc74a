namespace Seedance.Client.Http
{
    /// <summary>A snapshot of one transfer, reported a few times a second.</summary>
    public sealed class DownloadProgress
    {
        public DownloadProgress(long bytesReceived, long? totalBytes, double bytesPerSecond)
        {
            BytesReceived = bytesReceived;
            TotalBytes = totalBytes;
            BytesPerSecond = bytesPerSecond;
        }

        public long BytesReceived { get; }
        public long? TotalBytes { get; }
        public double BytesPerSecond { get; }

        public int? PercentComplete =>
            TotalBytes is null || TotalBytes.Value <= 0 ? null : (int?)(BytesReceived * 100 / TotalBytes.Value);
    }
}
