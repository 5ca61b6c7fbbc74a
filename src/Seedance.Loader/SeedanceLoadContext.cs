using System;
using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Seedance.Loader
{
    /// <summary>
    /// The load context of the module's own assemblies (lib/). An assembly the .NET runtime itself ships (e.g.
    /// System.Text.Json, always as new as ours or newer) is left to the default context, as is everything that
    /// is not in lib/ (System.Management.Automation above all: cmdlets must bind to PowerShell's own copy).
    /// </summary>
    public sealed class SeedanceLoadContext : AssemblyLoadContext
    {
        private static readonly object Sync = new object();
        private static Assembly? s_moduleAssembly;

        private readonly string _libDirectory;
        private readonly string _runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();

        private SeedanceLoadContext(string libDirectory)
            : base("Seedance", isCollectible: false)
        {
            _libDirectory = libDirectory;
        }

        /// <summary>Loads lib/Seedance.Commands.dll into the module's context once per process and returns it.</summary>
        public static Assembly Initialize(string libDirectory)
        {
            lock (Sync)
            {
                s_moduleAssembly ??= new SeedanceLoadContext(libDirectory).LoadFromAssemblyPath(Path.Combine(libDirectory, "Seedance.Commands.dll"));
                return s_moduleAssembly;
            }
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            string fileName = assemblyName.Name + ".dll";
            if (File.Exists(Path.Combine(_runtimeDirectory, fileName)))
            {
                return null;
            }

            string candidate = Path.Combine(_libDirectory, fileName);
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}
