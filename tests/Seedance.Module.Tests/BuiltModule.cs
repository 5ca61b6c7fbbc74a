using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace Seedance.Module.Tests
{
    /// <summary>The module as build.ps1 Build leaves it in out/Seedance/&lt;version&gt;/, read as metadata (nothing is loaded).</summary>
    internal static class BuiltModule
    {
        private static readonly Lazy<string> s_directory = new Lazy<string>(FindDirectory);

        public static string RepositoryRoot => Metadata("RepositoryRoot");

        public static string Directory => s_directory.Value;

        public static string Dependencies => Path.Combine(Directory, "deps");

        /// <summary>.NET Framework 4.7.2's own assemblies (the reference assemblies from NuGet, with their facades).</summary>
        public static string Net472 => Metadata("Net472ReferenceAssemblies");

        /// <summary>
        /// Every DLL Windows PowerShell 5.1 may load: the top folder and deps/. Not Seedance.Loader.dll (net8.0, loaded
        /// only on PowerShell 7).
        /// </summary>
        public static IEnumerable<string> DllsLoadedOnWindowsPowerShell() =>
            System.IO.Directory.GetFiles(Directory, "*.dll")
                .Where(path => !string.Equals(Path.GetFileName(path), "Seedance.Loader.dll", StringComparison.OrdinalIgnoreCase))
                .Concat(System.IO.Directory.GetFiles(Dependencies, "*.dll"))
                .OrderBy(path => path, StringComparer.Ordinal);

        public static AssemblyName NameOf(string path)
        {
            using FileStream stream = File.OpenRead(path);
            using PEReader pe = new PEReader(stream);
            return pe.GetMetadataReader().GetAssemblyDefinition().GetAssemblyName();
        }

        /// <summary>False for a DLL without a manifest (the framework folder has a few modules and native files).</summary>
        public static bool IsAssembly(string path)
        {
            using FileStream stream = File.OpenRead(path);
            using PEReader pe = new PEReader(stream);
            return pe.HasMetadata && pe.GetMetadataReader().IsAssembly;
        }

        public static IReadOnlyList<AssemblyName> ReferencesOf(string path)
        {
            using FileStream stream = File.OpenRead(path);
            using PEReader pe = new PEReader(stream);
            MetadataReader reader = pe.GetMetadataReader();
            return reader.AssemblyReferences.Select(handle => reader.GetAssemblyReference(handle).GetAssemblyName()).ToList();
        }

        /// <summary>Name to version of every DLL in <paramref name="folders"/>.</summary>
        public static Dictionary<string, Version> VersionsIn(params string[] folders)
        {
            Dictionary<string, Version> versions = new Dictionary<string, Version>(StringComparer.OrdinalIgnoreCase);
            foreach (string folder in folders)
            {
                foreach (string dll in System.IO.Directory.GetFiles(folder, "*.dll"))
                {
                    if (IsAssembly(dll))
                    {
                        AssemblyName name = NameOf(dll);
                        versions[name.Name!] = name.Version!;
                    }
                }
            }

            return versions;
        }

        private static string FindDirectory()
        {
            string manifest = File.ReadAllText(Path.Combine(RepositoryRoot, "Seedance.psd1"));
            string version = Regex.Match(manifest, @"ModuleVersion\s*=\s*'([^']+)'").Groups[1].Value;
            string directory = Path.Combine(RepositoryRoot, "out", "Seedance", version);
            if (!File.Exists(Path.Combine(directory, "Seedance.Commands.dll")))
            {
                throw new InvalidOperationException($"The built module is not at {directory}: run 'dotnet pwsh ./build.ps1 Build' first (build.ps1 Test does).");
            }

            return directory;
        }

        private static string Metadata(string key) =>
            typeof(BuiltModule).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
    }
}
