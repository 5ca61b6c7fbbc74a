using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace Seedance.Module.Tests
{
    /// <summary>
    /// The resolver Windows PowerShell 5.1 uses (Seedance.Commands' NetFrameworkResolver), taken from the built module's
    /// own Seedance.Commands.dll in a load context of its own: the shipped code, not a copy.
    /// </summary>
    internal sealed class ShippedResolver
    {
        private static readonly Lazy<Type> s_type = new Lazy<Type>(() =>
        {
            AssemblyLoadContext context = new AssemblyLoadContext("shipped-Seedance.Commands", isCollectible: false);
            Assembly commands = context.LoadFromAssemblyPath(Path.Combine(BuiltModule.Directory, "Seedance.Commands.dll"));
            return commands.GetType("Seedance.Commands.Infrastructure.NetFrameworkResolver", throwOnError: true)!;
        });

        private readonly object _resolver;

        public ShippedResolver(string moduleDirectory)
        {
            _resolver = Activator.CreateInstance(s_type.Value, moduleDirectory)!;
        }

        /// <summary>Its reviewed list, as "Name asked -> shipped".</summary>
        public static IEnumerable<string> ReviewedNewerVersions()
        {
            IEnumerable list = (IEnumerable)s_type.Value.GetField("ReviewedNewerVersions", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
            foreach (object entry in list)
            {
                Type tuple = entry.GetType();
                yield return $"{tuple.GetField("Item1")!.GetValue(entry)} {tuple.GetField("Item2")!.GetValue(entry)} -> {tuple.GetField("Item3")!.GetValue(entry)}";
            }
        }

        /// <summary>The deps/ file it answers <paramref name="name"/> with for a request from <paramref name="requestingLocation"/>, or null.</summary>
        public string? PathFor(string name, string? requestingLocation) =>
            (string?)s_type.Value.GetMethod("PathFor")!.Invoke(_resolver, new object?[] { name, requestingLocation });
    }
}
