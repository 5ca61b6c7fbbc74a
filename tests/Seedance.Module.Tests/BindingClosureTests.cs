using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace Seedance.Module.Tests
{
    /// <summary>
    /// Whether .NET Framework 4.7.2 (Windows PowerShell 5.1) can bind every reference of every DLL the module ships:
    /// each resolves to a shipped DLL of the same or a newer version, or to the framework itself. Newer-version cases
    /// bind only through the module's resolver (no binding redirects in a module), so each must be on its reviewed list;
    /// a dependency bump that adds, drops or changes one fails here before it ships.
    /// </summary>
    public sealed class BindingClosureTests
    {
        /// <summary>Supplied by the host, not by the module or the framework folder.</summary>
        private static readonly string[] HostAssemblies = { "System.Management.Automation" };

        [Fact]
        public void EveryReference_ResolvesToAShippedDll_OrToNetFramework472()
        {
            Dictionary<string, Version> shipped = BuiltModule.VersionsIn(BuiltModule.Directory, BuiltModule.Dependencies);
            Dictionary<string, Version> framework = BuiltModule.VersionsIn(BuiltModule.Net472, Path.Combine(BuiltModule.Net472, "Facades"));
            List<string> unresolved = new List<string>();

            foreach (string dll in BuiltModule.DllsLoadedOnWindowsPowerShell())
            {
                foreach (AssemblyName reference in BuiltModule.ReferencesOf(dll))
                {
                    string name = reference.Name!;
                    Version asked = reference.Version!;
                    bool ok = shipped.TryGetValue(name, out Version? ours)
                        ? ours >= asked
                        : (framework.TryGetValue(name, out Version? net472) && net472 >= asked) || HostAssemblies.Contains(name);
                    if (!ok)
                    {
                        unresolved.Add($"{Path.GetFileName(dll)} -> {name} {asked} (shipped: {Describe(shipped, name)}, .NET Framework 4.7.2: {Describe(framework, name)})");
                    }
                }
            }

            Assert.True(unresolved.Count == 0, "References .NET Framework 4.7.2 cannot bind:\n" + string.Join("\n", unresolved));
        }

        [Fact]
        public void EveryNewerVersionCase_IsOnTheResolversReviewedList_AndNothingElseIs()
        {
            Dictionary<string, Version> shipped = BuiltModule.VersionsIn(BuiltModule.Directory, BuiltModule.Dependencies);
            SortedSet<string> found = new SortedSet<string>(StringComparer.Ordinal);
            foreach (string dll in BuiltModule.DllsLoadedOnWindowsPowerShell())
            {
                foreach (AssemblyName reference in BuiltModule.ReferencesOf(dll))
                {
                    if (shipped.TryGetValue(reference.Name!, out Version? ours) && ours > reference.Version!)
                    {
                        found.Add($"{reference.Name} {reference.Version} -> {ours}");
                    }
                }
            }

            SortedSet<string> reviewed = new SortedSet<string>(ShippedResolver.ReviewedNewerVersions(), StringComparer.Ordinal);

            Assert.Equal(reviewed, found);
        }

        private static string Describe(Dictionary<string, Version> versions, string name) =>
            versions.TryGetValue(name, out Version? version) ? version.ToString() : "none";
    }
}
