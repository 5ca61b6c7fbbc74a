using System;
using System.Management.Automation;

namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// The key store (its file or its folder) is owned by another user, or others can read or write it: a key read from
    /// it may have been planted by someone else, and one written to it may be read. Carries its ErrorRecord, so that
    /// thrown while a cmdlet resolves its configuration it surfaces as ApiKeyStoreInsecure, with the path as the target.
    /// </summary>
    public sealed class ApiKeyStoreInsecureException : Exception, IContainsErrorRecord
    {
        public ApiKeyStoreInsecureException(string path, string problem, string fix)
            : base($"The Seedance key store '{path}' is not safe to use: {problem}. {fix}")
        {
            Path = path;
            ErrorRecord = Commands.Infrastructure.SeedanceErrors.Record(this, "ApiKeyStoreInsecure", path, Message, fix);
        }

        public string Path { get; }

        public ErrorRecord ErrorRecord { get; }
    }
}
