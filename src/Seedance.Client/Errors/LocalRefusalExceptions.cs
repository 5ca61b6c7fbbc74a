using System;

namespace Seedance.Client
{
    /// <summary>A task id that cannot be a file name inside the destination folder (a separator, "..", a device name...).</summary>
    public sealed class InvalidTaskIdException : SeedanceException
    {
        public InvalidTaskIdException(string taskId, string reason)
            : base($"The task id '{ServiceText.Clean(taskId)}' cannot be used as a file name: {reason}. Nothing was written. " +
                "To save this video anyway, give -Path a file name for it.")
        {
            TaskId = taskId;
            Reason = reason;
        }

        public string TaskId { get; }
        public string Reason { get; }
    }

    /// <summary>
    /// Something other than a regular file sits at the final name (a folder, device, FIFO, socket). Replacing it would
    /// turn /dev/null into a file or hang on a FIFO, so it is refused before anything is downloaded.
    /// </summary>
    public sealed class DestinationNotAFileException : SeedanceException
    {
        public DestinationNotAFileException(string path, string kind)
            : base($"'{path}' is a {kind}, not a regular file, so no video is saved there (not even with -Force). Choose another -Path.")
        {
            Path = path;
            Kind = kind;
        }

        public string Path { get; }

        /// <summary>"directory", "FIFO", "character device", "block device", "socket".</summary>
        public string Kind { get; }
    }

    /// <summary>A key that cannot travel in an Authorization header (control or non-ASCII characters, whitespace inside).</summary>
    public sealed class InvalidApiKeyException : SeedanceException
    {
        public InvalidApiKeyException(string problem)
            : base(problem)
        {
        }
    }

    /// <summary>A file is already at the name a video would be saved to, and -Force was not given: it is kept, untouched.</summary>
    public sealed class FileExistsException : SeedanceException
    {
        public FileExistsException(string path, string message)
            : base(message)
        {
            Path = path;
        }

        public string Path { get; }
    }

    /// <summary>
    /// The file at a video's name holds the start of the video but is shorter than the service's (a copy cut off):
    /// kept, untouched; -Force replaces it, or the user removes it.
    /// </summary>
    public sealed class IncompleteVideoFileException : SeedanceException
    {
        public IncompleteVideoFileException(string path, string taskId, long bytes, long expectedBytes)
            : base($"The file '{path}' is an incomplete copy of the video of task {taskId}: {bytes:N0} of its {expectedBytes:N0} bytes. It was kept and nothing was downloaded: use -Force to replace it with the whole video, or remove it and save again.")
        {
            Path = path;
            Bytes = bytes;
            ExpectedBytes = expectedBytes;
        }

        public string Path { get; }

        /// <summary>The file's size now.</summary>
        public long Bytes { get; }

        /// <summary>The video's size, as the service declares it.</summary>
        public long ExpectedBytes { get; }
    }

    /// <summary>-Path names one file (it has an extension), and a second video came in for it.</summary>
    public sealed class PathIsSingleFileException : SeedanceException
    {
        public PathIsSingleFileException(string given, string taskId)
            : base($"-Path '{given}' names one file (it has an extension), but the video of task {taskId} came in after another. Give a folder to save several videos, e.g. -Path ./videos.")
        {
        }
    }
}
