using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// Where Set-SeedanceApiKey -Scope Process|Runspace and Set-SeedanceConfiguration keep their settings.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Process (the default of Set-SeedanceConfiguration, and Set-SeedanceApiKey -Scope Process) means the process:
    /// one static table that every runspace reads, so ForEach-Object -Parallel, Start-ThreadJob and runspace pools
    /// use the key, base URI and other settings the script chose. A runspace can therefore never fall back to the
    /// stored key and the production base URI while the process pointed elsewhere.
    /// </para>
    /// <para>
    /// Runspace is the one narrower scope, for a host that drives different accounts or hosts from runspaces of one
    /// process (a test harness, a multi-tenant service): a value set there wins over the process's in that runspace
    /// only, and a runspace without one uses the process's. It is a convenience, not a security boundary: code in
    /// one process can read another runspace's memory. Separate trust needs separate processes.
    /// </para>
    /// </remarks>
    internal static class SessionSettings
    {
        public const string ProcessScope = "Process";
        public const string RunspaceScope = "Runspace";

        private static readonly ConditionalWeakTable<Runspace, SettingsLayer> ByRunspace = new ConditionalWeakTable<Runspace, SettingsLayer>();

        /// <summary>What every runspace of the process sees.</summary>
        public static SettingsLayer Process { get; } = new SettingsLayer(ProcessScope);

        /// <summary>
        /// The calling runspace's own layer (call on the pipeline thread). With no runspace at all (a thread PowerShell
        /// did not start) there is nothing narrower than the process.
        /// </summary>
        public static SettingsLayer CurrentRunspace
        {
            get
            {
                Runspace? runspace = Runspace.DefaultRunspace;
                return runspace is null ? Process : ByRunspace.GetValue(runspace, _ => new SettingsLayer(RunspaceScope));
            }
        }

        /// <summary>
        /// Set-SeedanceConfiguration -Uploader, or null. Always kept in the runspace that set it, whatever -Scope says
        /// for the other settings: a script block belongs to the runspace (session state) that created it, and invoking
        /// it from another runspace's thread runs it against state that runspace may be using at that moment. So it is
        /// never shared; a runspace that wants one (a ForEach-Object -Parallel block, a thread job) sets its own, and
        /// one that did not uses the service's upload endpoint.
        /// </summary>
        public static ScriptBlock? Uploader => CurrentRunspace.TryGet(Settings.Uploader, out ScriptBlock uploader) ? uploader : null;

        /// <summary>The layer a -Scope names.</summary>
        public static SettingsLayer Layer(SettingScope scope) => scope == SettingScope.Runspace ? CurrentRunspace : Process;

        /// <summary>The layer a key -Scope names (not CurrentUser: that key is in the store on disk).</summary>
        public static SettingsLayer Layer(KeyScope scope) => Layer(scope == KeyScope.Runspace ? SettingScope.Runspace : SettingScope.Process);

        /// <summary>How a scope is named in ShouldProcess messages.</summary>
        public static string Describe(SettingsLayer layer) =>
            layer.Scope == ProcessScope ? "this PowerShell process (every runspace)" : "this runspace";

        /// <summary>The value in force in the calling runspace: its own, else the process's. <paramref name="scope"/> says which.</summary>
        public static bool TryGet<T>(Setting<T> setting, out T value, out string scope)
        {
            SettingsLayer runspace = CurrentRunspace;
            if (runspace.TryGet(setting, out value))
            {
                scope = runspace.Scope;
                return true;
            }

            if (Process.TryGet(setting, out value))
            {
                scope = ProcessScope;
                return true;
            }

            scope = string.Empty;
            return false;
        }
    }

    /// <summary>
    /// How far a setting reaches: every runspace of the process, only the runspace that made it, or every process of
    /// the user (stored in a file, <see cref="UserSettingsFile"/>).
    /// </summary>
    public enum SettingScope
    {
        Process,
        Runspace,
        CurrentUser,
    }
}
