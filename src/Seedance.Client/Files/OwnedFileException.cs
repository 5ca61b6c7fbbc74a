namespace Seedance.Client.Files
{
    /// <summary>
    /// A file or folder the module owns is not safe to use: another user owns it or can write it, or it is a link, a
    /// FIFO, a device. The key store and the journal turn it into their terminating error (ApiKeyStoreInsecure,
    /// JournalInsecure) with the path as the target.
    /// </summary>
    public sealed class OwnedFileException : SeedanceException
    {
        public OwnedFileException(string path, string problem, string fix)
            : base($"'{path}' is not safe to use: {problem}. {fix}")
        {
            Path = path;
            Reason = problem;
            Fix = fix;
        }

        public string Path { get; }

        /// <summary>What is wrong, as a clause ("it is a symbolic link, ...").</summary>
        public string Reason { get; }

        /// <summary>What to do, as a sentence.</summary>
        public string Fix { get; }
    }
}
