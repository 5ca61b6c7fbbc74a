using System;
using System.Runtime.CompilerServices;
using System.Threading;
using Seedance.Client.Http;

namespace Seedance.Commands.Infrastructure
{
    /// <summary>
    /// The process's one source of pooled HttpClients, built on first use. Seedance.Http (and with it
    /// Microsoft.Extensions.Http) loads only then, into the Seedance load context on PowerShell 7. A class of its own,
    /// free of System.Management.Automation, so a .NET Framework program can reach it (tests/Seedance.NetFxSmoke).
    /// </summary>
    internal static class HttpClients
    {
        private static readonly Lazy<IHttpClientSource> Pooled = new Lazy<IHttpClientSource>(CreatePooled, LazyThreadSafetyMode.ExecutionAndPublication);

        public static IHttpClientSource Source => Pooled.Value;

        // Not inlined: the JIT resolves Seedance.Http when it compiles this method, which must be after import has
        // registered the resolver that finds it in deps/.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static IHttpClientSource CreatePooled() => new Seedance.Http.PooledHttpClientSource();
    }
}
