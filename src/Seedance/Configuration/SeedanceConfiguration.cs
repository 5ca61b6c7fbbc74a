using System;
using System.IO;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Threading;
using Seedance.Client.Http;
using Seedance.Client.Journal;
using Seedance.Client.Settings;

namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// The configuration in force for the calling runspace (what Get-SeedanceConfiguration shows): the client's
    /// <see cref="LayeredSettings"/> over this runspace's and the process's settings (<see cref="SessionSettings"/>),
    /// the environment, the user's stored settings and key store, plus the one setting only PowerShell holds: the uploader.
    /// </summary>
    public sealed class SeedanceConfiguration : LayeredSettings
    {
        private static int _journalOffSaid;

        private SeedanceConfiguration()
            : base(SessionSettings.Runspace, SessionSettings.Process, StoredSettings.ForCurrentUser, Environment.GetEnvironmentVariable, ApiKeyStore.Read,
                Commands.Infrastructure.SeedanceErrors.Redact)
        {
        }

        /// <summary>The script block that uploads local materials (Set-SeedanceConfiguration -Uploader), or null: the service's upload endpoint.</summary>
        public ScriptBlock? Uploader { get; } = SessionSettings.Uploader;

        /// <summary>Where local materials go: Service (POST {base}/uploads) or ScriptBlock (the Uploader).</summary>
        public string UploadsVia => Uploader is null ? "Service" : "ScriptBlock";

        /// <summary>Reads the settings in force for the calling runspace (and the user's stored ones, from disk). Call on the pipeline thread.</summary>
        internal static SeedanceConfiguration Resolve()
        {
            SeedanceConfiguration configuration = new SeedanceConfiguration();
            Commands.Infrastructure.SeedanceErrors.Remember(configuration.ApiKeyForRequests);
            if (configuration.HasApiKey && configuration.ApiKeySource != StoredSettings.Scope)
            {
                RememberStoredKey(); // another key is in use; with none at all, the store was read (once) and is empty
            }

            return configuration;
        }

        /// <summary>
        /// The configured journal, opened (folder and file created owner-only when missing, lock and write checked) on
        /// the pipeline thread. Says once per process that it is off.
        /// </summary>
        /// <exception cref="JournalException">The configured path or the journal cannot be used.</exception>
        internal TaskJournal OpenJournal(Action<string> warn)
        {
            if (JournalLocation is null)
            {
                throw new JournalException(JournalFailureReason.InvalidPath, GivenOf(Setting.JournalPath) ?? string.Empty, ProblemOf(Setting.JournalPath) ?? "The journal path cannot be used.");
            }

            if (JournalLocation.IsDisabled && System.Threading.Interlocked.Exchange(ref _journalOffSaid, 1) == 0)
            {
                warn("The Seedance task journal is off (" + (JournalPathSource == "Environment" ? Setting.JournalPath.Variable : "-JournalPath") + " is 'off'): " +
                    "tasks are not recorded, so a crashed batch cannot be resumed with Get-SeedanceTask -Pending, a re-run CSV may pay twice, " +
                    "and no daily credit limit can hold. (Said once per process.)");
            }

            return TaskJournal.Shared(JournalLocation);
        }

        private static int s_storedKeyRemembered;

        /// <summary>
        /// The stored key, when another one is in use (SEEDANCE_API_KEY, a session key): still a secret of this user that
        /// may come back in input (an old key in a CSV, a task id), so it is masked too. Read once per process; a store
        /// that cannot be read here is no reason to fail a command that does not use it.
        /// </summary>
        private static void RememberStoredKey()
        {
            if (Interlocked.Exchange(ref s_storedKeyRemembered, 1) == 1)
            {
                return;
            }

            try
            {
                if (ApiKeyStore.Read() is string stored)
                {
                    Commands.Infrastructure.SeedanceErrors.Remember(new ApiKey(stored));
                }
            }
            catch (Exception e) when (e is ApiKeyStoreInsecureException || e is IOException || e is UnauthorizedAccessException || e is CryptographicException)
            {
                // The command that uses the store says what is wrong with it.
            }
        }
    }
}
