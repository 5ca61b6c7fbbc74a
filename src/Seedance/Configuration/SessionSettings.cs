using System;
using System.Management.Automation;
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

        /// <summary>
        /// Set-SeedanceConfiguration -Uploader: uploads local materials instead of the service's endpoint. Always kept
        /// in the runspace that set it, even once other settings can reach every runspace of the process: a script
        /// block belongs to the runspace (session state) that created it, and invoking it from another runspace's
        /// thread runs it against state that runspace may be using at that moment. So it is never shared; a runspace
        /// that wants one (a ForEach-Object -Parallel block, a thread job) sets its own, and one that did not uses the
        /// service's endpoint.
        /// </summary>
        public ScriptBlock? Uploader { get; set; }

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
