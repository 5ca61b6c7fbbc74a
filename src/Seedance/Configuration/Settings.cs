using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using System.Threading;
using Seedance.Client.Http;
using Seedance.Client.Pricing;

namespace Seedance.Commands.Configuration
{
    /// <summary>
    /// The settings of one scope: the process's, one runspace's (Set-SeedanceApiKey -Scope Process|Runspace,
    /// Set-SeedanceConfiguration), or the user's stored file (<see cref="UserSettingsFile"/>). Null means not set
    /// there: the layer below applies (<see cref="SeedanceConfiguration"/> does the layered lookup).
    /// </summary>
    /// <remarks>
    /// A published instance is never changed: runspaces on other threads read the current one without a lock, so a
    /// change copies it under a lock (<see cref="SessionSettings.Change"/>) and they see all of a call or none of it.
    /// To add a setting: a property here; a parameter on Set-SeedanceConfiguration that checks the value before
    /// anything is set; its reader and writer in <see cref="UserSettingsFile"/>; a property on
    /// <see cref="SeedanceConfiguration"/> with its source, and a line in the format file's configuration view.
    /// </remarks>
    internal sealed class Settings
    {
        public ApiKey? ApiKey { get; set; }
        public Uri? BaseUri { get; set; }
        public TimeSpan? RequestTimeout { get; set; }
        public PriceTable? PriceTable { get; set; }

        /// <summary>-RequestShape: the input names createTask is written with, whatever the host.</summary>
        public RequestShape? RequestShape { get; set; }

        /// <summary>-JournalPath: an absolute path (resolved when set), or 'off'.</summary>
        public string? JournalPath { get; set; }

        /// <summary>-DailyCreditLimit: credits the creates of the last 24 hours may take, all processes together.</summary>
        public decimal? DailyCreditLimit { get; set; }

        /// <summary>-Uploader: only ever in the runspace that set it (see <see cref="SessionSettings.Uploader"/>).</summary>
        public ScriptBlock? Uploader { get; set; }

        public bool IsEmpty =>
            ApiKey is null && BaseUri is null && RequestTimeout is null && PriceTable is null && RequestShape is null && JournalPath is null &&
            DailyCreditLimit is null && Uploader is null;

        /// <summary>A copy with <paramref name="change"/> made to it.</summary>
        public Settings With(Action<Settings> change)
        {
            Settings copy = (Settings)MemberwiseClone();
            change(copy);
            return copy;
        }
    }

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
        private static readonly ConditionalWeakTable<Runspace, StrongBox<Settings>> ByRunspace = new ConditionalWeakTable<Runspace, StrongBox<Settings>>();
        private static readonly StrongBox<Settings> ProcessHolder = new StrongBox<Settings>(new Settings());

        /// <summary>What every runspace of the process sees.</summary>
        public static Settings Process => Volatile.Read(ref ProcessHolder.Value);

        /// <summary>
        /// The calling runspace's own settings (call on the pipeline thread), or null with no runspace at all (a thread
        /// PowerShell did not start): then there is nothing narrower than the process.
        /// </summary>
        public static Settings? Runspace => RunspaceHolder is StrongBox<Settings> holder ? Volatile.Read(ref holder.Value) : null;

        /// <summary>
        /// Set-SeedanceConfiguration -Uploader, or null. Always kept in the runspace that set it, whatever -Scope says
        /// for the other settings: a script block belongs to the runspace (session state) that created it, and invoking
        /// it from another runspace's thread runs it against state that runspace may be using at that moment. So it is
        /// never shared; a runspace that wants one (a ForEach-Object -Parallel block, a thread job) sets its own, and
        /// one that did not uses the service's upload endpoint.
        /// </summary>
        public static ScriptBlock? Uploader => (Runspace ?? Process).Uploader;

        private static StrongBox<Settings>? RunspaceHolder =>
            System.Management.Automation.Runspaces.Runspace.DefaultRunspace is Runspace runspace ? ByRunspace.GetValue(runspace, _ => new StrongBox<Settings>(new Settings())) : null;

        /// <summary>"Runspace" or "Process": the source Get-SeedanceConfiguration shows for a value set in <paramref name="scope"/>.</summary>
        public static string Name(SettingScope scope) => scope == SettingScope.Runspace && RunspaceHolder is not null ? "Runspace" : "Process";

        /// <summary>How a scope is named in ShouldProcess messages.</summary>
        public static string Describe(SettingScope scope) => Name(scope) == "Process" ? "this PowerShell process (every runspace)" : "this runspace";

        /// <summary>Replaces the settings of <paramref name="scope"/> (Process or Runspace) with what <paramref name="change"/> makes of them.</summary>
        public static void Change(SettingScope scope, Func<Settings, Settings> change)
        {
            StrongBox<Settings> holder = scope == SettingScope.Runspace ? RunspaceHolder ?? ProcessHolder : ProcessHolder;
            lock (WriteLock)
            {
                Volatile.Write(ref holder.Value, change(holder.Value));
            }
        }
    }

    /// <summary>
    /// How far a setting or the key reaches: every runspace of the process, only the runspace that made it, or every
    /// process of the user (stored in a file: <see cref="UserSettingsFile"/>, the key in <see cref="ApiKeyStore"/>).
    /// </summary>
    public enum SettingScope
    {
        Process,
        Runspace,
        CurrentUser,
    }
}
