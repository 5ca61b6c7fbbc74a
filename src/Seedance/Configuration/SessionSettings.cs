using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using System.Threading;
using Seedance.Client.Settings;

namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// Where Set-SeedanceApiKey -Scope Process|Runspace and Set-SeedanceConfiguration keep their settings.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Process (the default of Set-SeedanceConfiguration, and Set-SeedanceApiKey -Scope Process) means the process:
    /// one static value that every runspace reads, so ForEach-Object -Parallel, Start-ThreadJob and runspace pools
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
        private static readonly object WriteLock = new object();
        private static readonly ConditionalWeakTable<Runspace, StrongBox<SeedanceSettings>> ByRunspace = new ConditionalWeakTable<Runspace, StrongBox<SeedanceSettings>>();
        private static readonly StrongBox<SeedanceSettings> ProcessHolder = new StrongBox<SeedanceSettings>(new SeedanceSettings());
        private static readonly ConditionalWeakTable<Runspace, StrongBox<ScriptBlock?>> UploaderByRunspace = new ConditionalWeakTable<Runspace, StrongBox<ScriptBlock?>>();
        private static readonly StrongBox<ScriptBlock?> ProcessUploader = new StrongBox<ScriptBlock?>();

        /// <summary>What every runspace of the process sees.</summary>
        public static SeedanceSettings Process => Volatile.Read(ref ProcessHolder.Value);

        /// <summary>
        /// The calling runspace's own settings (call on the pipeline thread), or null with no runspace at all (a thread
        /// PowerShell did not start): then there is nothing narrower than the process.
        /// </summary>
        public static SeedanceSettings? Runspace => RunspaceHolder is StrongBox<SeedanceSettings> holder ? Volatile.Read(ref holder.Value) : null;

        /// <summary>
        /// Set-SeedanceConfiguration -Uploader, or null. Always kept in the runspace that set it, whatever -Scope says
        /// for the other settings: a script block belongs to the runspace (session state) that created it, and invoking
        /// it from another runspace's thread runs it against state that runspace may be using at that moment. So it is
        /// never shared; a runspace that wants one (a ForEach-Object -Parallel block, a thread job) sets its own, and
        /// one that did not uses the service's upload endpoint.
        /// </summary>
        public static ScriptBlock? Uploader
        {
            get => UploaderHolder.Value;
            set => UploaderHolder.Value = value;
        }

        private static StrongBox<SeedanceSettings>? RunspaceHolder =>
            System.Management.Automation.Runspaces.Runspace.DefaultRunspace is Runspace runspace ? ByRunspace.GetValue(runspace, _ => new StrongBox<SeedanceSettings>(new SeedanceSettings())) : null;

        private static StrongBox<ScriptBlock?> UploaderHolder =>
            System.Management.Automation.Runspaces.Runspace.DefaultRunspace is Runspace runspace ? UploaderByRunspace.GetValue(runspace, _ => new StrongBox<ScriptBlock?>()) : ProcessUploader;

        /// <summary>"Runspace" or "Process": the source Get-SeedanceConfiguration shows for a value set in <paramref name="scope"/>.</summary>
        public static string Name(SettingScope scope) => scope == SettingScope.Runspace && RunspaceHolder is not null ? "Runspace" : "Process";

        /// <summary>How a scope is named in ShouldProcess messages.</summary>
        public static string Describe(SettingScope scope) => Name(scope) == "Process" ? "this PowerShell process (every runspace)" : "this runspace";

        /// <summary>Replaces the settings of <paramref name="scope"/> (Process or Runspace) with what <paramref name="change"/> makes of them.</summary>
        public static void Change(SettingScope scope, Func<SeedanceSettings, SeedanceSettings> change)
        {
            StrongBox<SeedanceSettings> holder = scope == SettingScope.Runspace ? RunspaceHolder ?? ProcessHolder : ProcessHolder;
            lock (WriteLock)
            {
                Volatile.Write(ref holder.Value, change(holder.Value));
            }
        }
    }

    /// <summary>
    /// How far a setting or the key reaches: every runspace of the process, only the runspace that made it, or every
    /// process of the user (stored in a file: <see cref="StoredSettings"/>, the key in <see cref="ApiKeyStore"/>).
    /// </summary>
    public enum SettingScope
    {
        Process,
        Runspace,
        CurrentUser,
    }
}
