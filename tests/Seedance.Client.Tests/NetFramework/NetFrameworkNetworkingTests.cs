using System;
using System.Net;
using System.Net.Http;
using Seedance.Client.Http;
using Xunit;

namespace Seedance.Client.Tests.NetFramework
{
    /// <summary>
    /// What the module sets on .NET Framework before its first request (ServicePointManager there holds the TLS
    /// versions and the per-host connection limit), with the runtime and the process settings stood in for.
    /// </summary>
    public sealed class NetFrameworkNetworkingTests
    {
        /// <summary>Ssl3 | Tls: what powershell.exe offers on a host without SchUseStrongCrypto (Ssl3 is obsolete by name on .NET).</summary>
        private const SecurityProtocolType PowerShell51Default = (SecurityProtocolType)48 | SecurityProtocolType.Tls;

        [Fact]
        public void TheWindowsPowerShellDefault_GainsTls12_AndKeepsWhatWasThere()
        {
            SecurityProtocolType widened = NetFrameworkNetworking.Widen(PowerShell51Default, tls13Available: false);

            Assert.Equal(PowerShell51Default | SecurityProtocolType.Tls12, widened);
        }

        [Fact]
        public void Tls13_IsAdded_OnlyWhereTheSystemHasIt()
        {
            Assert.Equal(NetFrameworkNetworking.Tls13, NetFrameworkNetworking.Widen(SecurityProtocolType.Tls12, tls13Available: true) & NetFrameworkNetworking.Tls13);
            Assert.Equal((SecurityProtocolType)0, NetFrameworkNetworking.Widen(SecurityProtocolType.Tls12, tls13Available: false) & NetFrameworkNetworking.Tls13);
        }

        [Fact]
        public void WhatTheUserEnabled_IsNeverRemoved()
        {
            SecurityProtocolType user = SecurityProtocolType.Tls11 | (SecurityProtocolType)48;
            SecurityProtocolType widened = NetFrameworkNetworking.Widen(user, tls13Available: true);

            Assert.Equal(user, widened & user);
        }

        [Fact]
        public void SystemDefault_IsLeftToTheSystem()
        {
            // Naming protocols would turn "whatever the OS offers" (TLS 1.2 and 1.3 on current Windows) into a fixed list.
            Assert.Equal(SecurityProtocolType.SystemDefault, NetFrameworkNetworking.Widen(SecurityProtocolType.SystemDefault, tls13Available: true));
        }

        [Theory]
        [InlineData(true, 20348, true)]   // Windows Server 2022
        [InlineData(true, 22631, true)]   // Windows 11
        [InlineData(true, 17763, false)]  // Windows Server 2019
        [InlineData(true, 14393, false)]  // Windows Server 2016
        [InlineData(true, 9600, false)]   // Windows Server 2012 R2
        [InlineData(false, 30000, false)] // not Windows: not asked
        public void Tls13_IsOfferedFromWindowsServer2022On(bool isWindows, int build, bool expected)
        {
            Assert.Equal(expected, NetFrameworkNetworking.WindowsHasTls13(isWindows, new Version(10, 0, build)));
        }

        [Theory]
        [InlineData(".NET Framework 4.8.9290.0", true)]
        [InlineData("Mono 6.8.0.105 (Debian 6.8.0.105+dfsg-3.3+deb12u1 Mon Oct 28 2024)", true)]
        [InlineData(".NET 8.0.11", false)]
        [InlineData(".NET Core 3.1.32", false)]
        public void OnlyServicePointRuntimes_AreChanged(string description, bool expected)
        {
            Assert.Equal(expected, NetFrameworkNetworking.UsesServicePointManager(description));
        }

        [Fact]
        public void Apply_WidensTls_AndRaisesTheConnectionLimit_FromTwo()
        {
            FakeSettings settings = new FakeSettings { SecurityProtocol = PowerShell51Default, DefaultConnectionLimit = 2 };

            NetFrameworkNetworking.Apply(settings, tls13Available: false);

            Assert.Equal(PowerShell51Default | SecurityProtocolType.Tls12, settings.SecurityProtocol);
            Assert.Equal(SeedanceHttp.MaxConnectionsPerServer, settings.DefaultConnectionLimit);
        }

        [Fact]
        public void Apply_NeverLowersAHigherConnectionLimit()
        {
            FakeSettings settings = new FakeSettings { SecurityProtocol = SecurityProtocolType.Tls12, DefaultConnectionLimit = 500 };

            NetFrameworkNetworking.Apply(settings, tls13Available: false);

            Assert.Equal(500, settings.DefaultConnectionLimit);
        }

        [Fact]
        public void Apply_OnAFrameworkWithoutTls13_SettlesForTls12()
        {
            // .NET Framework 4.7.2 on Windows Server 2022: the OS has TLS 1.3, the framework refuses the value.
            FakeSettings settings = new FakeSettings { SecurityProtocol = PowerShell51Default, DefaultConnectionLimit = 2, RefuseTls13 = true };

            NetFrameworkNetworking.Apply(settings, tls13Available: true);

            Assert.Equal(PowerShell51Default | SecurityProtocolType.Tls12, settings.SecurityProtocol);
        }

        [Fact]
        public void EveryHandler_AllowsAtLeastTheLargestThrottleLimit()
        {
            // Get-SeedanceTask and Wait-SeedanceTask allow -ThrottleLimit up to 64 (tests/pester checks the cmdlets against this constant).
            Assert.True(SeedanceHttp.MaxConnectionsPerServer >= 64);
            foreach (string name in new[] { SeedanceHttp.ApiClientName, SeedanceHttp.LocalApiClientName, SeedanceHttp.DownloadClientName })
            {
                using HttpClientHandler handler = Assert.IsType<HttpClientHandler>(SeedanceHttp.CreateHandler(name));
                Assert.True(handler.MaxConnectionsPerServer >= SeedanceHttp.MaxConnectionsPerServer, name);
            }
        }

        private sealed class FakeSettings : NetFrameworkNetworking.IServicePointSettings
        {
            private SecurityProtocolType _protocol;

            public bool RefuseTls13 { get; set; }

            public SecurityProtocolType SecurityProtocol
            {
                get => _protocol;
                set
                {
                    if (RefuseTls13 && (value & NetFrameworkNetworking.Tls13) != 0)
                    {
                        throw new NotSupportedException("The requested security protocol is not supported.");
                    }

                    _protocol = value;
                }
            }

            public int DefaultConnectionLimit { get; set; }
        }
    }
}
