namespace Seedance.Emulator;

/// <summary>
/// The real, playable MP4 (320x180, 2 s, H.264, made once with ffmpeg) embedded in this assembly, so that neither
/// build nor run needs ffmpeg. Loaded once; every download gets its own read-only stream over the same bytes.
/// </summary>
public static class SampleVideo
{
    private static readonly Lazy<byte[]> Bytes = new(Load);

    public static long Length => Bytes.Value.Length;

    public static Stream OpenRead() => new MemoryStream(Bytes.Value, writable: false);

    private static byte[] Load()
    {
        using var resource = typeof(SampleVideo).Assembly.GetManifestResourceStream("sample.mp4")
            ?? throw new InvalidOperationException("The embedded resource 'sample.mp4' is missing.");
        using var copy = new MemoryStream();
        resource.CopyTo(copy);
        return copy.ToArray();
    }
}
