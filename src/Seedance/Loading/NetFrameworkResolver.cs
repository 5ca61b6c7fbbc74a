using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// Windows PowerShell 5.1 (.NET Framework) has no load contexts and does not probe deps/: this AssemblyResolve
    /// handler finds the module's dependencies there. It answers narrowly, since the event is process-wide: only for a
    /// DLL the module ships in deps/, only when the request comes from the module's own assemblies or from deps/ (another
    /// module's failed load of, say, System.Text.Json is that module's business), and only with a version at least the
    /// one asked for, where an older request than the shipped file is one of the reviewed cases below.
    /// Free of System.Management.Automation, so a .NET Framework program can call it (tests/Seedance.NetFxSmoke).
    /// </summary>
    public sealed class NetFrameworkResolver
    {
        /// <summary>
        /// References in the shipped DLLs to an older version than the one shipped (assembly name, version asked,
        /// version shipped). .NET Framework binds those only through this resolver (no binding redirects in a
        /// module). Reviewed: each newer version is a compatible servicing or major bump of the same package;
        /// tests/Seedance.Module.Tests (BindingClosureTests) fails when the shipped files add, drop or change one.
        /// </summary>
        public static readonly IReadOnlyList<(string Name, Version Asked, Version Shipped)> ReviewedNewerVersions = new[]
        {
            ("System.Buffers", new Version(4, 0, 2, 0), new Version(4, 0, 3, 0)),
            ("System.Runtime.CompilerServices.Unsafe", new Version(4, 0, 4, 1), new Version(6, 0, 0, 0)),
            ("System.ComponentModel.Annotations", new Version(4, 2, 0, 0), new Version(4, 2, 1, 0)),
        };

        private readonly string _moduleDirectory;
        private readonly string _dependencyDirectory;

        public NetFrameworkResolver(string moduleDirectory)
        {
            _moduleDirectory = Normalized(moduleDirectory);
            _dependencyDirectory = Normalized(Path.Combine(moduleDirectory, "deps"));
        }

        /// <summary>Registers a resolver for <paramref name="moduleDirectory"/> on this AppDomain (the import does this once per process).</summary>
        public static NetFrameworkResolver Register(string moduleDirectory)
        {
            NetFrameworkResolver resolver = new NetFrameworkResolver(moduleDirectory);
            AppDomain.CurrentDomain.AssemblyResolve += (_, args) => resolver.Resolve(args.Name, args.RequestingAssembly?.Location);
            return resolver;
        }

        /// <summary>
        /// The assembly for the request <paramref name="name"/> made by the assembly at <paramref name="requestingLocation"/>
        /// (null: unknown), or null to leave the request to others.
        /// </summary>
        public Assembly? Resolve(string name, string? requestingLocation)
        {
            string? path = PathFor(name, requestingLocation);
            return path is null ? null : Assembly.LoadFrom(path);
        }

        /// <summary>The decision of <see cref="Resolve"/> without loading anything: the deps/ file that answers, or null.</summary>
        public string? PathFor(string name, string? requestingLocation)
        {
            if (requestingLocation is null || !IsOurs(requestingLocation))
            {
                return null;
            }

            AssemblyName asked = new AssemblyName(name);
            string candidate = Path.Combine(_dependencyDirectory, asked.Name + ".dll");
            if (!File.Exists(candidate))
            {
                return null;
            }

            Version? shipped = AssemblyName.GetAssemblyName(candidate).Version;
            if (asked.Version is null || asked.Version == shipped)
            {
                return candidate;
            }

            foreach ((string reviewedName, Version reviewedAsked, Version reviewedShipped) in ReviewedNewerVersions)
            {
                if (string.Equals(reviewedName, asked.Name, StringComparison.OrdinalIgnoreCase) && reviewedAsked == asked.Version && reviewedShipped == shipped)
                {
                    return candidate;
                }
            }

            // An older file than asked for, or a newer one nobody reviewed: a load error is more honest than a guess.
            return null;
        }

        /// <summary>The module's own assemblies (at the top of its folder) and deps/.</summary>
        private bool IsOurs(string location)
        {
            if (location.Length == 0)
            {
                return false;
            }

            string folder = Normalized(Path.GetDirectoryName(Path.GetFullPath(location)) ?? string.Empty);
            return string.Equals(folder, _moduleDirectory, StringComparison.OrdinalIgnoreCase) ||
                string.Equals(folder, _dependencyDirectory, StringComparison.OrdinalIgnoreCase);
        }

        private static string Normalized(string directory) =>
            Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
    }
}
