using System;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using Seedance.Client.Http;

namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// What Set-SeedanceApiKey -Scope Process and Set-SeedanceConfiguration set: per runspace, not static, so two
    /// runspaces in one process (jobs, ForEach-Object -Parallel, hosted PowerShell) never see each other's key.
    /// </summary>
    internal sealed class SessionSettings
    {
        private static readonly ConditionalWeakTable<Runspace, SessionSettings> ByRunspace = new ConditionalWeakTable<Runspace, SessionSettings>();
        private static readonly SessionSettings NoRunspace = new SessionSettings();

        public ApiKey? ApiKey { get; set; }
        public Uri? BaseUri { get; set; }
        public TimeSpan? RequestTimeout { get; set; }

        /// <summary>The settings of the runspace the calling pipeline thread belongs to.</summary>
        public static SessionSettings Current
        {
            get
            {
                Runspace? runspace = Runspace.DefaultRunspace;
                return runspace is null ? NoRunspace : ByRunspace.GetValue(runspace, _ => new SessionSettings());
            }
        }
    }
}
