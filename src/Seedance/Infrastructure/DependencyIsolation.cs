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
    /// </summary>
    public sealed class DependencyIsolation : IModuleAssemblyInitializer
    {
        private static int s_registered;

        public void OnImport()
        {
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
                AppDomain.CurrentDomain.AssemblyResolve += (_, args) =>
                {
                    string candidate = Path.Combine(dependencies, new AssemblyName(args.Name).Name + ".dll");
                    return File.Exists(candidate) ? Assembly.LoadFrom(candidate) : null;
                };
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
    }
}
