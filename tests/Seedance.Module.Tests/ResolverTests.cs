using System.IO;
using Xunit;

namespace Seedance.Module.Tests
{
    /// <summary>
    /// The .NET Framework resolver's decisions over the built module: it answers only for DLLs the module ships, only to
    /// the module's own assemblies and deps/, and a version other than the one shipped only where it was reviewed.
    /// (tests/pester/NetFramework.Tests.ps1 runs the same cases inside a .NET Framework program under Mono.)
    /// </summary>
    public sealed class ResolverTests
    {
        private readonly ShippedResolver _resolver = new ShippedResolver(BuiltModule.Directory);

        private static string Deps(string file) => Path.Combine(BuiltModule.Dependencies, file);

        private static string Top(string file) => Path.Combine(BuiltModule.Directory, file);

        [Fact]
        public void AReviewedOlderRequest_FromDeps_GetsTheShippedDll()
        {
            // System.Memory asks for Unsafe 4.0.4.1; the module ships 6.0.0.0.
            string? answer = _resolver.PathFor("System.Runtime.CompilerServices.Unsafe, Version=4.0.4.1, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a", Deps("System.Memory.dll"));

            Assert.Equal(Deps("System.Runtime.CompilerServices.Unsafe.dll"), answer);
        }

        [Fact]
        public void TheShippedVersion_FromTheModulesOwnAssembly_IsAnswered()
        {
            string? answer = _resolver.PathFor(BuiltModule.NameOf(Deps("Seedance.Http.dll")).FullName, Top("Seedance.Commands.dll"));

            Assert.Equal(Deps("Seedance.Http.dll"), answer);
        }

        [Fact]
        public void ARequestFromAnotherModule_IsLeftAlone()
        {
            Assert.Null(_resolver.PathFor("System.Text.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", "/opt/OtherModule/OtherModule.dll"));
            Assert.Null(_resolver.PathFor("System.Text.Json, Version=8.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", null));
        }

        [Fact]
        public void ANameTheModuleDoesNotShip_IsLeftAlone()
        {
            Assert.Null(_resolver.PathFor("Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed", Deps("System.Text.Json.dll")));
        }

        [Fact]
        public void ANewerRequestThanShipped_IsLeftAlone()
        {
            Assert.Null(_resolver.PathFor("System.Text.Json, Version=99.0.0.0, Culture=neutral, PublicKeyToken=cc7b13ffcd2ddd51", Top("Seedance.Client.dll")));
        }

        [Fact]
        public void AnOlderRequestNobodyReviewed_IsLeftAlone()
        {
            Assert.Null(_resolver.PathFor("System.Runtime.CompilerServices.Unsafe, Version=4.0.3.0, Culture=neutral, PublicKeyToken=b03f5f7f11d50a3a", Deps("System.Memory.dll")));
        }
    }
}
