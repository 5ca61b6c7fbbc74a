using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Runs when the module is imported, before any cmdlet: makes the module's dependencies (deps/) load in a way
    /// that cannot collide with other modules' copies. On PowerShell 7 they go into a load context of their own
    /// (Seedance.Loader); Windows PowerShell 5.1 has no load contexts and resolves them from deps/ directly. The
    /// module's public types (Seedance.Client, beside this assembly) load normally, and at once, so that type
    /// literals such as [Seedance.Client.Models.SeedanceTask] resolve as soon as the module is imported.
    /// PowerShell 7.0 to 7.3 (.NET 6 and 7) cannot load the net8.0 loader, so the import stops first, saying so.
    /// </summary>
    public sealed class DependencyIsolation : IModuleAssemblyInitializer
    {
        private static int s_registered;

        /// <summary>The oldest .NET a PowerShell 7 must run on: the loader targets net8.0 (PowerShell 7.4).</summary>
        private static readonly Version s_minimumCoreRuntime = new Version(8, 0);

        public void OnImport()
        {
            string? unsupported = UnsupportedRuntime(RuntimeInformation.FrameworkDescription, Environment.Version, PowerShellVersion());
            if (unsupported is not null)
            {
                // Before anything is registered: the import fails with this message and leaves nothing behind.
                throw new PSNotSupportedException(unsupported);
            }

            // Once per process: a re-import (Import-Module -Force) must not stack another resolver.
            if (System.Threading.Interlocked.Exchange(ref s_registered, 1) == 1)
            {
                return;
            }

            RegisterResolver();
            LoadPublicTypes();
        }

        private static void RegisterResolver()
        {
            string moduleDirectory = Path.GetDirectoryName(typeof(DependencyIsolation).Assembly.Location) ?? ".";
            string dependencies = Path.Combine(moduleDirectory, "deps");
            if (RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal))
            {
                NetFrameworkResolver.Register(moduleDirectory);
                return;
            }

            // The loader targets .NET 8 (AssemblyLoadContext), which this netstandard2.0 assembly cannot reference.
            Assembly loader = Assembly.LoadFrom(Path.Combine(moduleDirectory, "Seedance.Loader.dll"));
            loader.GetType("Seedance.Loader.SeedanceLoadContext", throwOnError: true)!
                .GetMethod("Register", BindingFlags.Public | BindingFlags.Static)!
                .Invoke(null, new object[] { dependencies });
        }

        /// <summary>
        /// PowerShell resolves a type literal only among assemblies already loaded, and Seedance.Client would
        /// otherwise load at the first cmdlet call: a script's param([Seedance.Client.Models.SeedanceTask] $Task)
        /// right after Import-Module would fail.
        /// </summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        private static void LoadPublicTypes() => _ = typeof(Seedance.Client.Models.SeedanceTask).Assembly;

        /// <summary>
        /// Why this runtime cannot run the module (PowerShell 7.0 to 7.3), or null: Windows PowerShell 5.1 (.NET
        /// Framework) and PowerShell 7.4 or later (.NET 8 or later) can. Public so a test can ask about runtimes
        /// this machine does not have.
        /// </summary>
        public static string? UnsupportedRuntime(string frameworkDescription, Version runtimeVersion, string powerShellVersion)
        {
            if (frameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal) || runtimeVersion >= s_minimumCoreRuntime)
            {
                return null;
            }

            return $"Seedance needs PowerShell 7.4 or later, or Windows PowerShell 5.1. This is PowerShell {powerShellVersion} on {frameworkDescription}. " +
                "Install PowerShell 7.4 or later (https://aka.ms/powershell) and import the module there.";
        }

        /// <summary>The running PowerShell's version as it calls itself ("7.2.24"), from its engine assembly.</summary>
        private static string PowerShellVersion()
        {
            Assembly engine = typeof(PSObject).Assembly;
            string? informational = engine.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
            return informational?.Split(' ', '+')[0] ?? engine.GetName().Version?.ToString(3) ?? "(unknown version)";
        }
    }
}
