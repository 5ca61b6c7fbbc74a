using System;
using System.Net;
using System.Runtime.InteropServices;

namespace Seedance.Client.Http
{
    /// <summary>
    /// What .NET Framework (Windows PowerShell 5.1) needs before the module's first request, done once per process:
    /// TLS 1.2 (and 1.3 where Windows has it) added to what the process allows, and enough connections per host for
    /// the largest -ThrottleLimit. On .NET Framework both live in <see cref="ServicePointManager"/>, not in the
    /// handler: powershell.exe does not target .NET 4.7+, so on hosts without SchUseStrongCrypto it offers only SSL 3
    /// and TLS 1.0, and it allows two connections per host. .NET (PowerShell 7) uses the OS defaults and its own
    /// per-handler limit, so nothing is changed there.
    /// </summary>
    internal static class NetFrameworkNetworking
    {
        /// <summary>SecurityProtocolType.Tls13, which netstandard2.0 does not name (.NET Framework 4.8 does).</summary>
        internal const SecurityProtocolType Tls13 = (SecurityProtocolType)12288;

        /// <summary>The first Windows build with TLS 1.3 on by default (Windows Server 2022; Windows 11 is 22000).</summary>
        private const int FirstWindowsBuildWithTls13 = 20348;

        private static readonly object Sync = new object();
        private static bool s_applied;

        /// <summary>
        /// True on runtimes whose HttpClientHandler sits on HttpWebRequest and so reads ServicePointManager: .NET
        /// Framework, and Mono (the Linux stand-in the smoke test runs under).
        /// </summary>
        public static bool UsesServicePointManager(string frameworkDescription) =>
            frameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal) ||
            frameworkDescription.StartsWith("Mono", StringComparison.Ordinal);

        /// <summary>
        /// The protocols to allow: <paramref name="current"/> with TLS 1.2 (and 1.3 when <paramref name="tls13Available"/>)
        /// added, nothing removed. SystemDefault (0) is left alone: there the OS chooses, and it offers TLS 1.2 (and 1.3
        /// where it has it) already; naming protocols would narrow that choice.
        /// </summary>
        public static SecurityProtocolType Widen(SecurityProtocolType current, bool tls13Available)
        {
            if (current == 0)
            {
                return current;
            }

            SecurityProtocolType wanted = current | SecurityProtocolType.Tls12;
            return tls13Available ? wanted | Tls13 : wanted;
        }

        /// <summary>Whether this Windows offers TLS 1.3 by default (its build number); other systems are not asked.</summary>
        public static bool WindowsHasTls13(bool isWindows, Version osVersion) => isWindows && osVersion.Build >= FirstWindowsBuildWithTls13;

        /// <summary>
        /// Once per process, before the module's first request: on .NET Framework (and Mono) widens
        /// ServicePointManager.SecurityProtocol and raises DefaultConnectionLimit to <see cref="SeedanceHttp.MaxConnectionsPerServer"/>
        /// (never lowers either). Elsewhere does nothing.
        /// </summary>
        public static void EnsureApplied()
        {
            lock (Sync)
            {
                if (s_applied)
                {
                    return;
                }

                s_applied = true;
                if (UsesServicePointManager(RuntimeInformation.FrameworkDescription))
                {
                    Apply(new ServicePointSettings(), WindowsHasTls13(RuntimeInformation.IsOSPlatform(OSPlatform.Windows), Environment.OSVersion.Version));
                }
            }
        }

        /// <summary>The change itself, on settings a test can stand in for.</summary>
        public static void Apply(IServicePointSettings settings, bool tls13Available)
        {
            SecurityProtocolType current = settings.SecurityProtocol;
            SecurityProtocolType widened = Widen(current, tls13Available);
            if (widened != current)
            {
                try
                {
                    settings.SecurityProtocol = widened;
                }
                catch (NotSupportedException) when ((widened & Tls13) != 0)
                {
                    // .NET Framework before 4.8 refuses a value it has no name for: TLS 1.2 then.
                    settings.SecurityProtocol = Widen(current, tls13Available: false);
                }
            }

            if (settings.DefaultConnectionLimit < SeedanceHttp.MaxConnectionsPerServer)
            {
                settings.DefaultConnectionLimit = SeedanceHttp.MaxConnectionsPerServer;
            }
        }

        /// <summary>The two process-wide settings this class changes (a seam for tests).</summary>
        public interface IServicePointSettings
        {
            SecurityProtocolType SecurityProtocol { get; set; }

            int DefaultConnectionLimit { get; set; }
        }

        private sealed class ServicePointSettings : IServicePointSettings
        {
            public SecurityProtocolType SecurityProtocol
            {
                get => ServicePointManager.SecurityProtocol;
                set => ServicePointManager.SecurityProtocol = value;
            }

            public int DefaultConnectionLimit
            {
                get => ServicePointManager.DefaultConnectionLimit;
                set => ServicePointManager.DefaultConnectionLimit = value;
            }
        }
    }
}
