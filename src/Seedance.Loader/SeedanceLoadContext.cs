using System.IO;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace Seedance.Loader
{
    /// <summary>
    /// The load context of the module's third-party dependencies (deps/). The module's own assemblies at the top
    /// of the module folder (Seedance.Commands, Seedance.Client with every public type) load normally, so type
    /// literals such as [Seedance.Client.Models.SeedanceTask] resolve in scripts. When the cmdlet assembly first
    /// needs one of the few assemblies it references from deps/, the default context cannot find it (deps/ is not
    /// probed) and asks us, and we load it here. Everything those assemblies need then resolves inside this
    /// context, so other modules' versions of the same libraries never meet ours.
    /// </summary>
    public sealed class SeedanceLoadContext : AssemblyLoadContext
    {
        /// <summary>The assemblies in deps/ that the cmdlet assembly references directly: the only names we answer for.</summary>
        /// <remarks>
        /// Answering for more (e.g. Microsoft.Extensions.Http) would hand our copy to other modules. Seedance.Http
        /// is the one assembly that uses Microsoft.Extensions.Http, behind Seedance.Client's IHttpClientSource.
        /// </remarks>
        private static readonly string[] BridgedAssemblies = { "Seedance.Http", "System.Security.Cryptography.ProtectedData" };

        private static readonly object Sync = new object();
        private static SeedanceLoadContext? s_instance;

        private readonly string _dependencyDirectory;
        private readonly string _moduleDirectory;
        private readonly string _runtimeDirectory = RuntimeEnvironment.GetRuntimeDirectory();

        private SeedanceLoadContext(string dependencyDirectory)
            : base("Seedance", isCollectible: false)
        {
            _dependencyDirectory = dependencyDirectory;
            _moduleDirectory = Path.GetDirectoryName(Path.GetFullPath(dependencyDirectory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)) ?? dependencyDirectory;
        }

        /// <summary>Called once per process when the module is imported (again on re-import: then it does nothing).</summary>
        public static void Register(string dependencyDirectory)
        {
            lock (Sync)
            {
                if (s_instance is not null)
                {
                    return;
                }

                SeedanceLoadContext context = new SeedanceLoadContext(dependencyDirectory);
                Default.Resolving += (_, name) => System.Array.IndexOf(BridgedAssemblies, name.Name) >= 0 ? context.LoadFromAssemblyName(name) : null;
                s_instance = context;
            }
        }

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            // An assembly the runtime ships (e.g. System.Text.Json, as new as ours or newer) comes from the runtime,
            // as does anything not in deps/ (System.Management.Automation above all).
            string fileName = assemblyName.Name + ".dll";
            if (File.Exists(Path.Combine(_runtimeDirectory, fileName)))
            {
                return null;
            }

            // The module's own public types (Seedance.Client) exist once, in the default context: Seedance.Http
            // implements Seedance.Client's interface, and the cmdlets must see that very type.
            string shared = Path.Combine(_moduleDirectory, fileName);
            if (File.Exists(shared))
            {
                return Default.LoadFromAssemblyPath(shared);
            }

            string candidate = Path.Combine(_dependencyDirectory, fileName);
            return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
        }
    }
}
